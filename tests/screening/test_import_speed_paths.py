"""What an exclusion-list import stores, whichever way its rows reach the database.

``import_stored_rows.json`` holds what the importer stored for the small files below before it
was made fast (commit dacbfcc, which built a dict of values for each record): what it stores now,
through COPY on PostgreSQL or one prepared INSERT elsewhere, must be the same values, column for
column. Change that file only with a deliberate change of what is stored (``stored()`` gives its
content for a release).
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.screening import list_file
from screening.importers import ImportFormatError
from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease
from screening.services import exclusion_lists
from screening.services.exclusion_lists import exclusion_file_check, exclusion_release_import
from tests.screening.files import leie_entity, leie_file, leie_person, medi_cal_file, sam_file

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("import_stored_rows.json")
STORED_COLUMNS = [
    "line_number", "kind", "business_name", "normalised_name", "last_name", "first_name",
    "middle_name", "person_key", "npi", "date_of_birth", "address", "city", "state", "zip_code",
    "exclusion_type", "excluded_on", "reinstated_on", "license_number", "provider_number", "raw",
]  # fmt: skip
MEDI_CAL_HEADER = [
    "Last Name or Business Name", "First Name", "Middle Name", "A.K.A. / D.B.A.", "Addresses",
    "Provider Type", "License Number", "Provider Number", "Date of Suspension", "Active Period",
]  # fmt: skip
MEDI_CAL_OTHER_HEADER = [
    "PROVIDER NUMBER", "DATE OF SUSPENSION", "FIRST NAME", "LAST NAME/BUSINESS NAME", "AKA/DBA",
    "LICENSE NUMBER",
]  # fmt: skip


def small_files() -> dict[str, tuple[str, bytes]]:
    """(source, content) of a few rows each: entities and people, punctuation, quotes, commas and
    new lines in cells, padding, accents, cells longer than their columns, blank rows, AKA/DBA
    names and licence and provider numbers, both Medi-Cal layouts."""
    leie = leie_file(
        leie_entity("Acme Health, Inc.", npi="1234567893", state="ca", ADDRESS="1 Main St, Ste 2"),
        leie_person("O'BRIEN", "SEÁN", MIDNAME="P", dob="19700131", REINDATE="20230301"),
        leie_person("  Smith Jr.  ", "  Dr. John  ", CITY="  SAN JOSE "),
        leie_entity('THE "BEST" CARE LLC', ZIP="90012-1234"),
        leie_person("Đặng", "Thị Minh", dob="19851109", STATE="tx"),
        leie_entity("X" * 350, EXCLTYPE="1128a1"),
    )
    sam = sam_file(
        {"Classification": "Firm", "Name": "Acme Health, Inc.", "Address 1": "1 Main St",
         "Address 3": "Bldg 2", "State / Province": "ca", "Zip Code": "90012"},
        {"Classification": "Individual", "Name": "Ignored Name", "First": "John", "Middle": "Q",
         "Last": "Smith", "NPI": "1234567893", "Termination Date": "01/31/2022"},
        {"Classification": "special entity designation", "Name": "Sunrise Vessel Co",
         "Active Date": "2021-03-15"},
        {"Classification": "Vessel", "Name": "The Blue Whale", "Termination Date": "INDEFINITE",
         "City": " Long Beach "},
    )  # fmt: skip
    medi_cal = medi_cal_file(
        MEDI_CAL_HEADER,
        ["Acme Health, Inc.", "", "", "Acme Care; Acme Two\nAcme Three", "1 Main St, LA",
         "Clinic", "phy 1234; N/A", "zzz-1, ZZZ2", "07/01/2019", "Indefinitely"],
        ["Garcia-Lopez", "María", "Elena", "", "2 Oak", "Physician", "A 12345", "", "2019-07-02",
         ""],
        ["", "", "", "Sunrise Care; Sunrise Two", "", "", "", "ZZZ9", "07/03/2019", ""],
        ["Long " * 80, "", "", "Alias " * 80, "", "", "L" * 120, "", "07/04/2019", ""],
        ["  ", "", " ", "", "", "", "", "", "  ", ""],
    )  # fmt: skip
    medi_cal_other = medi_cal_file(
        MEDI_CAL_OTHER_HEADER,
        ["ZZZ5; zzz 6", "12/31/2018", "Ann", "Lee", "Ann's Care", "G 77; g-77"],
    )
    return {
        "leie": ("leie", leie + b" ,  , \r\n"),  # the last row blank
        "sam": ("sam", sam),
        "medi-cal": ("medi-cal", medi_cal),
        "medi-cal-other": ("medi-cal", medi_cal_other),
    }


def stored(release: ExclusionRelease) -> dict[str, Any]:
    """What the release's import stored: its counts, every column of its records in the order
    they were inserted, and its numbers with the position of the record each belongs to."""
    records = ExclusionRecord.objects.filter(release=release).order_by("pk")
    position = {pk: n for n, pk in enumerate(records.values_list("pk", flat=True))}
    numbers = ExclusionNumber.objects.filter(release=release).order_by("pk")
    return {
        "row_count": release.row_count,
        "records": [
            [value.isoformat() if isinstance(value, date) else value for value in values]
            for values in records.values_list(*STORED_COLUMNS)
        ],
        "numbers": [
            [position[record], kind, number]
            for record, kind, number in numbers.values_list("record_id", "kind", "number")
        ],
    }


def import_stored(name: str) -> dict[str, Any]:
    source, content = small_files()[name]
    return stored(exclusion_release_import(source=source, content=content, operator="t").release)


@pytest.mark.parametrize("name", ["leie", "sam", "medi-cal", "medi-cal-other"])
def test_the_import_stores_what_it_stored_before_it_was_made_fast(name):
    expected = json.loads(EXPECTED.read_text())[name]

    assert import_stored(name) == expected


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("name", ["leie", "sam", "medi-cal", "medi-cal-other"])
def test_copy_and_one_prepared_insert_store_the_same_rows(name, monkeypatch):
    through_copy = import_stored(name)
    monkeypatch.setattr(exclusion_lists, "_copy_rows", exclusion_lists._insert_many)

    through_insert = import_stored(name)

    assert through_copy == through_insert == json.loads(EXPECTED.read_text())[name]


def test_the_larger_sqlite_page_cache_is_the_imports_alone():
    source, content = small_files()["medi-cal"]
    size_before = _pragma_cache_size()

    with CaptureQueriesContext(connection) as captured:
        exclusion_release_import(source=source, content=content, operator="t")

    pragmas = [query["sql"] for query in captured if "PRAGMA" in query["sql"]]
    if connection.vendor == "sqlite":
        assert pragmas == [
            "PRAGMA cache_size",
            f"PRAGMA cache_size = -{exclusion_lists.SQLITE_IMPORT_CACHE_KIB}",
            f"PRAGMA cache_size = {size_before}",
        ]
        assert _pragma_cache_size() == size_before, "the connection's own size is put back"
    else:
        assert pragmas == []


def _pragma_cache_size() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def test_a_bad_last_row_of_a_long_file_is_refused_before_anything_is_written():
    exclusion_release_import(source="leie", content=small_files()["leie"][1], operator="t")
    previous = ExclusionRelease.objects.get(source="leie", is_active=True)
    kept = stored(previous)
    rows = [leie_person(f"PERSON{n}", "ANN", dob="19700101") for n in range(3000)]
    rows.append(leie_person("LAST", "ROW", dob="19701332"))

    with (
        CaptureQueriesContext(connection) as captured,
        pytest.raises(ImportFormatError) as refused,
    ):
        exclusion_release_import(source="leie", content=leie_file(*rows), operator="t")

    assert (refused.value.line, refused.value.column) == (3002, "DOB")
    assert not captured.captured_queries, "the file is read whole before the database is touched"
    assert ExclusionRelease.objects.get(source="leie", is_active=True) == previous
    assert stored(previous) == kept


@pytest.mark.parametrize("source", ["leie", "sam", "medi-cal"])
def test_the_benchmarks_files_are_in_the_published_formats(source):
    """bench/screening.py times the imports of these: every row of them must be read."""
    assert exclusion_file_check(source=source, content=list_file(source, 60)) == 60


def test_every_number_names_a_record_of_its_release_after_releases_replace_each_other():
    """The database does not check the numbers' references (see ExclusionNumber): the import
    must keep them right, deleting the previous release's numbers with its records."""
    for name in ["medi-cal", "medi-cal-other", "medi-cal"]:
        source, content = small_files()[name]
        exclusion_release_import(source=source, content=content, operator="t")

    numbers = ExclusionNumber.objects.all()
    active = ExclusionRelease.objects.get(source="medi-cal", is_active=True)
    assert numbers.count() == len(stored(active)["numbers"]) > 0
    assert set(numbers.values_list("release_id", flat=True)) == {active.pk}
    assert not numbers.exclude(record__release=active).exists()
    assert ExclusionRecord.objects.filter(pk__in=numbers.values("record_id")).count() == len(
        set(numbers.values_list("record_id", flat=True))
    )
