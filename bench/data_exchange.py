"""Sample-file check benchmark: time and peak memory to check RTF samples of 5,000 and 50,000 lines.

    python bench/data_exchange.py

Writes valid RTF samples (current July 2025 column set) as CSV and as Excel to a temporary folder,
then runs the portal's own check on each (content sniffing, streaming read, every column rule,
NPI/TIN comparison) and prints a table: lines, file size, seconds and CPU seconds (one timed run;
on a busy machine the first grows with the load, the second much less), peak Python memory while
checking (tracemalloc, in a second run), and how far the process's resident memory rose above
where it started during a third run (Linux's high-water mark, reset before the run; it includes
what C libraries such as lxml allocate, which tracemalloc cannot see). The time limit applies to
the timed run only: tracemalloc makes Python several times slower. No database is used: the
rules come straight from the seeded spec. The machine's load average (1 minute) before and after
is printed last: the seconds of a run mean little without it. Exits 0.

The portal's limits apply (``SAMPLE_XLSX_MAX_CELLS``, ``SAMPLE_CHECK_MAX_SECONDS`` and the rest):
a file past one is a row saying it was refused and how long refusing took. ``--past-limits``
lifts them for this run, to time reading files past them.
"""

import argparse
import csv
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Throwaway keys: the portal refuses its public development keys unless DEBUG is on.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
from bench import BENCH_FIELD_ENCRYPTION_KEY  # noqa: E402

os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
PAST_LIMITS = "--past-limits" in sys.argv[1:]
if PAST_LIMITS:
    for limit in ("SAMPLE_XLSX_MAX_CELLS", "SAMPLE_XLSX_MAX_SHARED_STRINGS"):
        os.environ[limit] = str(10**9)
    os.environ["SAMPLE_XLSX_MAX_TEXT_CHARACTERS"] = str(10**10)
    os.environ["SAMPLE_CHECK_MAX_SECONDS"] = str(3600)

import django  # noqa: E402  (settings must be configured first)

django.setup()

from django.core.files import File  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from data_exchange.readers import (  # noqa: E402
    ReadLimits,
    UnreadableFile,
    file_format_of,
    read_lines,
)
from data_exchange.specs import RTF_2025_07, ColumnFormat  # noqa: E402
from data_exchange.validation import ColumnRule, Expected, check_lines  # noqa: E402

NPI, TIN = "1234567893", "123456789"
SIZES = (5_000, 50_000)
VALUES = {
    ColumnFormat.TEXT: "Sample",
    ColumnFormat.DATE: "07/15/2025",
    ColumnFormat.YES_NO: "Y",
    ColumnFormat.ZIP: "90012",
    ColumnFormat.PHONE: "(213) 555-0100",
    ColumnFormat.EMAIL: "lcm@sunrise.example",
    ColumnFormat.WHOLE_NUMBER: "2",
    ColumnFormat.NPI: NPI,
    ColumnFormat.TIN: "12-3456789",
}
RULES = [
    ColumnRule(c.name, c.format, c.required, tuple(x.strip() for x in c.codes.split(",") if x))
    for c in RTF_2025_07
]


def line(n: int) -> list[str]:
    values = []
    for rule in RULES:
        if rule.format == ColumnFormat.CIN:
            values.append(f"{90000000 + n:08d}A")
        elif rule.format == ColumnFormat.CODE:
            values.append(rule.codes[n % len(rule.codes)])
        else:
            values.append(VALUES[ColumnFormat(rule.format)])
    return values


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([rule.name for rule in RULES])
        for n in range(count):
            writer.writerow(line(n))


def write_xlsx(path: Path, count: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("RTF")
    sheet.append([rule.name for rule in RULES])
    for n in range(count):
        sheet.append(line(n))
    workbook.save(path)


def check(path: Path, timed: bool = True) -> tuple[int, int]:
    """Check the file within the portal's limits; ``timed=False`` lifts the time limit alone,
    for the runs that measure memory (tracemalloc makes Python several times slower)."""
    limits = ReadLimits.from_settings()
    if not timed:
        limits = replace(limits, workbook=replace(limits.workbook, deadline=float("inf")))
    with File(path.open("rb")) as upload:
        file_format = file_format_of(upload)
        result = check_lines(
            read_lines(upload, file_format, limits),
            RULES,
            "RTF (version 2025-07)",
            Expected(NPI, TIN),
        )
    return result.line_count, result.problem_count


def resident_rise(path: Path) -> float | None:
    """MB the resident set rose above its level before checking (None where Linux's counters are
    not available)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets the high-water mark (VmHWM)
        before = _status_mb("VmRSS")
        check(path, timed=False)
        return _status_mb("VmHWM") - before
    except OSError:
        return None


def _status_mb(field: str) -> float:
    for status_line in Path("/proc/self/status").read_text().splitlines():
        if status_line.startswith(field + ":"):
            return int(status_line.split()[1]) / 1024
    raise OSError(field)


def measure(path: Path) -> tuple[float, float, float, int, int]:
    """Seconds and CPU seconds from one run, peak memory from a second run (tracemalloc slows
    Python down)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    lines, problems = check(path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    tracemalloc.start()
    check(path, timed=False)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, cpu_seconds, peak / 1024 / 1024, lines, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--past-limits", action="store_true", help="lift the Excel limits")
    parser.parse_args()
    load_before = os.getloadavg()[0]
    print(
        f"{'file':<6} {'lines':>7} {'size MB':>8} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} "
        f"{'RSS +MB':>8} {'problems':>8}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        for file_format, write in (("csv", write_csv), ("xlsx", write_xlsx)):
            for count in SIZES:
                path = Path(folder) / f"rtf-{count}.{file_format}"
                write(path, count)
                started = time.perf_counter()
                try:
                    seconds, cpu_seconds, peak, lines, problems = measure(path)
                except UnreadableFile as refusal:  # measure() checks first, untraced
                    took = time.perf_counter() - started
                    print(f"{file_format:<6} {count:>7} refused after {took:.2f} s: {refusal}")
                    continue
                rise = resident_rise(path)
                size = path.stat().st_size / 1024 / 1024
                shown_rise = "n/a" if rise is None else f"{rise:.1f}"
                print(
                    f"{file_format:<6} {lines:>7} {size:>8.1f} {seconds:>8.2f} {cpu_seconds:>8.2f} "
                    f"{peak:>8.2f} {shown_rise:>8} {problems:>8}",
                    flush=True,
                )
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
