"""Failover benchmark: a web node killed with ``kill -9`` under load, then restarted.

    python bench/failover.py [--seconds 90] [--users 50] [--kill-at 25] [--restart-at 50]

The cluster of ``bench/load.py`` (``bench/cluster.py``: PostgreSQL, Redis, a Celery worker, moto
S3, two gunicorn nodes behind HAProxy) under the same traffic (``bench/locustfile.py``). At
``--kill-at`` seconds the second node's gunicorn master and workers are killed together
(``SIGKILL`` to its process group); the load goes on; at ``--restart-at`` the node is started
again and asked directly (its own port, not through HAProxy) until it serves a page.

Every write locust made carries a marker and is logged with what the portal answered
(``LOAD_ACKS``). Afterwards, against the database and the bucket:

(a) every acknowledged write is there: the draft's latest acknowledged "doing business as" name
    (or one sent after it), the uploaded file's name, the claim's owner, the decision's reason;
(b) no review task completed twice: no task with two decisions, no flow node active twice in one
    process, no completed task followed twice by the same next node;
(c) no upload recorded without its object: every ``Document`` row's key is in the bucket.

Prints requests sent, failures during the outage (and outside it), acknowledged writes, the three
checks (each must be 0) and how long the restarted node took to serve again. Exits 0.
"""

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cluster import HEALTH_PATH, Cluster, answers, wait_until
from bench.load import run_load, settings_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=25)
    parser.add_argument("--restart-at", type=float, default=50)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--logs", type=Path, help="keep the logs in this folder")
    parser.add_argument("--check", nargs=2, metavar=("ACKS", "SINCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:
        print(json.dumps(check(Path(args.check[0]), float(args.check[1]))))
        return
    with Cluster(
        applications=args.applications,
        keep_logs=args.logs,
    ) as cluster:
        victim = cluster.nodes[1]
        times: dict[str, float] = {}

        def outage(started: float) -> None:
            time.sleep(max(0.0, started + args.kill_at - time.time()))
            times["killed"] = time.time()
            cluster.kill_node(victim)
            wait_until(lambda: cluster.lb_status(victim.name).startswith("DOWN"), "no DOWN", 30)
            times["lb_down"] = time.time()
            time.sleep(max(0.0, started + args.restart_at - time.time()))
            times["restarted"] = time.time()
            cluster.start_node(victim)
            wait_until(lambda: answers(victim.url + HEALTH_PATH, 20), "not served", 60, every=0.05)
            times["served"] = time.time()
            wait_until(lambda: cluster.lb_status(victim.name) == "UP", "not back in HAProxy", 30)
            times["lb_up"] = time.time()

        # The same checks on the seeded data first: what the load must not add to.
        acks = cluster.folder / "acks.jsonl"
        acks.touch()
        before = cluster.django_child(__file__, "--check", str(acks), str(time.time()))
        result = run_load(cluster, users=args.users, seconds=args.seconds, during=outage)
        output = cluster.django_child(__file__, "--check", str(acks), str(result["started"]))
        checks = json.loads(output.strip().splitlines()[-1])
        seeded = json.loads(before.strip().splitlines()[-1])["twice_counts"]
        checks["twice_new"] = sum(
            max(0, n - seeded.get(kind, 0)) for kind, n in checks["twice_counts"].items()
        )
        checks["twice_seeded"] = sum(seeded.values())
        report(result, checks, times, victim.name, args, settings_of(cluster))


def report(
    result: dict[str, Any],
    checks: dict[str, Any],
    times: dict[str, float],
    victim: str,
    args: argparse.Namespace,
    settings: str,
) -> None:
    started = result["started"]
    total = next(row for row in result["rows"] if row["Name"] == "Aggregated")
    window = (times["killed"], times["lb_up"])
    during = [f for f in result["failure_times"] if window[0] <= f["t"] <= window[1]]
    outside = [f for f in result["failure_times"] if not window[0] <= f["t"] <= window[1]]
    writes = result["writes"]
    acked = Counter(w["kind"] for w in writes if w["status"] == "acked")

    def at(name: str) -> float:
        return times[name] - started

    print(
        f"\nFailover: {args.users} users for {args.seconds} s through HAProxy to 2 nodes; "
        f"{victim} killed (SIGKILL to its process group: master and workers) at "
        f"{at('killed'):.1f} s, restarted at {at('restarted'):.1f} s. Settings: {settings}.\n"
    )
    lines = [
        ("requests sent", f"{int(total['Request Count']):,}", ""),
        (
            f"failed during the outage ({at('killed'):.1f}-{at('lb_up'):.1f} s)",
            str(len(during)),
            kinds_of(during),
        ),
        ("failed outside the outage", str(len(outside)), kinds_of(outside)),
        (
            "acknowledged writes",
            str(sum(acked.values())),
            ", ".join(f"{n} {kind}s" for kind, n in sorted(acked.items())),
        ),
        (
            "acknowledged but missing",
            str(checks["missing"]),
            "must be 0; " + checks["missing_detail"],
        ),
        (
            "tasks completed twice",
            str(checks["twice_new"]),
            f"must be 0; after the load {checks['twice_detail']} (in the seeded data before "
            f"the load: {checks['twice_seeded']})",
        ),
        (
            "uploads without object in the bucket",
            str(checks["without_object"]),
            f"must be 0; {checks['documents']:,} document rows, {checks['objects']:,} uploaded "
            f"objects ({checks['orphans']} without a row: stored, then the request was cut), "
            f"{checks['other_objects']:,} other objects (exports, packets)",
        ),
        (
            "restarted node served again after",
            f"{times['served'] - times['restarted']:.1f} s",
            f"a direct request to its port; back in HAProxy after "
            f"{times['lb_up'] - times['restarted']:.1f} s",
        ),
        (
            "HAProxy took the killed node out after",
            f"{times['lb_down'] - times['killed']:.1f} s",
            "health checks",
        ),
    ]
    for label, value, note in lines:
        print(f"  {label:<44}{value:>9}   {note}")
    for title, failures in (("during the outage", during), ("outside the outage", outside)):
        if failures:
            print(f"\nFailed {title}:")
            counts = Counter((f["name"], f["error"][:110]) for f in failures)
            for (name, error), n in counts.most_common():
                print(f"  {n:>5} x {name}: {error}")
    statuses = Counter((w["kind"], w["status"]) for w in writes)
    answered = ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(statuses.items()))
    print(f"\nWrites by answer: {answered}")
    if checks.get("unconfirmed"):
        print(f"  {checks['unconfirmed']}")
    if checks["twice_examples"]:
        print("\nDone twice (after the load):")
        for example in checks["twice_examples"]:
            print(f"  {example}")
    ok = checks["missing"] == 0 and checks["twice_new"] == 0 and checks["without_object"] == 0
    print(
        f"\nGoals: nothing acknowledged lost, nothing done twice, no upload without its object: "
        f"{'MET' if ok else 'NOT MET'}"
    )


def kind_of(failure: dict[str, Any]) -> str:
    error = failure["error"]
    if "429" in error or "Too many" in error:
        return "sign-in refused for too many (allauth's per-address limits)"
    if "502" in error or "no answer" in error:
        return "in flight on the killed node (502, or closed without an answer)"
    if "503" in error:
        return "no node free to take it (503)"
    return "other"


def kinds_of(failures: list[dict[str, Any]]) -> str:
    counts = Counter(kind_of(failure) for failure in failures)
    return "; ".join(f"{n} {kind}" for kind, n in counts.most_common())


# -- The check, in a child with Django set up ------------------------------------------------


def check(acks: Path, since: float) -> dict[str, Any]:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from datetime import UTC, datetime

    from django.contrib.postgres.aggregates import ArrayAgg
    from django.core.files.storage import default_storage
    from django.db.models import Count
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from documents.models import DOCUMENTS_FOLDER, Document
    from onboarding.models import EntityProfile
    from onboarding.nodes import review_nodes
    from reviews.models import ReviewDecision

    writes = [json.loads(line) for line in acks.read_text().splitlines() if line.strip()]
    writes.sort(key=lambda w: w["seq"])
    missing: Counter[str] = Counter()

    # (a) Drafts: a later save overwrites an earlier one, so what must be there is the latest
    # acknowledged one, or one sent after it (whose answer was lost, but which may have landed).
    drafts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for write in writes:
        if write["kind"] == "draft":
            drafts[write["app"]].append(write)
    stored = dict(
        EntityProfile.objects.filter(application__in=drafts).values_list(
            "application_id", "dba_name"
        )
    )
    for app, sent in drafts.items():
        acked = [i for i, w in enumerate(sent) if w["status"] == "acked"]
        if acked and stored.get(app) not in {w["dba"] for w in sent[acked[-1] :]}:
            missing["draft"] += 1
    unconfirmed_found = unconfirmed = 0
    for write in writes:
        if write["kind"] == "upload" and write["status"] in {"acked", "unconfirmed"}:
            there = Document.objects.filter(
                application_id=write["app"], original_name=write["file"]
            ).exists()
            if write["status"] == "acked" and not there:
                missing["upload"] += 1
            if write["status"] == "unconfirmed":
                unconfirmed += 1
                unconfirmed_found += there
        elif write["status"] != "acked":
            continue
        elif write["kind"] == "claim":
            owned = Task.objects.filter(pk=write["task"], owner__email=write["user"])
            missing["claim"] += not owned.exists()
        elif write["kind"] == "decision":
            decision = ReviewDecision.objects.filter(task_id=write["task"], reason=write["reason"])
            missing["decision"] += not decision.exists()

    # (b) Done twice.
    twice: Counter[str] = Counter()
    examples: list[str] = []

    def duplicates(label: str, rows: Any, describe: Any) -> None:
        found = list(rows)
        twice[label] = len(found)
        examples.extend(f"{label}: {describe(row)}" for row in found[:3])

    duplicates(
        "task with two decisions",
        ReviewDecision.objects.filter(task_id__isnull=False)
        .values("task_id")
        .annotate(n=Count("pk"), reasons=ArrayAgg("reason"))
        .filter(n__gt=1),
        lambda row: f"task {row['task_id']} decided {row['n']} times {row['reasons']}",
    )
    duplicates(
        "node active twice in a process",
        Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
        .values("process_id", "flow_task")
        .annotate(n=Count("pk"), tasks=ArrayAgg("pk"), created=ArrayAgg("created"))
        .filter(n__gt=1),
        lambda row: (
            f"process {row['process_id']} {row['flow_task']}: tasks {row['tasks']} created "
            f"{[str(c)[:19] for c in row['created']]}"
        ),
    )
    duplicates(
        "task followed twice by the same node",
        Task.previous.through.objects.values("from_task_id", "to_task__flow_task")
        .annotate(n=Count("pk"), tasks=ArrayAgg("to_task_id"))
        .filter(n__gt=1),
        lambda row: f"task {row['from_task_id']} -> {row['to_task__flow_task']} {row['tasks']}",
    )
    run_start = datetime.fromtimestamp(since, tz=UTC)
    done_in_run = Task.objects.filter(
        status=STATUS.DONE, finished__gte=run_start, flow_task__in=list(review_nodes().values())
    ).values_list("pk", flat=True)
    decided = set(
        ReviewDecision.objects.filter(task_id__in=list(done_in_run)).values_list(
            "task_id", flat=True
        )
    )
    twice["review completed without a decision"] = len(set(done_in_run) - decided)

    # (c) Uploads without their object.
    every_key = {obj.key for obj in default_storage.bucket.objects.all()}  # type: ignore[attr-defined]
    # Uploads only: the bucket holds the managers' exports and the welcome packets too.
    keys = {key for key in every_key if key.startswith(DOCUMENTS_FOLDER)}
    names = set(Document.objects.values_list("file", flat=True))
    return {
        "missing": sum(missing.values()),
        "missing_detail": ", ".join(f"{n} {k}s" for k, n in missing.items() if n) or "none",
        "twice": sum(twice.values()),
        "twice_detail": "; ".join(f"{k}: {n}" for k, n in twice.items()),
        "twice_examples": examples,
        "twice_counts": dict(twice),
        "without_object": len(names - keys),
        "documents": Document.objects.count(),
        "objects": len(keys),
        "orphans": len(keys - names),
        "other_objects": len(every_key - keys),
        "unconfirmed": (
            f"{unconfirmed} uploads answered with a redirect whose page never came: "
            f"{unconfirmed_found} of them stored"
        )
        if unconfirmed
        else "",
    }


if __name__ == "__main__":
    main()
