"""The list of errors at the top of a step page names only what is on that page, and each of its
links leads to an element of the page."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.models import Application
from portal.models import User
from tests.factories import fill_entity_step

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The ids of a page, the links of its error summary and of its "still needed" list, and
    the names of the inputs it would send with the step's answers."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, text) in the error summary
        self.remaining: list[str] = []  # hrefs in the "still needed" list
        self.items = 0  # items of the error summary, linked or not
        self.inputs: set[str] = set()
        self._in: str | None = None
        self._depth = 0
        self._href: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag in {"input", "select", "textarea"} and attributes.get("name"):
            self.inputs.add(attributes["name"] or "")
        if self._in:
            self._depth += 1
        elif attributes.get("id") == "form-errors":
            self._in, self._depth = "summary", 1
        elif tag == "details" and "alert-warning" in (attributes.get("class") or ""):
            self._in, self._depth = "remaining", 1
        if self._in == "summary" and tag == "li":
            self.items += 1
        if self._in and tag == "a":
            self._href, self._text = attributes.get("href") or "", ""

    def handle_endtag(self, tag: str) -> None:
        if not self._in:
            return
        if tag == "a" and self._href is not None:
            if self._in == "summary":
                self.links.append((self._href, self._text.strip()))
            else:
                self.remaining.append(self._href)
            self._href = None
        self._depth -= 1
        if self._depth == 0:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data


def assert_every_link_leads_to_the_page(page: Page) -> None:
    for href, text in [*page.links, *((href, "still needed") for href in page.remaining)]:
        assert href.startswith("#"), f"{text!r} leads to {href!r}"
        assert href[1:] in page.ids, f"{text!r} leads to {href!r}, not on the page"


def test_the_entity_summary_names_only_fields_of_the_entity_page(
    client: Client, application: Application, authorized_official: User
) -> None:
    client.force_login(authorized_official)
    signed = {
        "signature-version": ATTESTATION_VERSION,
        "signature-full_name": "Ana Official",
        "signature-title": "Executive Director",
        "signature-confirm": "on",
    }
    response = client.post(
        f"/applications/{application.pk}/entity/", {"action": "submit", **signed}
    )
    page = Page(response.content.decode())
    texts = [text for _href, text in page.links]
    assert "Choose at least one entity type." in texts
    for signature_label in ("typed signature", "Your title", "I am authorized", "Version"):
        assert not any(signature_label in text for text in texts), signature_label
    assert ("#id_entity_types_0", "Choose at least one entity type.") in page.links
    assert len(page.links) == page.items, "every item is a link"
    assert_every_link_leads_to_the_page(page)


def test_an_evidence_document_still_missing_leads_to_the_upload(
    client: Client, application: Application, authorized_official: User
) -> None:
    fill_entity_step(application, authorized_official, upload_evidence=False)
    client.force_login(authorized_official)
    page = Page(client.get(f"/applications/{application.pk}/entity/").content.decode())
    assert page.remaining == ["#id_requirement"]
    assert_every_link_leads_to_the_page(page)


def test_the_data_sharing_summary_names_only_fields_of_its_page(
    client: Client, application: Application, authorized_official: User
) -> None:
    client.force_login(authorized_official)
    url = f"/applications/{application.pk}/data-sharing/"
    shown = Page(client.get(url).content.decode())
    # Whatever the page shows is sent back, empty, as a browser would send it.
    data = {name: "" for name in shown.inputs if name != "csrfmiddlewaretoken"}
    page = Page(client.post(url, {**data, "action": "submit"}).content.decode())
    assert page.links, "the summary lists what is missing"
    assert any(href == "#id_requirement" for href, _text in page.links), "the BAA upload"
    assert_every_link_leads_to_the_page(page)
