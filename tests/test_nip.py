import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certificates.subjects import Subject
from hr.bulk import NipInput, verify_nips
from hr.officer_import import officer_import_plan
from hr.selectors import subject_from_value
from hr.tabular import read_table
from hr.tests.builders import make_world
from lms.models import OfficerProfile
from lms.tests.factories import OfficeFactory, OfficerProfileFactory, UserFactory
from lms.validators import mask_nip, normalize_nip, validate_nip

pytestmark = pytest.mark.django_db

# Born 14 March 1996, appointed March 2019, male (1), sequence 001.
GOOD_NIP = "199603142019031001"


def error_of(value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_nip(value)
    return caught.value


class TestValidateNip:
    def test_accepts_a_well_formed_nip(self):
        assert validate_nip(GOOD_NIP) is None
        assert validate_nip("198512302010122002") is None  # female, appointed December

    @pytest.mark.parametrize("value", ["19960314201903100", "1996031420190310011"])
    def test_rejects_wrong_length_and_says_how_many_characters_were_typed(self, value):
        error = error_of(value)
        assert error.code == "nip_format"
        assert error.messages == [f"NIP harus terdiri dari tepat 18 angka (Anda memasukkan {len(value)} karakter)."]

    @pytest.mark.parametrize("value", ["19960314201903100A", "1996 0314 20190310", ""])
    def test_rejects_anything_but_digits(self, value):
        error = error_of(value)
        assert error.code == "nip_format"
        assert "tepat 18 angka" in error.messages[0]

    @pytest.mark.parametrize("value", ["199602302019031001", "199613142019031001", "199603002019031001"])
    def test_rejects_an_impossible_birth_date(self, value):
        error = error_of(value)
        assert error.code == "nip_birth_date"
        assert error.messages == ["NIP tidak valid: 8 angka pertama harus tanggal lahir (TTTTBBHH)."]

    @pytest.mark.parametrize(
        "value",
        [
            "199603142019131001",  # appointment month 13
            "199603142019001001",  # appointment month 00
            "199603142005031001",  # appointed at nine years old
        ],
    )
    def test_rejects_an_impossible_appointment_month(self, value):
        error = error_of(value)
        assert error.code == "nip_appointment"
        assert error.messages == [
            "NIP tidak valid: angka ke-9 sampai ke-14 harus tahun dan bulan pengangkatan (TTTTBB)."
        ]

    @pytest.mark.parametrize("sex_digit", ["0", "3", "9"])
    def test_rejects_a_sex_digit_other_than_1_or_2(self, sex_digit):
        error = error_of(GOOD_NIP[:14] + sex_digit + GOOD_NIP[15:])
        assert error.code == "nip_sex"
        assert error.messages == ["NIP tidak valid: angka ke-15 harus 1 (laki-laki) atau 2 (perempuan)."]


# GOOD_NIP written in other scripts' digits: str.isdigit() and regex \d accept them all, int()
# reads them, and the database's CHECK ([0-9]{18}) refuses them.
UNICODE_DIGIT_SETS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "extended-arabic-indic": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "fullwidth": "０１２３４５６７８９",
    "bengali": "০১২৩৪৫৬৭৮৯",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "mathematical-bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
}


def in_script(nip: str, digits: str) -> str:
    return nip.translate(str.maketrans("0123456789", digits))


class TestNonAsciiDigits:
    @pytest.mark.parametrize("script", UNICODE_DIGIT_SETS)
    def test_a_nip_in_another_scripts_digits_is_refused(self, script):
        error = error_of(in_script(GOOD_NIP, UNICODE_DIGIT_SETS[script]))
        assert error.code == "nip_format"
        assert "0–9" in error.messages[0]

    @pytest.mark.parametrize("script", UNICODE_DIGIT_SETS)
    def test_one_foreign_digit_among_ascii_ones_is_refused(self, script):
        assert error_of(GOOD_NIP[:-1] + UNICODE_DIGIT_SETS[script][1]).code == "nip_format"

    def test_a_trailing_newline_is_refused(self):
        assert error_of(GOOD_NIP + "\n").code == "nip_format"

    @pytest.mark.parametrize("script", UNICODE_DIGIT_SETS)
    def test_the_model_form_refuses_them_before_the_database_does(self, script):
        profile = OfficerProfile(
            user=UserFactory(), nip=in_script(GOOD_NIP, UNICODE_DIGIT_SETS[script]), full_name="Asep Saepul Rohman"
        )
        with pytest.raises(ValidationError) as caught:
            profile.full_clean()
        assert "0–9" in caught.value.message_dict["nip"][0]

    def test_the_officer_import_preview_lists_them_as_invalid_rows(self):
        OfficeFactory(code="KANIM-BDG")
        rows = [
            f"{in_script(GOOD_NIP, digits)},Petugas {number},p{number}@imigrasi.example,,KANIM-BDG,,,"
            for number, digits in enumerate(UNICODE_DIGIT_SETS.values())
        ]
        header = "NIP,Nama Lengkap,Email,Pangkat/Golongan,Kantor,Desa Binaan,Kabupaten/Kota,Provinsi"
        data = "\n".join([header, *rows]).encode("utf-8")
        plan = officer_import_plan(table=read_table(name="petugas.csv", data=data))
        assert not plan.is_valid
        assert sorted(issue.line for issue in plan.issues) == list(range(2, 2 + len(UNICODE_DIGIT_SETS)))
        assert all("0–9" in issue.message for issue in plan.issues)
        assert not OfficerProfile.objects.exists()

    def test_bulk_verification_marks_them_malformed(self):
        OfficerProfileFactory(nip=GOOD_NIP)
        items = [NipInput(line=1, raw=GOOD_NIP)] + [
            NipInput(line=number, raw=in_script(GOOD_NIP, digits))
            for number, digits in enumerate(UNICODE_DIGIT_SETS.values(), start=2)
        ]
        states = [result.state for result in verify_nips(items=items, subject=Subject.course(0))]
        assert states[0] != "malformed"
        assert states[1:] == ["malformed"] * len(UNICODE_DIGIT_SETS)


class TestNormalizeNip:
    @pytest.mark.parametrize(
        "typed",
        ["19960314 201903 1 001", "19960314.201903.1.001", " 199603142019031001 ", "19960314-201903-1-001"],
    )
    def test_strips_spaces_and_dots(self, typed):
        assert normalize_nip(typed) == GOOD_NIP

    def test_normalized_value_passes_validation(self):
        validate_nip(normalize_nip("19960314 201903 1 001"))

    def test_empty_input_gives_empty_string(self):
        assert normalize_nip(None) == ""


class TestMaskNip:
    def test_shows_only_the_last_four_digits(self):
        masked = mask_nip(GOOD_NIP)
        assert masked.endswith("1001")
        assert len(masked) == len(GOOD_NIP)
        assert not any(character.isdigit() for character in masked[:-4])

    def test_empty_nip_masks_to_nothing(self):
        assert mask_nip("") == ""

    def test_profile_exposes_the_masked_nip(self):
        profile = OfficerProfileFactory(nip=GOOD_NIP)
        assert profile.nip_masked == mask_nip(GOOD_NIP)
        assert "19960314" not in profile.nip_masked


class TestOfficerProfileNip:
    def test_full_clean_accepts_a_good_nip(self):
        profile = OfficerProfile(user=UserFactory(), nip=GOOD_NIP, full_name="Asep Saepul Rohman")
        profile.full_clean()

    def test_full_clean_rejects_a_bad_nip_with_the_validator_message(self):
        profile = OfficerProfile(user=UserFactory(), nip="199613142019031001", full_name="Asep Saepul Rohman")
        with pytest.raises(ValidationError) as caught:
            profile.full_clean()
        assert caught.value.message_dict["nip"] == ["NIP tidak valid: 8 angka pertama harus tanggal lahir (TTTTBBHH)."]

    def test_full_clean_rejects_a_duplicate_nip(self):
        OfficerProfileFactory(nip=GOOD_NIP)
        duplicate = OfficerProfile(user=UserFactory(), nip=GOOD_NIP, full_name="Petugas Lain")
        with pytest.raises(ValidationError) as caught:
            duplicate.full_clean()
        assert caught.value.message_dict["nip"] == ["NIP ini sudah terdaftar untuk petugas lain."]

    @pytest.mark.parametrize("nip", ["12345", "19960314201903100", "19960314201903100A"])
    def test_database_rejects_a_non_18_digit_nip_saved_without_validation(self, nip):
        profile = OfficerProfile(user=UserFactory(), nip=nip, full_name="Tanpa Validasi")
        with pytest.raises(IntegrityError), transaction.atomic():
            profile.save()
        assert not OfficerProfile.objects.filter(nip=nip).exists()



@pytest.mark.parametrize("script", ["arabic-indic", "fullwidth"])
def test_a_registry_subject_in_another_scripts_digits_names_nothing(script):
    """int() reads "١" as 1: the registry's subject ("c<id>") takes ASCII digits only."""
    course = make_world().course_a
    assert subject_from_value(f"c{course.pk}").resolve() == course
    assert subject_from_value("c" + in_script(str(course.pk), UNICODE_DIGIT_SETS[script])) is None
