"""Under CI (``CI=true``) a skipped test fails the run, unless another step of .ci/run runs it.

Tests skip, saying why, where a service they need is missing: Chromium, the S3 servers, Redis,
PostgreSQL. On a developer's machine that is a convenience; in CI it would be a check that cannot
fail, so there each skip is reported as an error carrying its reason. The one exception is a test
marked ``postgres`` while the tests' database is not PostgreSQL: the SQLite step skips those and
the PostgreSQL step, which runs the same suite, is the one responsible for them (and fails if it
skips one, Redis missing included).
"""

import os
from collections.abc import Generator

import pytest

# The values CI services set (GitHub Actions and GitLab "true", others "1").
CI_VALUES = frozenset({"true", "1", "yes"})


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in CI_VALUES


def runs_elsewhere_in_ci(item: pytest.Item) -> bool:
    """True for a PostgreSQL-only test on another database: CI's PostgreSQL step runs it."""
    from django.db import connection  # Django is set up by the time tests run, not at import.

    return item.get_closest_marker("postgres") is not None and connection.vendor != "postgresql"


def skip_reason(report: pytest.TestReport) -> str:
    if isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # An expected failure (xfail) is reported as skipped too; it is not a skip.
    skipped = report.skipped and not hasattr(report, "wasxfail")
    if skipped and under_ci() and not runs_elsewhere_in_ci(item):
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped under CI=true, where a skip would be a check that cannot fail: "
            f"{skip_reason(report)}"
        )
    return report
