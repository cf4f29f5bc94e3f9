"""Seed a benchmark database with applications in every state, for ``bench/pages.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecm_bench_100k \\
        python bench/seed_scale.py --applications 100000

With ``--active-providers N`` it seeds until N providers are active or approved with conditions
(those the public directory lists), however many applications that takes.

The database must be migrated first (``manage.py migrate``). Runs add to what is there: the
reviewers and managers are made once and reused. The rows are written as the flow would have left
them (``bench/seeding.py``), not by running it, so 100,000 applications take minutes.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=2000, help="applications per transaction")
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7, help="makes the data repeatable")
    parser.add_argument(
        "--active-providers",
        type=int,
        default=0,
        help="seed until this many providers are active or approved with conditions",
    )
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    from bench import BENCH_FIELD_ENCRYPTION_KEY

    os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
    import django

    django.setup()
    from bench.seeding import seed_providers, seed_scale
    from onboarding.models import Application

    if options.active_providers:
        listed = (Application.Status.ACTIVE, Application.Status.CONDITIONAL)
        have = seed_providers(options.active_providers, listed, report=print)
        print(f"{have} providers active or approved with conditions")
        return
    seed_scale(options.applications, options.batch, options.reviewers, options.seed)


if __name__ == "__main__":
    main()
