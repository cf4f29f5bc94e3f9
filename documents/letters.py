"""The personalised welcome letter delivered with every welcome packet version (fpdf2)."""

import datetime
import unicodedata

from django.conf import settings
from django.utils.formats import date_format
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from documents.models import WelcomePacket
from onboarding.models import Application


def _latin1(text: str) -> str:
    """fpdf2's built-in fonts cover Latin-1: keep accents where they exist, spell out the rest."""
    text = (
        text.replace("\N{MIDDLE DOT}", "-")
        .replace("\N{EM DASH}", "-")
        .replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
    )
    if all(ord(ch) < 256 for ch in text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch if ord(ch) < 256 else "?" for ch in decomposed if not unicodedata.combining(ch)
    )


def approved_services(application: Application) -> list[str]:
    """One line per population of focus: the counties approved, and the members accepted."""
    lines: dict[str, list[str]] = {}
    for capacity in application.capacities.order_by("population", "county"):
        lines.setdefault(capacity.get_population_display(), []).append(
            f"{capacity.get_county_display()} ({capacity.member_capacity} members)"
        )
    return [f"{population}: {', '.join(counties)}" for population, counties in lines.items()]


def welcome_letter_pdf(
    *, application: Application, packet: WelcomePacket, effective_date: datetime.date
) -> bytes:
    """The letter as PDF bytes: organization, identifiers (TIN masked), effective date,
    populations and counties approved, what the packet holds and whom to contact."""
    profile = getattr(application, "entity_profile", None)
    organization = application.organization
    name = (profile.legal_name if profile else "") or organization.legal_name
    pdf = FPDF(format="letter")
    pdf.set_title(_latin1(f"{settings.PLAN_NAME}: welcome letter for {name}"))
    pdf.set_author(_latin1(settings.PLAN_NAME))
    pdf.set_margins(22, 22, 22)
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", space: float = 2) -> None:
        pdf.set_font("helvetica", style=style, size=size)
        pdf.multi_cell(0, size * 0.5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(space)

    line(settings.PLAN_NAME, size=16, style="B")
    line(date_format(effective_date, "F j, Y"), space=6)
    line(name, style="B", space=6)
    line("Welcome to the Enhanced Care Management provider network", size=13, style="B")
    line(
        f"{name} is approved as an Enhanced Care Management (ECM) provider with "
        f"{settings.PLAN_NAME}, effective {date_format(effective_date, 'F j, Y')}.",
        space=4,
    )
    line("Provider identifiers", style="B")
    line(f"Application reference: {application.reference}", space=0)
    if profile is not None and profile.npi:
        line(f"Organizational NPI: {profile.npi}", space=0)
    if profile is not None and profile.masked_tin:
        line(f"TIN / EIN: {profile.masked_tin}", space=0)
    pdf.ln(4)
    line("Populations of focus and counties approved", style="B")
    services = approved_services(application)
    for service in services or ["As listed in your approved application."]:
        line(f"- {service}", space=1)
    pdf.ln(3)
    line(f"Your welcome packet: {packet.title}, version {packet.version}", style="B")
    for item in packet.items.all():
        line(f"- {item.title}", space=1)
    pdf.ln(3)
    line("Your plan contacts", style="B")
    line(f"ECM provider network team: {settings.PLAN_CONTACT_EMAIL}", space=0)
    phone = getattr(settings, "PLAN_CONTACT_PHONE", "")
    if phone:
        line(f"Telephone: {phone}", space=0)
    pdf.ln(4)
    line(
        "Please download the documents of your welcome packet and acknowledge receipt in the "
        "provider portal. We look forward to working with you."
    )
    return bytes(pdf.output())
