"""Screening benchmark: import 100,000 LEIE rows, screen 10,000 organizations against them, screen
10,000 applications disclosing 12 people each, measure person matching on 4,000 labelled pairs of
names, then time the imports of the three lists at 82,000 rows each.

    python bench/screening.py [--rows 100000] [--organizations 10000]
        [--disclosed-applications 10000] [--disclosed-people 12] [--pairs 4000]
        [--import-rows 82000] [--import-runs 3]

Runs on a throw-away SQLite file, and also on PostgreSQL when ``DATABASE_URL`` is set (that
database is migrated, its LEIE release replaced and applications added, and its SAM and Medi-Cal
releases replaced by the bench's, which are removed at the end: point it at a database of your
own). Each run happens in a child process with its own settings; NPIs are looked up in the
offline registry, never in NPPES. Prints a table of seconds, then:

- for the disclosures (bench/seeding.py ``seed_disclosed_applications``: active providers whose
  ownership and control disclosures name 12 people, one application in a hundred naming a person
  of the LEIE by name and date of birth, another a namesake born on another day), the seconds to
  screen them all through ``screen_entities`` as the monthly ``rescreen_active_providers`` does,
  so many at a time, and to re-screen them (their earlier results replaced), applications a
  second, the matches found, and the milliseconds one application takes screened alone
  (``screen_entity``, as at submission); and whether the goal is met: 10,000 applications of 12
  people screened, and re-screened, in under 60 seconds each;
- for person matching (bench/name_pairs.py: the same person written differently, and different
  people with close names, through the importer and ``person_findings``) the true and false
  positives and negatives, recall and precision, a few misses, and whether the goals are met:
  every same-person pair whose names agree found, at most 1% of the different people a potential
  match.

- for the imports (``import_exclusions``, the command the lists are imported with: file read,
  parsed, and made the active release in one transaction) of an LEIE full file, a SAM.gov
  extract and a Medi-Cal Suspended and Ineligible list of ``--import-rows`` rows each
  (``leie_file``, ``sam_file``, ``medi_cal_file``: the Medi-Cal rows also name AKA/DBA names and
  licence and provider numbers, stored as records and numbers of their own), the median seconds
  of ``--import-runs`` runs, each replacing a release of the same size as a monthly import does,
  rows a second, the load average when measured, and whether the goal is met: an 82,000-row list
  imported in at most 3 seconds.

``--disclosed-applications 1000`` makes a short run; 0 leaves the disclosures out, and
``--import-rows 0`` the imports. Exits 0.
"""

import argparse
import base64
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The lists' published headers are the importer's own (screening/importers.py; the tests keep
# theirs written out from the reference), read when a file is made: Django is set up by then.
SAM_ENTITY_KINDS = ["Firm"] * 8 + ["Special Entity Designation", "Vessel"]
MEDI_CAL_HEADER = [
    "Last Name or Business Name", "First Name", "Middle Name", "A.K.A. / D.B.A.", "Addresses",
    "Provider Type", "License Number", "Provider Number", "Date of Suspension", "Active Period",
]  # fmt: skip
SYLLABLES = ["ac", "me", "sun", "rise", "val", "ley", "care", "health", "bay", "oak", "mar", "ton"]
STATES = ["CA", "TX", "NY", "FL", "AZ", "NV", "OR", "WA"]
SUFFIXES = ["INC", "LLC", "CORP", "", "", "INC."]
ONE_AT_A_TIME = 200  # disclosing applications screened alone, as at submission
GOAL_APPLICATIONS, GOAL_SECONDS = 10_000, 60  # disclosing applications screened in a minute
IMPORTED_LISTS = {"leie": "LEIE", "sam": "SAM", "medi-cal": "Medi-Cal S&I"}
GOAL_IMPORT_ROWS, GOAL_IMPORT_SECONDS = 82_000, 3  # the LEIE full file's size, imported in 3 s


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).upper()


def leie_file(rows: int, seed: int = 7) -> tuple[bytes, list[str]]:
    """An LEIE full file of ``rows`` rows (about 1 in 10 an entity, 1 in 9 with an NPI)."""
    from screening import importers

    rng = random.Random(seed)
    out = io.StringIO()
    out.write(",".join(importers.LEIE_HEADER) + "\r\n")
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


def sam_file(rows: int, seed: int = 7) -> bytes:
    """A SAM.gov exclusions extract of ``rows`` rows in its 31 columns: two in five a firm (now
    and then a special entity designation or a vessel), the others individuals; one in three with
    a termination date, the others indefinite; one in nine with an NPI."""
    from screening import importers

    rng = random.Random(seed)
    out = io.StringIO()
    out.write(",".join(importers.SAM_HEADER) + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    for n in range(rows):
        classification = "Individual" if n % 5 >= 2 else rng.choice(SAM_ENTITY_KINDS)
        person = classification == "Individual"
        name = "" if person else f"{word(rng)} {word(rng)} {rng.choice(SUFFIXES)}".strip()
        first, last = (word(rng), word(rng)) if person else ("", "")
        active = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2000, 2024)}"
        ended = "Indefinite" if n % 3 else f"01/{rng.randint(1, 28):02d}/2030"
        writer.writerow(
            [classification, name, "", first, "", last, "", f"{n} MAIN ST", "SUITE 1" if n % 4 == 0
             else "", "", "", "CITY", rng.choice(STATES), "USA", "90012", "Y", "",
             f"U{n:011d}", "Reciprocal", "HHS", "Z1", "Prohibition/Restriction", "", active,
             ended, "Active", "", f"S4MR{n:06d}", "", f"1{n:09d}" if n % 9 == 0 else "",
             active]
        )  # fmt: skip
    return out.getvalue().encode()


def medi_cal_file(rows: int, seed: int = 7) -> bytes:
    """A Medi-Cal Suspended and Ineligible Provider List of ``rows`` rows, in its published
    columns: one in five an entity, one in six with an AKA/DBA name (sometimes two), most with a
    licence number and some with two provider numbers."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MEDI_CAL_HEADER)
    for n in range(rows):
        entity = n % 5 == 0
        name = f"{word(rng)} {word(rng)} {rng.choice(SUFFIXES)}".strip() if entity else word(rng)
        aka = ""
        if n % 6 == 0:
            aka = f"{word(rng)} CARE" + (f"; {word(rng)} CLINIC" if n % 12 == 0 else "")
        licence = "" if entity or n % 7 == 0 else f"{rng.choice(['A', 'G', 'RN'])} {n:06d}"
        provider = f"ZZZ{n:06d}, ZZZ{n + 1:06d}" if n % 4 == 0 else ""
        suspended = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(2000, 2024)}"
        writer.writerow(
            [name, "" if entity else word(rng), "", aka, f"{n} MAIN ST, LOS ANGELES, CA 90012",
             "PHYSICIAN" if not entity else "CLINIC", licence, provider, suspended,
             "Indefinitely"]
        )  # fmt: skip
    return out.getvalue().encode()


def disclosed_screening(release: Any, applications: int, people: int) -> dict[str, float]:
    """Seed ``applications`` providers disclosing ``people`` people each, one application in a
    hundred naming a person of the LEIE (name and date of birth) and another a namesake born on
    another day. Then screen them all as the monthly job does (``screen_entities``, so many
    providers at a time, each lot in its own transaction): once, and again as a re-screening
    (earlier results replaced, decisions carried over). Last, screen a few hundred of them one at
    a time, as a submission does (``screen_entity``)."""
    from django.db import connection, reset_queries

    from bench.seeding import seed_disclosed_applications
    from onboarding.models import Application
    from screening.models import ExclusionRecord, ScreeningResult
    from screening.services.results import RESCREENED_TOGETHER, screen_entities, screen_entity

    listed = [
        (record.last_name, record.first_name, record.date_of_birth)
        for record in ExclusionRecord.objects.filter(
            release=release, kind=ExclusionRecord.Kind.INDIVIDUAL, date_of_birth__isnull=False
        ).order_by("line_number")[:50]
        if record.date_of_birth
    ]
    started = time.perf_counter()
    ids = seed_disclosed_applications(applications, people, listed)
    figures = {"seed": time.perf_counter() - started}
    # As rescreen_active_providers reads the providers it screens (the seeded ids are consecutive).
    chosen = (
        Application.objects.filter(pk__range=(ids[0], ids[-1]))
        .select_related("organization", "entity_profile")
        .order_by("pk")
    )
    for run, rescreen in (("screen", False), ("rescreen", True)):
        started = time.perf_counter()
        providers = chosen.iterator(chunk_size=RESCREENED_TOGETHER)
        while chunk := list(islice(providers, RESCREENED_TOGETHER)):
            screen_entities(applications=chunk, rescreen=rescreen)
            reset_queries()  # with DEBUG on, Django would keep every query of the run
        figures[run] = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum leaves them between two monthly runs: planned on
            # the empty table, the next run's lookups of earlier results scan every row.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    found = ScreeningResult.objects.filter(
        application__in=chosen,
        is_current=True,
        disclosed_party__isnull=False,
        outcome__in=ScreeningResult.MATCHES,
    )
    figures["matches"] = found.count()
    figures["new_matches"] = found.filter(is_new_match=True).count()
    alone = list(chosen[:ONE_AT_A_TIME])
    started = time.perf_counter()
    for application in alone:
        screen_entity(application=application, rescreen=True)
    figures["one_at_a_time"] = (time.perf_counter() - started) / len(alone)
    return figures


def list_file(source: str, rows: int) -> bytes:
    """A file of the list ``source`` (leie, sam or medi-cal) of ``rows`` rows."""
    if source == "leie":
        return leie_file(rows)[0]
    return sam_file(rows) if source == "sam" else medi_cal_file(rows)


def timed_imports(rows: int, runs: int) -> list[dict[str, Any]]:
    """Import each list's file of ``rows`` rows with ``import_exclusions``, once and then ``runs``
    times more, each of those replacing a release of the same size; their median seconds. The
    SAM and Medi-Cal releases imported here are removed afterwards, so that the next run screens
    against the LEIE alone, as the screening above did."""
    from django.core.management import call_command

    from screening.models import ExclusionNumber, ExclusionRecord, ExclusionRelease

    figures: list[dict[str, Any]] = []
    imported: list[int] = []  # the SAM and Medi-Cal releases, removed at the end
    with tempfile.TemporaryDirectory() as folder:
        for source, name in IMPORTED_LISTS.items():
            path = Path(folder) / f"{source}.csv"
            path.write_bytes(list_file(source, rows))
            seconds = []
            for _ in range(runs + 1):
                started = time.perf_counter()
                call_command(
                    "import_exclusions", "--source", source, str(path), stdout=io.StringIO()
                )
                seconds.append(time.perf_counter() - started)
                release = ExclusionRelease.objects.get(source=source, is_active=True)
                if source != "leie":
                    imported.append(release.pk)
            figures.append(
                {
                    "list": name,
                    "rows": release.row_count,
                    "records": ExclusionRecord.objects.filter(release=release).count(),
                    "numbers": ExclusionNumber.objects.filter(release=release).count(),
                    "seconds": statistics.median(seconds[1:]),
                    "load": os.getloadavg()[0],
                }
            )
    ExclusionNumber.objects.filter(release__in=imported).delete()
    ExclusionRecord.objects.filter(release__in=imported).delete()
    ExclusionRelease.objects.filter(pk__in=imported).delete()
    return figures


def worker(
    rows: int,
    organizations: int,
    pairs: int,
    disclosed_applications: int,
    people: int,
    import_rows: int,
    import_runs: int,
) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    from bench import BENCH_FIELD_ENCRYPTION_KEY

    os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
    # NPIs are looked up in the fixtures file, never in NPPES (the default with a DATABASE_URL).
    os.environ.setdefault("NPI_REGISTRY", "offline")
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
    figures: dict[str, object] = {"import": imported, "screen": screened, "matches": matches}
    if disclosed_applications:
        figures["disclosed"] = disclosed_screening(summary.release, disclosed_applications, people)
    if pairs:
        from bench.name_pairs import name_pair_evaluation, name_pairs

        figures["names"] = name_pair_evaluation(name_pairs(pairs)).figures()
    if import_rows:
        figures["imports"] = timed_imports(import_rows, import_runs)
    print(json.dumps(figures))


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", "--rows", str(args.rows)]
    command += ["--organizations", str(args.organizations), "--pairs", str(args.pairs)]
    command += ["--disclosed-applications", str(args.disclosed_applications)]
    command += ["--disclosed-people", str(args.disclosed_people)]
    command += ["--import-rows", str(args.import_rows), "--import-runs", str(args.import_runs)]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{label}: failed\n{result.stderr[-2000:]}")
        return {}
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=4_000, help="labelled pairs of names, or 0")
    parser.add_argument(
        "--disclosed-applications",
        type=int,
        default=10_000,
        help="applications whose disclosed people are screened, or 0",
    )
    parser.add_argument("--disclosed-people", type=int, default=12, help="people per disclosure")
    parser.add_argument(
        "--import-rows", type=int, default=GOAL_IMPORT_ROWS, help="rows of each list imported, or 0"
    )
    parser.add_argument("--import-runs", type=int, default=3, help="timed imports of each list")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(
            args.rows, args.organizations, args.pairs, args.disclosed_applications,
            args.disclosed_people, args.import_rows, args.import_runs,
        )  # fmt: skip
        return
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        sqlite.setdefault("SECRET_KEY", "bench-only")
        # A key of its own for the throw-away database (a Fernet key: 32 random bytes).
        sqlite.setdefault("FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
        runs.append(("SQLite", run("SQLite", sqlite, args)))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        postgres = {**os.environ}
        postgres.setdefault("SECRET_KEY", "bench-only")
        runs.append(("PostgreSQL", run("PostgreSQL", postgres, args)))
    imported = f"import {args.rows:,} LEIE rows"
    screened = f"screen {args.organizations:,} organizations"
    print(f"{'database':<12}{imported:>26}{screened:>32}{'matches':>10}")
    for label, figures in runs:
        if figures:
            print(
                f"{label:<12}{figures['import']:>24.2f} s{figures['screen']:>30.2f} s"
                f"{int(figures['matches']):>10}"
            )
    if any(figures.get("disclosed") for _label, figures in runs):
        print_disclosed(args, runs)
    for label, figures in runs:
        if figures.get("names"):
            print_name_pairs(label, figures["names"])
    if any(figures.get("imports") for _label, figures in runs):
        print_imports(args, runs)


def print_disclosed(args: argparse.Namespace, runs: list[tuple[str, dict[str, Any]]]) -> None:
    """The disclosed-people figures of each run: seconds and applications a second, screened
    together and then re-screened, the matches found, and the time one screening takes alone."""
    applications = args.disclosed_applications
    print(
        f"\nDisclosed people: {applications:,} applications of {args.disclosed_people} people "
        f"each, against {args.rows:,} LEIE rows"
    )
    print(
        f"{'database':<12}{'seed':>8}{'screen':>10}{'apps/s':>8}{'re-screen':>11}{'apps/s':>8}"
        f"{'matches':>9}{'new':>5}{'one alone':>11}"
    )
    for label, figures in runs:
        disclosed = figures.get("disclosed")
        if not disclosed:
            continue
        screen, rescreen = disclosed["screen"], disclosed["rescreen"]
        print(
            f"{label:<12}{disclosed['seed']:>6.1f} s{screen:>8.1f} s{applications / screen:>8.0f}"
            f"{rescreen:>9.1f} s{applications / rescreen:>8.0f}{int(disclosed['matches']):>9}"
            f"{int(disclosed['new_matches']):>5}{disclosed['one_at_a_time'] * 1000:>8.1f} ms"
        )
    goal = f"{GOAL_APPLICATIONS:,} applications of 12 people screened in under {GOAL_SECONDS} s"
    for label, figures in runs:
        disclosed = figures.get("disclosed")
        if not disclosed:
            continue
        if applications < GOAL_APPLICATIONS or args.disclosed_people < 12:
            print(f"  goal, {goal} ({label}): not measured (run the defaults)")
        else:
            met = max(disclosed["screen"], disclosed["rescreen"]) < GOAL_SECONDS
            print(f"  goal, {goal} ({label}): {'met' if met else 'NOT MET'}")


def print_imports(args: argparse.Namespace, runs: list[tuple[str, dict[str, Any]]]) -> None:
    """Each list's import on each database: rows, the records and numbers stored for them, the
    median seconds, rows a second and the load average then; and whether the goal is met."""
    print(
        f"\nImports (import_exclusions), {args.import_rows:,} rows of each list, each replacing a "
        f"release of the same size: median of {args.import_runs} runs"
    )
    print(
        f"{'database':<12}{'list':<14}{'rows':>8}{'records':>9}{'numbers':>9}{'seconds':>9}"
        f"{'rows/s':>9}{'load':>6}"
    )
    for label, figures in runs:
        for imported in figures.get("imports", []):
            seconds = imported["seconds"]
            print(
                f"{label:<12}{imported['list']:<14}{imported['rows']:>8,}{imported['records']:>9,}"
                f"{imported['numbers']:>9,}{seconds:>7.2f} s{imported['rows'] / seconds:>9,.0f}"
                f"{imported['load']:>6.1f}"
            )
    goal = f"an {GOAL_IMPORT_ROWS:,}-row list imported in at most {GOAL_IMPORT_SECONDS} s"
    for label, figures in runs:
        if not figures.get("imports"):
            continue
        if args.import_rows < GOAL_IMPORT_ROWS:
            print(f"  goal, {goal} ({label}): not measured (run the defaults)")
            continue
        verdicts = ", ".join(
            imported["list"]
            + (" met" if imported["seconds"] <= GOAL_IMPORT_SECONDS else " NOT MET")
            for imported in figures["imports"]
        )
        print(f"  goal, {goal} ({label}): {verdicts}")


def print_name_pairs(label: str, names: dict[str, Any]) -> None:
    """The person-matching figures of one run (see bench/name_pairs.py)."""
    tp, fn = names["true_positives"], names["false_negatives"]
    fp, tn = names["false_positives"], names["true_negatives"]
    print(f"\nPerson matching, {tp + fn + fp + tn:,} labelled pairs ({label})")
    counts = f"true positives {tp:,}, false negatives {fn:,}, false positives {fp:,}"
    print(f"  {counts}, true negatives {tn:,}")
    print(f"  recall {names['recall']:.1%}, precision {names['precision']:.1%}")
    missed = "; ".join(f"{kind} {n} of {of:,}" for kind, (n, of) in names["missed_by_kind"].items())
    print(f"  missed, by what differs: {missed}")
    for heading, examples in [
        ("missed", names["missed_examples"]),
        ("false potential matches", names["false_match_examples"]),
    ]:
        print(f"  examples, {heading}:" + ("" if examples else " none"))
        for example in examples:
            print(f"    {example}")
    for goal, met in names["goals"].items():
        print(f"  goal, {goal}: {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
