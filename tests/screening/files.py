"""Exclusion-list files in the exact published formats (reference/screening.md), made for tests.

The headers are written out here from the reference, not taken from the code under test.
"""

import csv
import io
from typing import Any

LEIE_HEADER = (
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,"
    "EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE"
)
SAM_HEADER = (
    "Classification,Name,Prefix,First,Middle,Last,Suffix,Address 1,Address 2,Address 3,"
    "Address 4,City,State / Province,Country,Zip Code,Open Data Flag,Blank (Deprecated),"
    "Unique Entity ID,Exclusion Program,Excluding Agency,CT Code,Exclusion Type,"
    "Additional Comments,Active Date,Termination Date,Record Status,Cross-Reference,"
    "SAM Number,CAGE,NPI,Creation_Date"
)


def _csv(header: str, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    out.write(header + "\r\n")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode()


def leie_entity(busname: str, *, state: str = "CA", npi: str = "0000000000", **extra: str) -> dict:
    return {"BUSNAME": busname, "GENERAL": "OTHER BUSINESS", "STATE": state, "NPI": npi, **extra}


def leie_person(last: str, first: str, *, dob: str = "00000000", **extra: str) -> dict:
    return {"LASTNAME": last, "FIRSTNAME": first, "GENERAL": "NURSE", "DOB": dob, **extra}


def leie_file(*rows: dict[str, Any]) -> bytes:
    columns = LEIE_HEADER.split(",")
    defaults = {
        "NPI": "0000000000",
        "DOB": "00000000",
        "EXCLTYPE": "1128b4",
        "EXCLDATE": "20200115",
        "REINDATE": "00000000",
        "WAIVERDATE": "00000000",
        "STATE": "CA",
        "CITY": "LOS ANGELES",
        "ZIP": "90012",
        "ADDRESS": "1 MAIN ST",
    }
    return _csv(LEIE_HEADER, [[{**defaults, **row}.get(c, "") for c in columns] for row in rows])


def sam_file(*rows: dict[str, Any]) -> bytes:
    columns = [c.strip() for c in SAM_HEADER.split(",")]
    defaults = {
        "Country": "USA",
        "Exclusion Program": "Reciprocal",
        "Excluding Agency": "HHS",
        "Exclusion Type": "Prohibition/Restriction",
        "Active Date": "03/15/2021",
        "Termination Date": "Indefinite",
        "Record Status": "Active",
        "Creation_Date": "03/16/2021",
    }
    return _csv(SAM_HEADER, [[{**defaults, **row}.get(c, "") for c in columns] for row in rows])


def medi_cal_file(columns: list[str], *rows: list[str]) -> bytes:
    return _csv(",".join(f'"{c}"' if "," in c else c for c in columns), [list(r) for r in rows])
