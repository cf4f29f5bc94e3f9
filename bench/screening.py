"""Screening benchmark: import 100,000 LEIE rows, then screen 10,000 organizations against them.

    python bench/screening.py [--rows 100000] [--organizations 10000]

Runs on a throw-away SQLite file, and also on PostgreSQL when ``DATABASE_URL`` is set (that
database is migrated and its LEIE release replaced: point it at a database of your own). Each run
happens in a child process with its own settings. Prints a table of seconds and exits 0.
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEIE_HEADER = (
    "LASTNAME,FIRSTNAME,MIDNAME,BUSNAME,GENERAL,SPECIALTY,UPIN,NPI,DOB,ADDRESS,CITY,STATE,ZIP,"
    "EXCLTYPE,EXCLDATE,REINDATE,WAIVERDATE,WVRSTATE"
)
SYLLABLES = ["ac", "me", "sun", "rise", "val", "ley", "care", "health", "bay", "oak", "mar", "ton"]
STATES = ["CA", "TX", "NY", "FL", "AZ", "NV", "OR", "WA"]
SUFFIXES = ["INC", "LLC", "CORP", "", "", "INC."]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()


def leie_file(rows: int, seed: int = 7) -> tuple[bytes, list[str]]:
    """An LEIE full file of ``rows`` rows (about 1 in 10 an entity, 1 in 9 with an NPI)."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(LEIE_HEADER + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    entity_names = []
    for n in range(rows):
        npi = f"1{n:09d}" if n % 9 == 0 else "0000000000"
        state = rng.choice(STATES)
        if n % 10 == 0:
            name = f"{word(rng)} {word(rng)} {rng.choice(SUFFIXES)}".strip()
            entity_names.append(name)
            person = ["", "", ""]
            dob = "00000000"
        else:
            name = ""
            person = [word(rng), word(rng), ""]
            dob = f"19{rng.randint(40, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
        writer.writerow(
            [*person, name, "OTHER BUSINESS" if name else "NURSE", "", "", npi, dob,
             "1 MAIN ST", "CITY", state, "90012", "1128b4", "20200115", "00000000",
             "00000000", ""]
        )  # fmt: skip
    return out.getvalue().encode(), entity_names


def worker(rows: int, organizations: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from screening.matching import organization_findings
    from screening.services.exclusion_lists import exclusion_release_import

    call_command("migrate", verbosity=0)
    content, listed = leie_file(rows)
    started = time.perf_counter()
    summary = exclusion_release_import(source="leie", content=content, operator="bench")
    imported = time.perf_counter() - started

    rng = random.Random(11)
    today = timezone.localdate()
    matches = 0
    started = time.perf_counter()
    for n in range(organizations):
        # One in twenty is on the list (its name written differently); the rest are not.
        name = (
            rng.choice(listed).title().replace(" Inc", ", Inc.")
            if n % 20 == 0
            else f"{word(rng)} {word(rng)} Clinic"
        )
        findings = organization_findings(
            summary.release, names=[name], state="CA", npi=f"2{n:09d}", on=today
        )
        matches += len(findings.matches)
    screened = time.perf_counter() - started
    print(json.dumps({"import": imported, "screen": screened, "matches": matches}))


def run(label: str, env: dict[str, str], rows: int, organizations: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--worker", "--rows", str(rows)]
    command += ["--organizations", str(organizations)]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{label}: failed\n{result.stderr[-2000:]}")
        return {}
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.rows, args.organizations)
        return
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        sqlite.setdefault("SECRET_KEY", "bench-only")
        runs.append(("SQLite", run("SQLite", sqlite, args.rows, args.organizations)))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        postgres = {**os.environ}
        postgres.setdefault("SECRET_KEY", "bench-only")
        runs.append(("PostgreSQL", run("PostgreSQL", postgres, args.rows, args.organizations)))
    imported = f"import {args.rows:,} LEIE rows"
    screened = f"screen {args.organizations:,} organizations"
    print(f"{'database':<12}{imported:>26}{screened:>32}{'matches':>10}")
    for label, figures in runs:
        if figures:
            print(
                f"{label:<12}{figures['import']:>24.2f} s{figures['screen']:>30.2f} s"
                f"{int(figures['matches']):>10}"
            )


if __name__ == "__main__":
    main()
