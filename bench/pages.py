"""Page benchmark: latency and SQL query count of the workbench pages at 1,000 and 100,000.

    python bench/pages.py --db postgres://postgres@127.0.0.1:5432/ecm_bench7 \
                          --db postgres://postgres@127.0.0.1:5432/ecm_bench7_100k [--requests 30]

Each ``--db`` is a migrated database seeded with ``bench/seed_scale.py --applications N`` (this
script does not seed; seeding 100,000 takes minutes). For each database a child process serves
requests in-process through Django's test client (no network, no browser) and counts queries with
``CaptureQueriesContext``. Set ``CACHE_URL`` as production does (the Redis on this machine:
``rediscache://127.0.0.1:6379/3``) so that sessions are read from the cache; without it each page
makes one more query. The parent prints one table: median and p95 milliseconds, queries per
request, and the median as a multiple of the floor: a trivial signed-in page, the reviewer's own
e-mail addresses (allauth's page in the portal's layout, reading one small table). The application
page is that of an application waiting for its data-sharing review, so that both sizes show an
application with the same sections filled in; the decision page that of the reviewer's first
review of an onboarding step or final approval (one it holds). Both show the record's sections
from the cache after the first request (the record unchanged). "application, first look" opens a
different application waiting for review each request, one whose record changed and was then
rendered by the background job that every change to a record awaiting review queues
(``reviews.record_warming``; run here, untimed, as the worker would); "application, cold record"
opens a different one each request every row of whose record changed and which was not rendered
(a record no job rendered, or a look after a deploy), so it times the whole record read and
rendered. "decision page, just claimed" is the page a claim redirects to: each request claims
(untimed) the data-sharing review of another application whose record the job rendered after
its last change, so the claim's event is all that changed before the look, as when a reviewer
claims from the queue before the worker has run (those claims are released at the end and
the events they added removed, so that every run times the seeded timelines). "decision page,
first claim" claims, the same way, the review of an application submitted and not claimed yet:
the claim also puts it in review, which its progress shows. (All these records are given a
new stamp first, every row of them, so that no rendering kept by an earlier run is found; but for
a part that shows none of their rows: the documents of a record without any, the welcome packet
of an application not in the network.)
The filtered list's rows come from the cache after the first request too (the rows unchanged);
"applications, a page first seen" opens the next page of the whole list each request, its rows
read and rendered.
After the rounds, "a cold record alone": what a look at a record none of whose parts is cached
adds to the page around it (``record_sections`` for one viewer: the parts' stamps, the cache
missed, the record read, its parts rendered and kept), then the same records' read (the parts'
rows and what their contexts read) and rendering apart, the least one of its reads costs, and
what PostgreSQL takes to find and send every row of it (one statement, as JSON).
Prints figures; asserts nothing; exits 0.
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_PASSWORD = "bench-only-password-2026!"  # noqa: S105  (a benchmark database's reviewer)


def measure(requests: int) -> dict[str, Any]:
    """Runs inside the child process, against DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    from bench import BENCH_FIELD_ENCRYPTION_KEY

    os.environ.setdefault("FIELD_ENCRYPTION_KEY", BENCH_FIELD_ENCRYPTION_KEY)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.db.models import F, Max
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from viewflow.workflow.models import Task

    from bench.staff import code as authenticator_code
    from bench.staff import enrol
    from changes.models import ChangeRequest
    from onboarding.models import Application, ApplicationEvent, ApplicationStep
    from portal.models import User
    from reviews.models import ReviewDecision, ReviewWork
    from reviews.queues import PAGE_SIZE
    from reviews.record_parts import RECORD_PARTS, record_for_parts
    from reviews.record_sections import record_sections, record_warm, rendering
    from reviews.record_viewers import Viewer
    from reviews.services.decisions import task_claim, task_release

    reviewer = User.objects.filter(email__endswith="@reviewers.plan.example").order_by("pk").first()
    if reviewer is None:
        raise SystemExit("Seed the database first: python bench/seed_scale.py --applications N")
    # The benchmark signs the reviewer in as a person does, password then authenticator code, so
    # that staff pages are timed behind the second factor: a fresh password and authenticator
    # are set on this benchmark database's reviewer for that.
    secret = enrol(reviewer, make_password(BENCH_PASSWORD))
    count = Application.objects.count()
    waiting = Application.objects.filter(
        status=Application.Status.IN_REVIEW,
        review_work__is_open=True,
        review_work__stage=ReviewDecision.Stage.DATA_SHARING,
    ).order_by("pk")
    middle = waiting[waiting.count() // 2]

    # The record's parts are cached under stamps of their rows (reviews.record_sections): the
    # application page above is timed as a reviewer who looks again sees it; the first looks
    # and cold records below, a different application each request (none of them the one above).
    def unseen(pks: list[int]) -> None:
        """Rows of the list cached by an earlier run (for RECORD_CACHE_SECONDS) would make pages
        first seen second ones: an update that changes nothing gives the applications' rows a
        new row version, and so what shows them a new stamp."""
        Application.objects.filter(pk__in=pks).update(updated_at=F("updated_at"))

    def changed_throughout(pks: list[int]) -> None:
        """Every row of each record changed (an update that changes nothing gives each row a new
        version), so that every part of it has a new stamp and no rendering kept by an earlier
        run is found."""
        tables = {
            rows
            for part in RECORD_PARTS
            for rows in part.rows
            if "$1" in rows.where and not rows.shown
        }
        with connection.cursor() as cursor:
            for rows in tables:
                where = rows.where.replace("$1", "ANY(%s)")
                cursor.execute(
                    f"UPDATE {rows.table} SET id = id WHERE id IN "  # noqa: S608  (models' tables)
                    f"(SELECT t.id FROM {rows.table} t WHERE {where})",
                    [pks] * where.count("%s"),
                )

    # The whole list, newest first, a page not seen before each request (its rows read and
    # rendered). Changed first: the records below are rendered after every change.
    list_pages = range(2, requests + 6)
    newest = Application.objects.order_by("-pk").values_list("pk", flat=True)
    unseen(list(newest[PAGE_SIZE : PAGE_SIZE * list_pages[-1]]))
    unseen_pages = iter(f"{reverse('reviews:applications')}?page={n}" for n in list_pages)
    looks = requests + 4  # and the warm-ups
    others = list(waiting.exclude(pk=middle.pk).values_list("pk", flat=True)[: 2 * looks])
    first_pks, cold_pks = others[:looks], others[looks:]
    changed_throughout(others)

    # The decision page a claim redirects to: the review of another application each request,
    # whose record the job rendered after its last change (as the worker would), claimed just
    # before (untimed): the claim's event is all that changed; and, for an application
    # submitted and not claimed yet, its first claim, which also puts it in review. Released
    # again at the end (an application none of whose reviews is claimed is submitted again).
    def unclaimed(status: str, *stages: str) -> list[tuple[int, int]]:
        reviews = ReviewWork.objects.filter(
            is_open=True, owner__isnull=True, stage__in=stages, application__status=status
        )
        return list(
            reviews.exclude(application__in=[middle.pk, *others])
            .order_by("pk")
            .values_list("application_id", "task_id")[:looks]
        )

    to_claim = unclaimed(Application.Status.IN_REVIEW, ReviewDecision.Stage.DATA_SHARING)
    step_stages = [s for s in ReviewDecision.Stage.values if s in ApplicationStep.Kind.values]
    to_claim_first = unclaimed(Application.Status.SUBMITTED, *step_stages)
    if not to_claim or not to_claim_first:
        raise SystemExit("No review waits unclaimed: seed with seed_scale.")
    # The claims and releases add events to these records' timelines; they are removed at the
    # end, so that the next run times the same timelines as this one (the seeded ones).
    events_before = ApplicationEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    claimed_records = [application_pk for application_pk, _ in [*to_claim, *to_claim_first]]
    changed_throughout(claimed_records)
    for application_pk in claimed_records:
        record_warm(application_pk=application_pk)

    def claimed(reviews: list[tuple[int, int]]) -> Iterator[str]:
        """Each review claimed in turn; once all were, each is released, rendered again (as the
        worker would after the release) and claimed anew."""
        for application_pk, task_pk in itertools.cycle(reviews):
            task = Task.objects.get(pk=task_pk)
            if task.owner_id is not None:
                task_release(task=task, user=reviewer)
                record_warm(application_pk=application_pk)
                task = Task.objects.get(pk=task_pk)
            task_claim(task=task, user=reviewer)
            yield reverse("reviews:decide", args=[task_pk])

    claimed_pages, first_claimed_pages = claimed(to_claim), claimed(to_claim_first)
    started = time.perf_counter()
    rendered = sum(record_warm(application_pk=pk) for pk in first_pks)
    warming = (time.perf_counter() - started) * 1000 / len(first_pks)
    first_looks = iter(reverse("reviews:application", args=[pk]) for pk in first_pks)
    cold_looks = iter(reverse("reviews:application", args=[pk]) for pk in cold_pks)
    applicant = middle.created_by
    held = ReviewWork.objects.filter(is_open=True, owner=reviewer).count()
    # The decision page of a review the reviewer holds (an onboarding step's, not a change
    # request's: those have their own page above).
    own_task = (
        ReviewWork.objects.filter(is_open=True, owner=reviewer)
        .exclude(stage=ReviewDecision.Stage.CHANGE)
        .order_by("pk")
        .values_list("task_id", flat=True)
        .first()
    )
    if own_task is None:
        raise SystemExit("The reviewer holds no onboarding review: seed with seed_scale.")

    staff = Client()
    staff.post(reverse("account_login"), {"login": reviewer.email, "password": BENCH_PASSWORD})
    staff.post(reverse("mfa_authenticate"), {"code": authenticator_code(secret)})
    if staff.get(reverse("reviews:queue")).status_code != 200:
        raise SystemExit("The reviewer could not sign in with password and authenticator code.")
    person = Client()
    person.force_login(applicant)
    # A change request waiting for review (seed_scale sends one for every tenth provider), its
    # review page and the provider's own list of requests.
    sent = ChangeRequest.objects.filter(status=ChangeRequest.Status.SUBMITTED).order_by("pk")
    change = sent[sent.count() // 2]
    change_task = ReviewWork.objects.get(
        application=change.application_id, stage=ReviewDecision.Stage.CHANGE, is_open=True
    ).task_id
    provider_person = Client()
    provider_person.force_login(change.application.created_by)
    anonymous = Client()
    published = Application.objects.filter(
        status__in=[Application.Status.ACTIVE, Application.Status.CONDITIONAL]
    ).order_by("pk")
    listed = published[published.count() // 2]
    pages: list[tuple[str, Client, str | Iterator[str]]] = [
        ("floor: account e-mail page", staff, reverse("account_email")),
        ("reviewer queue", staff, reverse("reviews:queue")),
        ("my tasks", staff, reverse("reviews:my_tasks")),
        (
            "applications, filtered",
            staff,
            reverse("reviews:applications") + "?status=in_review&county=los_angeles",
        ),
        ("applications, a page first seen", staff, unseen_pages),
        ("application page", staff, reverse("reviews:application", args=[middle.pk])),
        ("application, first look", staff, first_looks),
        ("application, cold record", staff, cold_looks),
        ("decision page", staff, reverse("reviews:decide", args=[own_task])),
        ("decision page, just claimed", staff, claimed_pages),
        ("decision page, first claim", staff, first_claimed_pages),
        ("applicant dashboard", person, reverse("onboarding:dashboard")),
        ("change request review", staff, reverse("changes:review", args=[change_task])),
        (
            "provider's change requests",
            provider_person,
            reverse("changes:list", args=[change.application_id]),
        ),
        # Seeded by seed_scale: providers at every point of the cycle, some approved with
        # conditions.
        ("recredentialing, overdue", staff, reverse("recredentialing:workbench") + "?due=overdue"),
        ("corrective actions, open", staff, reverse("corrective_actions:workbench")),
        # The public provider directory (no sign-in): a page of 100 Organizations with their
        # affiliations to the network, and one provider read by id.
        (
            "FHIR: 100 orgs + affiliations",
            anonymous,
            "/fhir/Organization?_count=100"
            "&_revinclude=OrganizationAffiliation:participating-organization",
        ),
        ("FHIR: one organization", anonymous, f"/fhir/Organization/prov-{listed.pk}"),
    ]

    def address(url: str | Iterator[str]) -> str:
        return url if isinstance(url, str) else next(url)

    try:
        query_counts = []
        for _name, client, url in pages:
            for _ in range(3):
                client.get(address(url))
            path = address(url)  # (a claim before the page is not the page's)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
            query_counts.append(len(queries))
        # Round-robin: each round requests every page once, so that the machine's ups and downs
        # fall on all pages alike and the multiples of the floor compare like with like.
        timings: list[list[float]] = [[] for _ in pages]
        for _ in range(requests):
            for timing, (_name, client, url) in zip(timings, pages, strict=True):
                path = address(url)
                started = time.perf_counter()
                client.get(path)
                timing.append((time.perf_counter() - started) * 1000)
        # The record alone, as a cold look reads and renders it (its parts' stamps, the cache
        # missed, the read, the rendering, the cache written): what a look at a record that no
        # job rendered adds to the page around it; then its read and its rendering apart. The
        # records the cold looks opened, every row changed again.
        changed_throughout(cold_pks)
        alone: dict[str, list[float]] = {
            "whole": [],
            "read": [],
            "rendered": [],
            "orm_read": [],
            "cursor_read": [],
            "one_statement": [],
            "rows": [],
        }
        alone_queries = 0
        viewer = Viewer.of(reviewer)
        for pk in cold_pks:
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                record_sections(reviewer, pk)
            alone["whole"].append((time.perf_counter() - started) * 1000)
            alone_queries = len(queries)
        for pk in cold_pks:  # the same records, read and rendered apart
            started = time.perf_counter()
            application = record_for_parts(pk, RECORD_PARTS)
            contexts = [(part, _evaluated(part.context_of(application))) for part in RECORD_PARTS]
            read = time.perf_counter()
            for part, context in contexts:
                rendering(viewer, part, context)
            alone["read"].append((read - started) * 1000)
            alone["rendered"].append((time.perf_counter() - read) * 1000)
        # The least one of the record's reads costs: an application's steps (a few rows of one
        # table, by an index), through the ORM and, the same statement, through the cursor.
        for pk in cold_pks:
            steps = ApplicationStep.objects.order_by().filter(application_id=pk)
            started = time.perf_counter()
            list(steps)
            alone["orm_read"].append((time.perf_counter() - started) * 1000)
            statement, params = steps.query.sql_with_params()
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                cursor.fetchall()
            alone["cursor_read"].append((time.perf_counter() - started) * 1000)
        # Where the time is not: every row of the record, in every table its parts show, read
        # by one statement as JSON (what PostgreSQL itself takes to find and send them; prepared
        # once, as the parts' stamps are). Each set of rows once, however many parts stamp it
        # and by whatever of it they show.
        chosen = dict.fromkeys(
            (rows.table, rows.where) for part in RECORD_PARTS for rows in part.rows
        )
        each_table = (
            f"'{n}', (SELECT coalesce(json_agg(t), '[]') FROM {table} t WHERE {where})"  # noqa: S608  (models' tables)
            for n, (table, where) in enumerate(chosen)
        )
        every_table = f"SELECT json_build_object({', '.join(each_table)})"
        with connection.cursor() as cursor:
            cursor.execute(f"PREPARE bench_every_row(bigint) AS {every_table}")
            for _ in range(6):  # PostgreSQL plans a prepared statement's first five executions
                cursor.execute("EXECUTE bench_every_row(%s)", [middle.pk])
            for pk in cold_pks:
                started = time.perf_counter()
                cursor.execute("EXECUTE bench_every_row(%s)", [pk])
                every_row = cursor.fetchone()[0]
                alone["one_statement"].append((time.perf_counter() - started) * 1000)
                alone["rows"].append(sum(len(each) for each in every_row.values()))
            cursor.execute("DEALLOCATE bench_every_row")
    finally:  # the benchmark database as it was seeded: the claims released, their events gone
        claims = [task for _application, task in [*to_claim, *to_claim_first]]
        for task in Task.objects.filter(pk__in=claims):
            if task.owner_id == reviewer.pk:
                task_release(task=task, user=reviewer)
        ApplicationEvent.objects.filter(
            pk__gt=events_before, application__in=claimed_records
        ).delete()
    results = []
    for (name, _client, _url), timing, query_count in zip(
        pages, timings, query_counts, strict=True
    ):
        timing.sort()
        results.append(
            {
                "page": name,
                "median": statistics.median(timing),
                "p95": timing[max(0, round(0.95 * len(timing)) - 1)],
                "queries": query_count,
            }
        )
    return {
        "applications": count,
        "held_by_reviewer": held,
        "warming_ms": warming,
        "renderings": rendered / len(first_pks),
        "record_alone": {name: statistics.median(times) for name, times in alone.items()},
        "record_alone_queries": alone_queries,
        "pages": results,
    }


def _evaluated(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with its lazy lists read (a part's template would read them as it renders)."""
    from django.db.models import QuerySet

    return {
        name: list(value) if isinstance(value, QuerySet) else value
        for name, value in context.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], help="seeded database URL")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.requests)))
        return
    urls = args.db or [os.environ.get("DATABASE_URL", "")]
    runs = []
    for url in urls:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": os.environ.get("SECRET_KEY", "x")}
        env.setdefault("DEBUG", "false")
        # Plain HTTP, as a web node behind the load balancer serves it (the HTTPS redirect is
        # the load balancer's side of production).
        env.setdefault("SECURE_SSL_REDIRECT", "false")
        output = subprocess.run(
            [sys.executable, __file__, "--child", "--requests", str(args.requests)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    header = f"{'page':<26} {'N':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'x floor':>8}"
    print(header)
    print("-" * len(header))
    for run in runs:
        floor = run["pages"][0]["median"]
        for page in run["pages"]:
            print(
                f"{page['page']:<26} {run['applications']:>8,} {page['median']:>10.1f} "
                f"{page['p95']:>8.1f} {page['queries']:>8} {page['median'] / floor:>8.1f}"
            )
        print(f"  (reviewer holds {run['held_by_reviewer']} open reviews at this N)")
        print(
            f"  (the background job's work per record for the first looks: "
            f"{run['warming_ms']:.0f} ms, {run['renderings']:.0f} renderings, one per kind of "
            "staff viewer and language)"
        )
        alone = run["record_alone"]
        print(
            f"  (a cold record alone, for one viewer: {alone['whole']:.1f} ms in "
            f"{run['record_alone_queries']} queries, {alone['whole'] / floor:.1f}x the floor page; "
            f"read {alone['read']:.1f} ms, rendered {alone['rendered']:.1f} ms; the least of its "
            f"reads, a few rows of one table: {alone['orm_read']:.2f} ms through the ORM, "
            f"{alone['cursor_read']:.2f} ms through the cursor; every row of it, "
            f"{alone['rows']:.0f}, by one statement as JSON: {alone['one_statement']:.1f} ms)"
        )
    print(
        f"{args.requests} rounds, each requesting every page once, after 3 warm-ups per page; "
        "in-process test client."
    )


if __name__ == "__main__":
    main()
