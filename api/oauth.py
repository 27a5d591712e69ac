"""django-oauth-toolkit's request validator for the API: an inactive or unregistered client gets no token."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from api.models import ApiClient


class ApiOAuth2Validator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        active = ApiClient.objects.filter(application=request.client, is_active=True).exists()
        if not active:
            request.client = None
        return active
