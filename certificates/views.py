from django.http import HttpResponse

def _stub(request, **kwargs):
    return HttpResponse("")

verify_form = verify = verify_json = my_certificates = renew = download = bundle_create = bundle_detail = bundle_download = _stub
