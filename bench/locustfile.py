"""Mixed applicant and reviewer traffic for bench/load.py (run by locust, not by pytest)."""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ["LOAD_PASSWORD"]
APPLICANTS = int(os.environ["LOAD_APPLICANTS"])
REVIEWERS = int(os.environ["LOAD_REVIEWERS"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/accounts/login/",
            {
                "login": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"sign-in refused ({response.status_code})")


class Applicant(SignedIn):
    weight = 3

    def on_start(self) -> None:
        number = random.randrange(APPLICANTS)
        self.email = f"load-official-{number}@load.example"
        self.application_pk = int(os.environ[f"LOAD_APPLICATION_{number}"])
        super().on_start()

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="applicant dashboard")

    @task(2)
    def application(self) -> None:
        self.client.get(f"/applications/{self.application_pk}/", name="application overview")

    @task(2)
    def entity_step(self) -> None:
        self.client.get(f"/applications/{self.application_pk}/entity/", name="entity step")

    @task(1)
    def attestations_step(self) -> None:
        self.client.get(
            f"/applications/{self.application_pk}/attestations/", name="attestations step"
        )


class Reviewer(SignedIn):
    weight = 1

    def on_start(self) -> None:
        self.email = f"load-reviewer-{random.randrange(REVIEWERS)}@plan.example"
        super().on_start()

    @task(3)
    def queue(self) -> None:
        self.client.get("/review/", name="review queue")

    @task(2)
    def applications(self) -> None:
        self.client.get("/review/applications/", name="all applications")

    @task(2)
    def application(self) -> None:
        pk = os.environ[f"LOAD_APPLICATION_{random.randrange(APPLICANTS)}"]
        self.client.get(f"/review/applications/{pk}/", name="review application page")
