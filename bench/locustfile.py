"""Applicants, reviewers and network managers, for bench/load.py and bench/failover.py (run by
locust against the load balancer of ``bench/cluster.py``; not by pytest).

Each simulated person has an account of their own, comes from a loopback address of their own
(127.0.x.y) and signs in as a person does: staff with their password, then the code their
authenticator app shows (allauth's MFA page), so every staff page is timed behind the second
factor. A refused sign-in is an error; the person tries again a minute later when told "too
many", a few seconds later otherwise. Pages are fetched without following redirects, and
anything but the page itself (a 200) is an error: a page that sent a person to the sign-in page
is not timed as if it were served.

- applicants open their dashboard, their application and its entity step, save a draft of the
  step (the whole form as the page holds it, the "doing business as" name changed) and upload a
  small PDF with it ("Save draft and upload document");
- reviewers open the review queue, their tasks and application pages, claim a review from the
  queue and decide it: approve ("Approve" button), or return it with a deficiency (or when
  screening blocks approval);
- network managers open the dashboard and the applications list, and export every application
  as CSV: ask for it on the page of exports, wait on that page until the background job has
  built the file, and download it;
- everyone opens a floor page: a trivial signed-in page (allauth's e-mail addresses page, the
  floor of bench/pages.py), so that each page's p95 can be read as a multiple of it.

Every write carries a marker of its own (the draft's name, the file's name, the decision's
reason) and is written to ``LOAD_ACKS`` (JSON lines) with what the portal answered: ``acked``
(the portal said it was done), ``unconfirmed`` (a redirect came back but the page saying whether
it worked did not), ``refused`` (the portal answered that it was not done) or ``failed`` (no
answer, or an error status). ``LOAD_FAILURES`` gets each failed request with its time.
"""

import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import django
import lxml.html
from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from locust.exception import StopUser
from urllib3 import PoolManager

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()  # for the authenticator code (bench.staff, from the tests' own helper)

from bench.staff import code as authenticator_code  # noqa: E402

ACCOUNTS = json.loads(Path(os.environ["LOAD_USERS"]).read_text())
PASSWORD = ACCOUNTS["password"]
ACKS = os.environ.get("LOAD_ACKS", "")
FAILURES = os.environ.get("LOAD_FAILURES", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLAIM = re.compile(r'formaction="/review/tasks/(\d+)/claim/"')
APPLICATION_LINK = re.compile(r'href="/review/applications/(\d+)/"')
FLOOR = "/accounts/email/"
EXPORTS = "/review/exports/"
ASK_EXPORT = "/review/applications/export.csv"
NEWEST_EXPORT = re.compile(r'<tr id="export-(\d+)"')
# A manager's wait for an export: the page is looked at again every few seconds, for at most a
# minute (the job takes a second or two per thousand applications on a busy worker).
EXPORT_POLL_SECONDS = 2
EXPORT_WAIT_SECONDS = 60
MFA = "/accounts/2fa/authenticate/"
# One account per simulated person: an applicant's draft is written by nobody else, and an
# authenticator code is accepted once per account (allauth refuses a code used already).
POOLS = {role: iter(ACCOUNTS[role]) for role in ("applicants", "reviewers", "managers")}
SEQUENCE = itertools.count()
ADDRESSES = itertools.count()


def record(**write: Any) -> None:
    if ACKS:
        with open(ACKS, "a") as out:
            out.write(json.dumps({"seq": next(SEQUENCE), "t": time.time(), **write}) + "\n")


@events.request.add_listener
def _failed(name: str, exception: Any, **_kwargs: Any) -> None:
    if exception is not None and FAILURES:
        with open(FAILURES, "a") as out:
            out.write(json.dumps({"t": time.time(), "name": name, "error": str(exception)}) + "\n")


def answer(response: Any) -> str:
    """What came back, for an error message: the status and where it redirected, or what
    went wrong when nothing came back (status 0)."""
    if response.status_code == 0:
        return f"no answer: {response.error!r}"[:200]
    return f"{response.status_code} {response.headers.get('Location', '')}".strip()


def marker() -> str:
    return uuid.uuid4().hex[:16]


def pdf(mark: str) -> bytes:
    """A small PDF of its own (the portal refuses the same file twice for one requirement)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% load test document "
        + mark.encode()
        + b"\ntrailer<<>>\n%%EOF\n"
    )


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser sends for the form ``form_id`` as the page shows it (no button)."""
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return [(name, value) for name, value in form.form_values()]


def messages_of(html: str) -> str:
    """The page's alerts (the portal's messages) and form errors, as text."""
    document = lxml.html.fromstring(html)
    found = document.xpath(
        '//*[contains(@class, "alert") or contains(@class, "invalid-feedback")'
        ' or contains(@class, "errorlist")]'
    )
    return " | ".join(" ".join(element.text_content().split()) for element in found)


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""
    pool = ""
    email = ""
    secret = ""

    def on_start(self) -> None:
        try:
            account = next(POOLS[self.pool])
        except StopIteration:
            raise StopUser from None
        self.email = account["email"]
        self.secret = account.get("secret", "")
        self.account = account
        # Each person comes from an address of their own (127.0.x.y), as people do, not all from
        # locust's: the load balancer sees them apart and says so in X-Forwarded-For.
        number = next(ADDRESSES)
        address = f"127.0.{number // 250}.{number % 250 + 2}"
        adapter = LocustHttpAdapter(pool_manager=PoolManager(source_address=(address, 0)))
        self.client.mount("http://", adapter)
        for _attempt in range(5):
            wait = self.sign_in()
            if not wait:
                return
            time.sleep(wait)
            self.client.cookies.clear()  # and starts again from the sign-in page
        raise StopUser

    def name(self, page: str) -> str:
        return f"{self.role}: {page}"

    def page(self, url: str, page: str) -> Any:
        """GET a page; anything but the page itself (200) is an error."""
        with self.client.get(
            url, name=self.name(page), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(answer(response))
                return None
            return response

    def post(self, url: str, data: Any, page: str, **kwargs: Any) -> Any:
        return self.client.post(
            url, data=data, name=self.name(page), allow_redirects=False, catch_response=True,
            **kwargs,
        )  # fmt: skip

    def sign_in(self) -> float:
        """Password, then (staff) the authenticator code, as a person does. 0 when signed in;
        otherwise how long the person waits before trying again: a minute when told to (too
        many sign-ins), a few seconds after an error."""
        page = self.page("/accounts/login/", "sign-in page")
        if page is None:
            return 5
        token = CSRF.search(page.text)
        data = {"login": self.email, "password": PASSWORD}
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        expected = MFA if self.secret else None
        with self.post("/accounts/login/", data, "sign in: password") as response:
            refused = self.refused(response, expected)
            if refused:
                return refused
        if not self.secret:
            return 0
        page = self.page(MFA, "sign in: authenticator page")
        if page is None:
            return 5
        # A person types the code the app shows; one about to change they let pass first.
        left = 30 - time.time() % 30
        if left < 3:
            time.sleep(left + 0.2)
        token = CSRF.search(page.text)
        data = {"code": authenticator_code(self.secret)}
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.post(MFA, data, "sign in: authenticator code") as response:
            return self.refused(response, None)

    @staticmethod
    def refused(response: Any, expected: str | None) -> float:
        """0 if a sign-in step went on (a redirect onwards), else the wait before trying again."""
        location = response.headers.get("Location", "")
        if response.status_code == 302 and (
            location == expected if expected else not location.startswith("/accounts/")
        ):
            response.success()
            return 0
        said = messages_of(response.text)[:150] if response.status_code == 200 else ""
        response.failure(f"refused ({answer(response)}) {said}".strip())
        too_many = response.status_code == 429 or "Too many" in said
        return 60 if too_many else 5

    @task(3)
    def floor(self) -> None:
        self.page(FLOOR, "floor (e-mail page)")


class Applicant(Person):
    weight = 6
    role = "applicant"
    pool = "applicants"

    def on_start(self) -> None:
        super().on_start()
        self.application = self.account["application"]
        self.step_url = f"/applications/{self.application}/entity/"

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard/", "dashboard")

    @task(2)
    def application_page(self) -> None:
        self.page(f"/applications/{self.application}/", "application")

    @task(2)
    def entity_step(self) -> None:
        self.page(self.step_url, "entity step")

    @task(3)
    def save_draft(self) -> None:
        page = self.page(self.step_url, "entity step")
        if page is None:
            return
        mark = f"Load {marker()}"
        fields = [(k, v) for k, v in form_fields(page.text, "step-form") if k != "dba_name"]
        data = [*fields, ("dba_name", mark), ("action", "save")]
        write = {"kind": "draft", "app": self.application, "dba": mark, "user": self.email}
        with self.post(self.step_url, data, "save draft (POST)") as response:
            if response.status_code == 302 and response.headers["Location"] == self.step_url:
                response.success()
                record(**write, status="acked")
            elif response.status_code == 200:
                response.failure(f"draft refused: {messages_of(response.text)[:200]}")
                record(**write, status="refused")
                return
            else:
                response.failure(answer(response))
                record(**write, status="failed", code=response.status_code)
                return
        self.page(self.step_url, "entity step")  # where the browser is sent

    @task(1)
    def upload_document(self) -> None:
        page = self.page(self.step_url, "entity step")
        if page is None:
            return
        mark = marker()
        file_name = f"load-{mark}.pdf"
        fields = form_fields(page.text, "step-form")
        dba = next((value for key, value in fields if key == "dba_name"), "")
        data = [*fields, ("requirement", "Other supporting document"), ("action", "upload")]
        files = {"file": (file_name, pdf(mark), "application/pdf")}
        # "Save draft and upload document": the answers are saved with the file.
        draft = {"kind": "draft", "app": self.application, "dba": dba, "user": self.email}
        write = {"kind": "upload", "app": self.application, "file": file_name, "user": self.email}
        with self.post(self.step_url, data, "upload document (POST)", files=files) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(self.step_url):
                response.failure(answer(response))
                record(**draft, status="failed", code=response.status_code)
                record(**write, status="failed", code=response.status_code)
                return
            response.success()
            record(**draft, status="acked")
        # The page the browser is sent to says whether the file was stored.
        after = self.page(self.step_url, "entity step")
        if after is None:
            record(**write, status="unconfirmed")
        elif "Document uploaded." in after.text:
            record(**write, status="acked")
        else:
            record(**write, status="refused", message=messages_of(after.text)[:200])
            events.request.fire(
                request_type="POST",
                name=self.name("upload document (POST)"),
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"upload refused: {messages_of(after.text)[:200]}"),
            )


class Reviewer(Person):
    weight = 3
    role = "reviewer"
    pool = "reviewers"
    applications: list[str]

    def on_start(self) -> None:
        self.applications = []
        super().on_start()

    @task(3)
    def queue(self) -> None:
        page = self.page("/review/", "queue")
        if page is not None:
            self.applications = APPLICATION_LINK.findall(page.text) or self.applications

    @task(1)
    def my_tasks(self) -> None:
        self.page("/review/mine/", "my tasks")

    @task(2)
    def application_page(self) -> None:
        if not self.applications:
            self.queue()
        if self.applications:
            pk = random.choice(self.applications)
            self.page(f"/review/applications/{pk}/", "application page")

    @task(2)
    def claim_and_decide(self) -> None:
        queue = self.page("/review/", "queue")
        if queue is None:
            return
        waiting = CLAIM.findall(queue.text)
        if not waiting:
            return
        task_pk = int(random.choice(waiting))
        decide_url = f"/review/tasks/{task_pk}/"
        token = CSRF.search(queue.text)
        data = {"csrfmiddlewaretoken": token.group(1) if token else ""}
        write = {"kind": "claim", "task": task_pk, "user": self.email}
        with self.post(f"/review/tasks/{task_pk}/claim/", data, "claim (POST)") as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location == decide_url:
                response.success()
                record(**write, status="acked")
            elif response.status_code == 302 and location == "/review/":
                # Another reviewer claimed it first: the portal says so; not a failure.
                response.success()
                record(**write, status="lost")
                self.page("/review/", "queue")
                return
            else:
                response.failure(answer(response))
                record(**write, status="failed", code=response.status_code)
                return
        # The claim lands on the decision page; a change request has its own, where the
        # browser is sent on.
        with self.client.get(
            decide_url, name=self.name("decision page"), allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            location = response.headers.get("Location", "")
            if response.status_code == 200:
                page_url, html = decide_url, response.text
            elif response.status_code == 302 and location.startswith("/review/changes/"):
                response.success()
                change = self.page(location, "change request page")
                if change is None:
                    return
                page_url, html = location, change.text
            else:
                response.failure(answer(response))
                return
        self.decide(page_url, task_pk, html)

    def decide(self, url: str, task_pk: int, html: str) -> None:
        """Approve (the page's "Approve" button) seven times in ten, unless screening blocks
        it; otherwise return one item: by item where the page reviews item by item, else with a
        deficiency."""
        mark = f"Load decision {marker()}"
        form = lxml.html.fromstring(html).get_element_by_id("decision")
        names = {element.name for element in form.inputs if element.name}
        items = sorted(n.removesuffix("-verdict") for n in names if n.endswith("-verdict"))
        decided = {"outcome", "reason", "accept_remaining"} | {
            name for name in names if name.startswith(("deficiency-0-", "item-"))
        }
        fields = [(k, v) for k, v in form.form_values() if k not in decided]
        if 'name="approve_all"' in html and random.random() < 0.7:
            outcome = "approve"
            data = [*fields, ("reason", mark), ("approve_all", "1")]
        else:
            outcome = "return"
            data = [*fields, ("outcome", "return"), ("reason", mark)]
            if items:  # item by item: one returned, the others accepted
                codes = [o for o in form.inputs[f"{items[0]}-reason_code"].value_options if o]
                data += [
                    (f"{items[0]}-verdict", "return"),
                    (f"{items[0]}-reason_code", codes[0]),
                    (f"{items[0]}-comment", "Please send a clearer copy."),
                    ("accept_remaining", "on"),
                ]
            if "deficiency-0-requirement" in names and not items:
                options = [o for o in form.inputs["deficiency-0-requirement"].value_options if o]
                data += [
                    ("deficiency-0-requirement", "general" if "general" in options else options[0]),
                    ("deficiency-0-reason", "Please send a clearer copy."),
                ]
        write = {"kind": "decision", "task": task_pk, "outcome": outcome, "reason": mark}
        write["user"] = self.email
        with self.post(url, data, f"decide: {outcome} (POST)") as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location == "/review/mine/":
                response.success()
                record(**write, status="acked")
            elif response.status_code == 200:
                response.failure(f"decision refused: {messages_of(response.text)[:200]}")
                record(**write, status="refused")
                return
            else:
                response.failure(answer(response))
                record(**write, status="failed", code=response.status_code)
                return
        self.page("/review/mine/", "my tasks")


class Manager(Person):
    weight = 1
    role = "manager"
    pool = "managers"

    @task(3)
    def dashboard(self) -> None:
        self.page("/review/dashboard/", "dashboard")

    @task(2)
    def applications(self) -> None:
        self.page("/review/applications/?status=in_review", "applications in review")

    @task(1)
    def export(self) -> None:
        """The CSV of every application, as a manager gets it: on the page of exports, ask for
        it (a background job builds it), wait on the page (it reloads itself) until the file is
        ready, at most EXPORT_WAIT_SECONDS, then download it."""
        page = self.page(EXPORTS, "CSV export: exports page")
        if page is None:
            return
        token = CSRF.search(page.text)
        data = {"csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.post(ASK_EXPORT, data, "CSV export: ask") as response:
            if response.status_code != 302 or response.headers.get("Location") != EXPORTS:
                response.failure(answer(response))
                return
            response.success()
        deadline = time.time() + EXPORT_WAIT_SECONDS
        while True:
            with self.client.get(
                EXPORTS, name=self.name("CSV export: exports page"), allow_redirects=False,
                catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code != 200:
                    response.failure(answer(response))
                    return
                newest = NEWEST_EXPORT.search(response.text)
                download = f"/review/exports/{newest.group(1)}/download/" if newest else ""
                if download and f'href="{download}"' in response.text:
                    break
                if 'id="exports-waiting"' not in response.text:
                    response.failure(f"export not built: {messages_of(response.text)[:200]}")
                    return
                if time.time() > deadline:
                    response.failure(f"export not ready after {EXPORT_WAIT_SECONDS} s")
                    return
            time.sleep(EXPORT_POLL_SECONDS)
        with self.client.get(
            download, name=self.name("CSV export: download"), allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200 or not response.content.startswith(b"reference,"):
                response.failure(answer(response))
