"""Recredentialing-job benchmark: the daily job over every provider in a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecm_bench \\
        python bench/recredentialing.py [--providers 20000]

Seeds the database (``bench/seeding.py``) until it holds ``--providers`` providers in the
network, their due dates spread from 45 days ago to three years ahead (some with a
recredentialing already open). Then runs ``recredentialing_daily`` as the beat job would: today,
again and again while it opens any (the backlog a plan has on the day it turns the job on, each
run opening at most RECREDENTIALING_OPEN_PER_RUN, the earliest due first), today once more (must
do nothing), and on each of the next three days (a normal day: the providers reaching the
120-day mark). Opening one is a renewal application prefilled from the record, its flow started
and its emails rendered (Django's in-memory mail backend: nothing leaves the machine). Point it
at a database of your own: it adds rows. Prints a table; exits 0.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=20000)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["EMAIL_URL"] = "memorymail://"
    sys.path.insert(0, str(ROOT))
    from bench import BENCH_FIELD_ENCRYPTION_KEY

    os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
    import logging

    import django

    django.setup()
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per eager email otherwise
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from bench.seeding import seed_providers
    from recredentialing.services import recredentialing_daily

    providers = seed_providers(options.providers)

    today = timezone.localdate()
    print(f"{connection.vendor}, {providers} providers in the network")
    print(f"{'run':<28}{'seconds':>9}  summary")

    def run(label: str, day: date) -> int:
        mail.outbox = []
        start = time.perf_counter()
        summary = recredentialing_daily(today=day)
        seconds = time.perf_counter() - start
        print(f"{label:<28}{seconds:>9.2f}  {summary} ({len(mail.outbox)} emails)", flush=True)
        return summary.opened

    backlog = 1
    while run(f"today, backlog run {backlog}", today):
        backlog += 1
    for n in (1, 2, 3):
        run(f"day {n} after", today + timedelta(days=n))


if __name__ == "__main__":
    main()
