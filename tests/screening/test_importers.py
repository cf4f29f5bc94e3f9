"""Importing the three exclusion lists: exact formats, line-and-column refusals, atomic replace."""

import hashlib
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.roles import Role
from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease, ScreeningResult
from tests.factories import UserFactory
from tests.screening.files import (
    LEIE_HEADER,
    leie_entity,
    leie_file,
    leie_person,
    medi_cal_file,
    sam_file,
)
from tests.screening.test_engine import current, submit_entity

pytestmark = pytest.mark.django_db


def run_import(source: str, content: bytes, tmp_path: Path, name: str = "UPDATED.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    out = StringIO()
    call_command("import_exclusions", "--source", source, str(path), stdout=out)
    return out.getvalue()


def active(source: str) -> ExclusionRelease:
    return ExclusionRelease.objects.get(source=source, is_active=True)


def test_leie_full_file_is_imported_and_its_release_recorded(tmp_path):
    content = leie_file(
        leie_entity("ACME HEALTH, INC", npi="1345623890"), leie_person("SMITH", "JOHN")
    )

    output = run_import("leie", content, tmp_path)

    release = active("leie")
    assert release.sha256 == hashlib.sha256(content).hexdigest()
    assert release.row_count == 2
    assert release.file_name == "UPDATED.csv"
    assert release.imported_by_name.startswith("command line")
    assert release.imported_at is not None
    assert output.count("\n") == 1, "a one-line summary"
    assert "release #" in output
    assert "2 rows (1 entities, 1 individuals)" in output


def test_npi_of_zeros_and_dates_of_zeros_mean_unknown(tmp_path):
    run_import("leie", leie_file(leie_entity("ACME HEALTH INC", npi="0000000000")), tmp_path)

    record = ExclusionRecord.objects.get()
    assert record.npi == ""
    assert record.date_of_birth is None
    assert record.reinstated_on is None
    assert record.excluded_on == date(2020, 1, 15)


def test_entity_rows_have_empty_person_names(tmp_path):
    run_import("leie", leie_file(leie_entity("Acme Health, Inc.")), tmp_path)

    record = ExclusionRecord.objects.get()
    assert record.kind == ExclusionRecord.Kind.ENTITY
    assert (record.last_name, record.first_name, record.person_key) == ("", "", "")
    assert record.normalised_name == "ACME HEALTH"


def test_a_person_row_keeps_name_and_date_of_birth(tmp_path):
    run_import("leie", leie_file(leie_person("SMITH", "JOHN", dob="19700131")), tmp_path)

    record = ExclusionRecord.objects.get()
    assert record.kind == ExclusionRecord.Kind.INDIVIDUAL
    assert record.person_key == "SMITH JOHN"
    assert record.date_of_birth == date(1970, 1, 31)


def refused(source: str, content: bytes, tmp_path: Path) -> str:
    with pytest.raises(CommandError) as error:
        run_import(source, content, tmp_path, "bad.csv")
    return str(error.value)


def test_a_wrong_header_is_refused_naming_the_column_and_the_previous_release_stays(tmp_path):
    run_import("leie", leie_file(leie_entity("ACME HEALTH INC")), tmp_path)
    previous = active("leie")
    wrong = leie_file(leie_entity("OTHER CLINIC")).replace(b"BUSNAME", b"BUSINESSNAME", 1)

    message = refused("leie", wrong, tmp_path)

    assert "line 1, column 4 (BUSNAME)" in message
    assert "'BUSINESSNAME'" in message
    assert "previous release stays active" in message
    assert active("leie") == previous
    assert list(ExclusionRecord.objects.values_list("normalised_name", flat=True)) == [
        "ACME HEALTH"
    ]


def test_a_header_with_a_column_missing_is_refused(tmp_path):
    header_17 = LEIE_HEADER.rsplit(",", 1)[0]
    content = (header_17 + "\r\n").encode() + leie_file(leie_entity("X")).split(b"\r\n", 1)[1]

    assert "line 1, column 18 (WVRSTATE)" in refused("leie", content, tmp_path)
    assert not ExclusionRelease.objects.filter(source="leie", row_count__gt=0).exists()


def test_a_bad_date_is_refused_with_its_line_and_column(tmp_path):
    content = leie_file(
        leie_entity("GOOD CLINIC"), leie_entity("BAD CLINIC", EXCLDATE="2020-13-45")
    )

    message = refused("leie", content, tmp_path)

    assert "line 3, column EXCLDATE" in message
    assert "YYYYMMDD" in message


def test_a_truncated_file_is_refused_with_its_line(tmp_path):
    content = leie_file(leie_entity("ONE CLINIC"), leie_entity("TWO CLINIC"))
    truncated = content[: content.rindex(b",CA,")]

    message = refused("leie", truncated, tmp_path)

    assert "line 3" in message
    assert "truncated" in message


def test_an_unterminated_quote_at_the_end_is_refused(tmp_path):
    content = leie_file(leie_entity("ONE CLINIC")) + b'"UNFINISHED,'

    assert "line 3" in refused("leie", content, tmp_path)


def test_a_new_release_replaces_the_previous_one(tmp_path):
    run_import("leie", leie_file(leie_entity("OLD CLINIC")), tmp_path)
    old = active("leie")

    output = run_import("leie", leie_file(leie_entity("NEW CLINIC")), tmp_path)

    old.refresh_from_db()
    assert not old.is_active
    assert f"replaced release #{old.pk}" in output
    assert list(ExclusionRecord.objects.values_list("normalised_name", flat=True)) == ["NEW CLINIC"]
    assert ExclusionRelease.objects.filter(source="leie", is_active=True).count() == 1


def test_sam_extract_of_31_columns_is_imported(tmp_path):
    content = sam_file(
        {"Classification": "Firm", "Name": "Acme Health, Inc.", "State / Province": "CA"},
        {"Classification": "Individual", "First": "John", "Last": "Smith", "NPI": "1234567893"},
        {
            "Classification": "Firm",
            "Name": "Ended Clinic LLC",
            "Termination Date": "01/31/2022",
        },
    )

    run_import("sam", content, tmp_path, "SAM_Exclusions_Public_Extract.csv")

    firm, person, ended = ExclusionRecord.objects.order_by("line_number")
    assert (firm.kind, firm.normalised_name, firm.state) == ("entity", "ACME HEALTH", "CA")
    assert (person.person_key, person.npi) == ("SMITH JOHN", "1234567893")
    assert firm.excluded_on == date(2021, 3, 15)
    assert firm.reinstated_on is None, "Indefinite"
    assert ended.reinstated_on == date(2022, 1, 31)


def test_sam_file_with_an_unknown_classification_is_refused(tmp_path):
    message = refused("sam", sam_file({"Classification": "Company", "Name": "X"}), tmp_path)

    assert "line 2, column Classification" in message


def test_sam_header_must_have_31_columns(tmp_path):
    content = sam_file({"Classification": "Firm", "Name": "X"}).replace(b",Creation_Date", b"", 1)

    assert "column 31 (Creation_Date)" in refused("sam", content, tmp_path)


@pytest.mark.parametrize(
    "columns",
    [
        ["Last Name or Business Name", "First Name", "Middle Name", "A.K.A. / D.B.A.",
         "Addresses", "Provider Type", "License Number", "Provider Number",
         "Date of Suspension", "Active Period"],
        ["PROVIDER NUMBER", "DATE OF SUSPENSION", "FIRST NAME", "LAST NAME/BUSINESS NAME",
         "AKA/DBA", "LICENSE NUMBER"],
    ],
)  # fmt: skip
def test_medi_cal_columns_are_found_by_header_name(columns, tmp_path):
    values = {
        "name": "Acme Health, Inc.",
        "aka": "Acme Wellness Center",
        "date": "07/01/2019",
        "provider": "ZZZ123456",
    }

    def row(first: str) -> list[str]:
        by_key = {
            "lastnameorbusinessname": values["name"],
            "lastnamebusinessname": values["name"],
            "firstname": first,
            "akadba": values["aka"],
            "dateofsuspension": values["date"],
            "providernumber": values["provider"],
        }
        return [by_key.get("".join(ch for ch in c.lower() if ch.isalnum()), "") for c in columns]

    run_import("medi-cal", medi_cal_file(columns, row("")), tmp_path, "suspall.csv")

    names = set(ExclusionRecord.objects.values_list("normalised_name", flat=True))
    assert names == {"ACME HEALTH", "ACME WELLNESS CENTER"}, "the AKA/DBA name is matched too"
    record = ExclusionRecord.objects.get(normalised_name="ACME HEALTH")
    assert (record.state, record.provider_number) == ("CA", "ZZZ123456")
    assert record.excluded_on == date(2019, 7, 1)
    assert active("medi-cal").row_count == 1


def test_medi_cal_file_of_an_unknown_layout_is_refused(tmp_path):
    content = medi_cal_file(["Vendor", "When"], ["Acme", "07/01/2019"])

    message = refused("medi-cal", content, tmp_path)

    assert "line 1" in message
    assert "unknown Medi-Cal Suspended and Ineligible layout" in message
    assert "'Date of Suspension'" in message


MEDI_CAL_HEADER = [
    "Last Name or Business Name", "First Name", "Middle Name", "A.K.A. / D.B.A.", "Addresses",
    "Provider Type", "License Number", "Provider Number", "Date of Suspension", "Active Period",
]  # fmt: skip


def medi_cal_row(
    name: str = "", first: str = "", *, aka: str = "", licence: str = "", provider: str = ""
) -> list[str]:
    """A row of the Medi-Cal list in the layout of its published file (MEDI_CAL_HEADER)."""
    return [name, first, "", aka, "", "", licence, provider, "07/01/2019", "Indefinitely"]


def test_a_medi_cal_row_named_only_as_aka_dba_is_an_entity_screening_finds(
    tmp_path, application, authorized_official
):
    content = medi_cal_file(
        MEDI_CAL_HEADER,
        medi_cal_row("Acme Health"),
        medi_cal_row(aka="Sunrise Community Services; Sunrise Care"),
    )

    run_import("medi-cal", content, tmp_path, "suspall.csv")
    application = submit_entity(application, authorized_official)

    named = ExclusionRecord.objects.filter(line_number=3).order_by("pk")
    assert [(r.kind, r.business_name) for r in named] == [
        ("entity", "Sunrise Community Services"),
        ("entity", "Sunrise Care"),
    ], "the first AKA/DBA name is the row's; the others stay aliases"
    assert active("medi-cal").row_count == 2
    [result] = current(application, "exclusion_medi_cal")
    assert result.outcome == ScreeningResult.Outcome.POTENTIAL_MATCH
    assert result.matched_line == 3


def test_a_medi_cal_row_with_no_name_anywhere_is_refused_and_the_previous_release_stays(
    tmp_path,
):
    run_import("medi-cal", medi_cal_file(MEDI_CAL_HEADER, medi_cal_row("Acme Health")), tmp_path)
    previous = active("medi-cal")
    nameless = medi_cal_file(
        MEDI_CAL_HEADER, medi_cal_row("Other Clinic"), medi_cal_row(provider="ZZZ123456")
    )

    message = refused("medi-cal", nameless, tmp_path)

    assert "line 3, column name: the provider's name is empty" in message
    assert "previous release stays active" in message
    assert active("medi-cal") == previous
    assert list(ExclusionRecord.objects.values_list("normalised_name", flat=True)) == [
        "ACME HEALTH"
    ]


def test_a_medi_cal_row_with_only_a_first_name_is_still_refused(tmp_path):
    content = medi_cal_file(MEDI_CAL_HEADER, medi_cal_row(first="Jane", aka="Jane's Care"))

    assert "line 2, column name" in refused("medi-cal", content, tmp_path)


def test_each_number_of_a_medi_cal_row_is_kept_normalised_on_its_first_record(tmp_path):
    content = medi_cal_file(
        MEDI_CAL_HEADER,
        medi_cal_row(
            "Acme Health", aka="Acme Care", licence="phy 1234; N/A", provider="zzz-1, ZZZ2"
        ),
    )

    run_import("medi-cal", content, tmp_path, "suspall.csv")

    numbers = ExclusionNumber.objects.order_by("pk")
    assert [(n.kind, n.number) for n in numbers] == [
        ("licence", "PHY1234"),
        ("provider", "ZZZ1"),
        ("provider", "ZZZ2"),
    ]
    assert {n.record.business_name for n in numbers} == {"Acme Health"}


def test_importing_the_medi_cal_list_takes_the_same_queries_for_any_number_of_rows(tmp_path):
    def queries(rows: int) -> int:
        content = medi_cal_file(
            MEDI_CAL_HEADER,
            *(
                medi_cal_row(f"Clinic {n}", aka=f"Care {n}", licence=f"A{n}; B{n}")
                for n in range(rows)
            ),
        )
        with CaptureQueriesContext(connection) as captured:
            run_import("medi-cal", content, tmp_path, "suspall.csv")
        return len(captured)

    assert queries(2) == queries(40)
    assert ExclusionNumber.objects.count() == 80, "only the current release's numbers are kept"


def test_plan_administrator_uploads_a_release_in_the_admin_site(tmp_path):
    admin = UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value])
    client = Client()
    client.force_login(admin)
    upload = tmp_path / "UPDATED.csv"
    upload.write_bytes(leie_file(leie_entity("ACME HEALTH INC")))

    with upload.open("rb") as handle:
        response = client.post(
            "/admin/screening/exclusionrelease/add/", {"source": "leie", "file": handle}
        )

    assert response.status_code == 302, response.content.decode()[-2000:]
    release = active("leie")
    assert release.imported_by == admin
    assert release.row_count == 1


def test_admin_upload_of_a_malformed_file_is_refused_and_nothing_changes(tmp_path):
    admin = UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value])
    client = Client()
    client.force_login(admin)
    before = active("leie")
    upload = tmp_path / "UPDATED.csv"
    upload.write_bytes(leie_file(leie_entity("X")).replace(b"LASTNAME", b"SURNAME", 1))

    with upload.open("rb") as handle:
        response = client.post(
            "/admin/screening/exclusionrelease/add/", {"source": "leie", "file": handle}
        )

    assert response.status_code == 200
    assert "line 1, column 1 (LASTNAME)" in response.content.decode()
    assert active("leie") == before


def test_plan_administrator_looks_up_rows_of_the_active_releases(tmp_path):
    run_import("leie", leie_file(leie_entity("OLD CLINIC")), tmp_path)
    run_import("leie", leie_file(leie_entity("ACME HEALTH INC")), tmp_path)
    admin = UserFactory.create(is_staff=True, groups=[Role.PLAN_ADMIN.value])
    client = Client()
    client.force_login(admin)

    page = client.get("/admin/screening/exclusionrecord/", {"q": "ACME"}).content.decode()

    assert "ACME HEALTH INC" in page
    assert "OLD CLINIC" not in client.get("/admin/screening/exclusionrecord/").content.decode()
