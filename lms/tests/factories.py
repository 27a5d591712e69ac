"""Factories for people and site-wide snippets."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lms import roles
from lms.models import Agency, LegalBasis, OfficerProfile, Office, Village

PASSWORD = "Rahasia-Uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@pimpasa.example")
    first_name = "Uji"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n}")
    name = factory.LazyAttribute(lambda o: f"Instansi {o.code}")
    short_name = factory.LazyAttribute(lambda o: o.code)


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UU-{n}-2000")
    short_name = factory.LazyAttribute(lambda o: o.code.replace("-", " ", 1).replace("-", "/"))
    title = factory.LazyAttribute(lambda o: f"Undang-Undang {o.short_name}")
    number = factory.Sequence(str)
    year = 2007


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"KANIM-{n}")
    name = factory.LazyAttribute(lambda o: f"Kantor Imigrasi {o.code}")
    city = "Kota Bandung"
    province = "Jawa Barat"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    name = factory.Sequence(lambda n: f"Desa {n}")
    district = "Binong"
    regency = "Kabupaten Subang"
    province = "Jawa Barat"
    office = factory.SubFactory(OfficeFactory)


class OfficerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerProfile

    user = factory.SubFactory(UserFactory, groups=[roles.OFFICER])
    nip = factory.Sequence(lambda n: f"199001012015031{n % 1000:03d}")
    full_name = factory.Sequence(lambda n: f"Petugas Uji {n}")
    rank = "Penata Muda (III/a)"
    position = "Analis Keimigrasian Ahli Pertama"
    office = factory.SubFactory(OfficeFactory)
    village = factory.SubFactory(VillageFactory, office=factory.SelfAttribute("..office"))


def make_officer(**kwargs):
    """A user in the Officer group with a profile."""
    return OfficerProfileFactory(**kwargs).user
