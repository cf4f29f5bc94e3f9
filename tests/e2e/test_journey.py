"""The whole onboarding journey in a real browser, checked for accessibility on every page."""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import Page, expect

from onboarding.models import Application
from tests.data_sharing.samples import as_csv, sample_rows, specification
from tests.factories import PASSWORD, UserFactory, enroll_totp, totp_now

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = "ana@sunrise-e2e.example"
NARRATIVE = "Our team has done this every week for years, in person, with members and partners."


class Visit:
    """Each page the journey reaches is photographed and checked with axe-core."""

    def __init__(self, page: Page, screenshot: Any, accessible: Any) -> None:
        self.page, self.screenshot, self.accessible = page, screenshot, accessible

    def __call__(self, name: str) -> None:
        self.page.wait_for_load_state("networkidle")
        self.screenshot(name, on=self.page)
        self.accessible(self.page)


class Effort:
    """What the journey costs the person at one browser page: page loads and clicks.

    Clicks are counted in the page itself (every trusted click event, so ticking a box or a
    label counts as one); choosing from a list and typing are not clicks.
    """

    def __init__(self, page: Page) -> None:
        self.loads = 0
        self.clicks = 0
        page.on("load", lambda _page: self._loaded())
        page.expose_function("journeyClick", self._clicked)
        page.add_init_script(
            "document.addEventListener('click', e => { if (e.isTrusted) window.journeyClick(); },"
            " true);"
        )

    def _loaded(self) -> None:
        self.loads += 1

    def _clicked(self) -> None:
        self.clicks += 1

    def since(self, loads: int, clicks: int) -> tuple[int, int]:
        return self.loads - loads, self.clicks - clicks


EFFORT_REPORT = Path(__file__).resolve().parents[2] / "test-output" / "journey-effort.txt"
# Each disclosed person is a page of their own and the way back to the step: this journey's
# owner and managing employee are 4 of the loads.
APPLICANT_PAGE_LOADS_GOAL = 44
CLICKS_PER_APPROVAL_GOAL = 4


def staff_member(email: str, role: str) -> tuple[str, str]:
    user = UserFactory.create(email=email, groups=[role])
    Authenticator.objects.filter(user=user).delete()
    secret = enroll_totp(user)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return email, secret


def sign_in(page: Page, base: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if secret:
        # The portal accepts a code only within its own 30-second window: one typed as its
        # window ends would be refused, so wait for the next window when it is that close.
        left = 30 - time.time() % 30
        if left < 3:
            time.sleep(left + 0.2)
        page.locator("#id_code").fill(totp_now(secret))
        page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()
        expect(page.locator("#id_code")).to_have_count(0)  # signed in, not asked again


APPROVE_BUTTON = re.compile(
    "^(Approve|Accept all remaining items and approve|Give final approval)$"
)


def decide(
    page: Page, base: str, step: str, outcome: str, visit: Visit, **deficiency: str
) -> tuple[int, int]:
    """Decide the review of ``step`` from the queue; returns the page loads and clicks it took
    from the queue on."""
    page.goto(f"{base}/review/")
    visit(f"queue-{step}")
    effort: Effort = page.effort  # type: ignore[attr-defined]
    start = (effort.loads, effort.clicks)
    row = page.get_by_role("row").filter(has_text=step)
    row.get_by_role("button", name="Claim").first.click()
    visit(f"decide-{step}")
    if outcome == "Approve":
        page.get_by_role("button", name=APPROVE_BUTTON).click()
    else:
        page.get_by_label(outcome, exact=True).check()
        if deficiency:
            page.locator("#id_deficiency-0-requirement").select_option(deficiency["requirement"])
            page.locator("#id_deficiency-0-reason").fill(deficiency["reason"])
        page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert").first).to_contain_text("Decision recorded")
    return effort.since(*start)


def test_the_whole_journey_in_a_browser(
    page: Page,
    browser: Any,
    live_server: Any,
    screenshot: Any,
    accessible: Any,
    welcome_packet: Any,
    tmp_path: Path,
) -> None:
    base = live_server.url
    visit = Visit(page, screenshot, accessible)
    applicant_effort = Effort(page)
    approvals: dict[str, tuple[int, int]] = {}

    # Sign up and verify the email address from the link in the message.
    page.goto(f"{base}/accounts/signup/")
    visit("sign-up")
    page.get_by_label("Your full name").fill("Ana Official")
    page.locator("#id_email").fill(APPLICANT)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    visit("verification-sent")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", str(mail.outbox[-1].body))
    assert link
    page.goto(link.group(0).replace("http://testserver", base))
    visit("confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # The organization, then the entity step with a file upload.
    visit("organization")
    page.get_by_label("Organization's legal name").fill("Sunrise Community Services")
    page.get_by_label("Your job title").fill("Executive Director")
    page.get_by_role("button", name="Continue").click()
    visit("dashboard")
    page.get_by_role("button", name="Start an application").click()
    visit("entity-step")
    page.get_by_label("Federally Qualified Health Center").check()
    page.get_by_label("Legal name").fill("Sunrise Community Services")
    page.get_by_label("TIN / EIN").fill("12-3456789")
    page.get_by_label("Organizational NPI").fill("1234567890")
    page.get_by_label("Service address").fill("100 Main St, Los Angeles, CA 90012")
    page.get_by_label("Counties served").select_option("los_angeles")
    page.get_by_label("Authorized official's name").fill("Ana Official")
    page.get_by_label("Authorized official's title").fill("Executive Director")
    page.get_by_label("Primary contact's name").fill("Ana Official")
    page.get_by_label("Primary contact's email").fill(APPLICANT)
    page.get_by_role("button", name="Save draft", exact=True).click()
    visit("entity-step-error")
    expect(page.locator("#form-errors")).to_contain_text("last digit should be 3")
    page.get_by_label("Organizational NPI").fill("1234567893")
    page.get_by_role("button", name="Save draft", exact=True).click()
    evidence = tmp_path / "hrsa-award.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    hrsa = page.locator("#id_requirement option", has_text="HRSA").get_attribute("value")
    page.get_by_label("What is this document?").select_option(hrsa)
    page.get_by_label("File").set_input_files(str(evidence))
    page.get_by_role("button", name="Upload document").click()
    visit("entity-step-uploaded")

    # Ownership and control: one owner, one managing employee, and "none" for the rest.
    for person in (
        {"first": "Olga", "last": "Owner", "ssn": "234-56-7890", "share": "25"},
        {"first": "Mark", "last": "Manager", "ssn": "345-67-8901", "title": "Operations Director"},
    ):
        page.get_by_role("link", name="Add a person").click()
        page.get_by_label("First name").fill(person["first"])
        page.get_by_label("Last name").fill(person["last"])
        page.get_by_label("Date of birth").fill("1970-03-04")
        page.get_by_label("Social Security number").fill(person["ssn"])
        page.get_by_label("Home address").fill("1 Hill Rd, Fresno, CA 93701")
        if "share" in person:
            page.get_by_label("Share of your organization held directly (%)").fill(person["share"])
        else:
            page.get_by_label("Title").fill(person["title"])
            page.get_by_label("Managing employee").check()
        page.get_by_role("button", name="Save", exact=True).click()
    visit("entity-step-disclosure")
    disclosure = page.locator("#disclosure")
    expect(disclosure).to_contain_text("Olga Owner")
    expect(disclosure).to_contain_text("25.00%")
    expect(disclosure).to_contain_text("•••-••-8901")
    assert "234-56-7890" not in page.content()
    for answer in (
        "We have no officers",
        "None of the people listed are related",
        "No owner holds 5% or more of another",
        "We own less than 5% of every subcontractor",
        "No owner, officer, director, agent or managing employee",
    ):
        page.get_by_label(re.compile(answer)).check()
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    visit("submitted")
    application = Application.objects.get()

    # A reviewer returns the NPI; the applicant fixes it and resubmits.
    rita = staff_member("rita@plan.example", "reviewer")
    reviewer_page = browser.new_page()
    reviewer_page.effort = Effort(reviewer_page)
    reviewer = Visit(reviewer_page, screenshot, accessible)
    sign_in(reviewer_page, base, *rita)
    decide(
        reviewer_page,
        base,
        "Entity verification",
        "Return for correction",
        reviewer,
        requirement="npi",
        reason="The NPI belongs to another organization",
    )
    page.goto(f"{base}/applications/{application.pk}/entity/")
    visit("entity-step-returned")
    expect(page.locator(".deficiency").first).to_contain_text("belongs to another organization")
    page.get_by_label(re.compile("Organizational NPI")).fill("1245319599")
    # The change voids the signature: the official signs again.
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    approvals["Entity verification"] = decide(
        reviewer_page, base, "Entity verification", "Approve", reviewer
    )

    # Capability attestations: care team, capacity, the seven criteria, signature. Each form
    # but the last is saved with "Save and add another", as a person entering a list would.
    team = (
        ("Lead Care Manager", "Lee Lead", False),
        ("ECM Director", "Dee Director", False),
        ("ECM Clinical Consultant", "Cal Clinician", True),
    )
    page.goto(f"{base}/applications/{application.pk}/care-team/add/")
    for number, (role, name, licensed) in enumerate(team, start=1):
        page.get_by_label("Role").select_option(label=role)
        page.get_by_label("Full name").fill(name)
        if licensed:
            page.get_by_label("License type").fill("LCSW")
            page.get_by_label("License number").fill("LCS12345")
            page.get_by_label("License state").fill("CA")
            page.get_by_label("License expiry date").fill("2030-01-31")
        last = number == len(team)
        page.get_by_role(
            "button", name="Save" if last else "Save and add another", exact=True
        ).click()
    # A member added by mistake: "Remove" asks first, and only the confirmation removes.
    page.goto(f"{base}/applications/{application.pk}/care-team/add/")
    page.get_by_label("Role").select_option(label="Community Health Worker")
    page.get_by_label("Full name").fill("Cy Mistake")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Remove Cy Mistake").click()
    visit("care-team-remove-confirm")
    page.get_by_role("button", name="Remove from the care team").click()
    expect(page.get_by_role("alert").first).to_contain_text("Cy Mistake removed")
    kinds = ("Hospital", "Primary care", "Behavioral health", "Housing or Community Supports")
    page.goto(f"{base}/applications/{application.pk}/partners/add/")
    for number, kind in enumerate(kinds, start=1):
        page.get_by_label("Kind of partner").select_option(label=kind)
        page.get_by_label("Partner organization").fill(f"{kind} partner")
        page.get_by_label("Kind of agreement").select_option("mou")
        last = number == len(kinds)
        page.get_by_role(
            "button", name="Save" if last else "Save and add another", exact=True
        ).click()
    page.goto(f"{base}/applications/{application.pk}/capacity/")
    visit("capacity")
    page.get_by_label("1a · Adults experiencing homelessness").check()
    page.get_by_label("Years of experience serving 1a").fill("4")
    page.get_by_label("Members of 1a in Los Angeles").fill("100")
    page.get_by_label("Members of 1a in Los Angeles").press("End")
    page.get_by_label("Members of 1a in Los Angeles").type("5")  # the total follows the typing
    expect(page.locator("p [data-total-grand]")).to_have_text("1005")
    page.get_by_label("Members of 1a in Los Angeles").fill("120")
    expect(page.locator("p [data-total-grand]")).to_have_text("120")
    page.get_by_role("button", name="Save").click()
    visit("attestations-step")
    chart = tmp_path / "org-chart.pdf"
    chart.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("What is this document?").select_option(label="Evidence for criterion 1")
    page.get_by_label("File").set_input_files(str(chart))
    page.get_by_role("button", name="Upload document").click()
    page.get_by_label("Languages offered").fill("English, Spanish")
    page.get_by_label("Street (outreach where members live outside)").check()
    for n in range(1, 8):
        page.get_by_label(f"We attest to criterion {n}", exact=False).check()
        page.get_by_label(f"How your organization meets criterion {n}").fill(NARRATIVE)
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted for review")

    # Data-sharing readiness.
    page.goto(f"{base}/applications/{application.pk}/data-sharing/")
    visit("data-sharing-step")
    page.get_by_label("Care-management documentation system").fill("CareNotes")
    page.get_by_label(re.compile("receive the Member Information File")).select_option("sftp")
    page.get_by_label(re.compile("return the Return Transmission File")).select_option("sftp")
    page.get_by_label("CalHHS Data Exchange Framework agreement").select_option("signed")
    page.get_by_label("DxF agreement signed on").fill("2025-03-01")
    page.get_by_label("Who signed the DxF agreement").fill("Ana Official")
    page.get_by_label("Listed in the DxF Participant Directory").select_option("true")
    page.get_by_label("HIPAA privacy officer").fill("Pat Privacy")
    page.get_by_label("Privacy officer's email").fill("pat@sunrise.example")
    page.get_by_label("Privacy officer's phone").fill("(213) 555-0101")
    page.get_by_label("HIPAA security officer").fill("Sam Secure")
    page.get_by_label("Security officer's email").fill("sam@sunrise.example")
    page.get_by_label("Security officer's phone").fill("(213) 555-0102")
    page.get_by_label(re.compile("business associate agreement")).check()
    for question in ("multi-factor", "where it is stored", "when it is sent", "HIPAA privacy and"):
        page.get_by_label(re.compile(question)).select_option("true")
    page.get_by_label("Breach notification contact").fill("Sam Secure")
    page.get_by_label("Breach contact's email").fill("sam@sunrise.example")
    page.get_by_label("How you will bill for ECM").select_option("claims")
    page.get_by_label(re.compile("billed with HCPCS G9008")).check()
    page.get_by_role("button", name="Save draft", exact=True).click()
    baa = tmp_path / "baa.pdf"
    baa.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("What is this document?").select_option("Business associate agreement")
    page.locator("#id_file").set_input_files(str(baa))  # "Sample file" would match "File" too
    page.get_by_role("button", name="Upload document").click()
    expect(page.locator("#sample-privacy-notice")).to_contain_text("deleted as soon as it is")
    for kind, label in (
        ("rtf", "Return Transmission File (RTF)"),
        ("otf", "Outreach Tracker File (OTF)"),
    ):
        sample = tmp_path / f"{kind}.csv"
        rows = sample_rows(specification(kind), npi="1245319599", tin="123456789")
        sample.write_bytes(as_csv(rows))
        page.get_by_label(label, exact=True).check()
        page.get_by_label("Sample file").set_input_files(str(sample))
        page.get_by_role("button", name="Check sample file").click()
        expect(page.get_by_role("alert").first).to_contain_text("passed the check")
    visit("data-sharing-samples-checked")
    # The name on the account is already typed in; the official signs as for the attestations.
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted for review")

    for step in ("Capability attestations", "Data-sharing readiness"):
        approvals[step] = decide(reviewer_page, base, step, "Approve", reviewer)

    # Final approval by a network manager who reviewed nothing.
    mona = staff_member("mona@plan.example", "network manager")
    manager_page = browser.new_page()
    manager_page.effort = Effort(manager_page)
    manager = Visit(manager_page, screenshot, accessible)
    sign_in(manager_page, base, *mona)
    approvals["Final approval"] = decide(manager_page, base, "Final approval", "Approve", manager)

    # The new provider downloads the packet (the file arrives) and acknowledges it.
    page.goto(f"{base}/applications/{application.pk}/")
    visit("approved")
    page.get_by_role("link", name=re.compile("welcome packet", re.I)).click()
    visit("packet")
    item = welcome_packet.items.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=item.title).click()
    downloaded = Path(download_info.value.path())
    assert downloaded.read_bytes().startswith(b"%PDF")
    page.reload()
    page.get_by_label(re.compile("We have received")).check()
    page.get_by_role("button", name="Acknowledge receipt").click()
    visit("active")
    expect(page.locator(".badge").first).to_have_text("Active")
    application.refresh_from_db()
    assert application.status == "active"

    # What it cost: the applicant from sign-up to the acknowledged packet (with one mistyped
    # NPI, one returned step and one care-team member removed again), the staff per approval.
    lines = [
        f"applicant: {applicant_effort.loads} page loads, {applicant_effort.clicks} clicks",
        *(
            f"approve {step}: {loads} page loads, {clicks} clicks from the review queue"
            for step, (loads, clicks) in approvals.items()
        ),
    ]
    EFFORT_REPORT.parent.mkdir(parents=True, exist_ok=True)
    EFFORT_REPORT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    assert applicant_effort.loads <= APPLICANT_PAGE_LOADS_GOAL, lines[0]
    for step, (_loads, clicks) in approvals.items():
        assert clicks <= CLICKS_PER_APPROVAL_GOAL, step

    # After go-live: the official asks to add a Lead Care Manager; a reviewer approves it from
    # the same queue, and the provider record shows the new member.
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_role("link", name="Your provider record").click()
    visit("provider-record")
    page.get_by_role("link", name="Change requests").click()
    visit("change-requests")
    page.get_by_role("link", name="Care team").click()
    visit("change-request-new")
    page.get_by_label("Add a person to the care team").check()
    page.get_by_label("Role").select_option(label="Lead Care Manager")
    page.get_by_label("Full name").fill("Robin Newlead")
    page.get_by_role("button", name="Save draft").click()
    visit("change-request-draft")
    expect(page.locator("#change-status")).to_have_text("Draft")
    page.get_by_role("button", name="Send to the plan").click()
    expect(page.locator("#change-status")).to_have_text("Waiting for the plan's review")
    decide(reviewer_page, base, "Change request", "Approve", reviewer)
    page.reload()
    visit("change-request-approved")
    expect(page.locator("#change-status")).to_have_text("Approved and applied")
    page.goto(f"{base}/providers/{application.pk}/")
    expect(page.locator("#care-team")).to_contain_text("Robin Newlead")
