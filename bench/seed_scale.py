"""Seed a benchmark database with applications in every state, for ``bench/pages.py``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecm_bench_100k \\
        python bench/seed_scale.py --applications 100000

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
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    from bench import BENCH_FIELD_ENCRYPTION_KEY

    os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
    import django

    django.setup()
    from bench.seeding import seed_scale

    seed_scale(options.applications, options.batch, options.reviewers, options.seed)


if __name__ == "__main__":
    main()
