"""Credential-check benchmark: the daily job over every provider in a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecm_bench \\
        python bench/credentials.py [--providers 20000]

Seeds the database (``bench/seeding.py``) until it holds ``--providers`` approved or active
providers, each with a care team whose Clinical Consultant's licence runs out somewhere between
60 days ago and three years from now. Then runs ``credentials_check`` three times, as the beat
job would: today with no notice sent yet (the backlog a plan has on the day it turns the job on),
today again (must send nothing), and tomorrow (a normal day). Emails are rendered and handed to
Django's in-memory mail backend, so their cost is counted but nothing leaves the machine.
Point it at a database of your own: it adds rows and records notices. Prints a table; exits 0.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
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
    import django

    django.setup()
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from bench.seeding import seed_providers
    from providers.models import ComplianceIssue, CredentialNotice
    from providers.services.credentials import credentials_check

    providers = seed_providers(options.providers)
    CredentialNotice.objects.all().delete()
    ComplianceIssue.objects.all().delete()

    today = timezone.localdate()
    print(f"{connection.vendor}, {providers} providers in the network")
    print(f"{'run':<28}{'seconds':>9}  summary")
    for label, day in (
        ("today, nothing sent yet", today),
        ("today again", today),
        ("tomorrow", today + timedelta(days=1)),
    ):
        mail.outbox = []
        start = time.perf_counter()
        summary = credentials_check(today=day)
        seconds = time.perf_counter() - start
        print(f"{label:<28}{seconds:>9.2f}  {summary} ({len(mail.outbox)} emails)")


if __name__ == "__main__":
    main()
