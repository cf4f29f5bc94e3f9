"""Create the demo accounts and a current welcome packet, so `make run` has something to show.

Running it again is harmless: it brings the same accounts back to their demo state (password, roles,
verified email) and leaves an existing welcome packet alone.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max

from documents.models import WelcomePacket, WelcomePacketItem
from documents.selectors import current_welcome_packet
from documents.services import packet_publish
from onboarding.models import Membership, Organization
from onboarding.services.organizations import organization_create
from portal.models import User
from portal.roles import Role
from screening.models import ExclusionRelease, ExclusionSource
from screening.services.exclusion_lists import exclusion_release_import

DEMO_PASSWORD = "ecm-demo-2026!"
DEMO_ORGANIZATION = "Sunrise Community Services"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    group: Role | None = None
    superuser: bool = False


OFFICIAL = DemoAccount(
    "official@sunrise-cbo.example", "Olivia Official", "Applicant: authorized official"
)
PREPARER = DemoAccount("preparer@sunrise-cbo.example", "Pat Preparer", "Applicant: preparer")
PLAN_STAFF = [
    DemoAccount("reviewer@plan.example", "Riley Reviewer", "Plan reviewer", Role.REVIEWER),
    DemoAccount("reviewer2@plan.example", "Robin Reviewer", "Plan reviewer", Role.REVIEWER),
    DemoAccount("manager@plan.example", "Morgan Manager", "Network manager", Role.NETWORK_MANAGER),
    DemoAccount(
        "admin@plan.example",
        "Alex Admin",
        "Plan administrator (Django admin)",
        Role.PLAN_ADMIN,
        superuser=True,
    ),
]
ALL_ACCOUNTS = [OFFICIAL, PREPARER, *PLAN_STAFF]

PACKET_DOCUMENTS = [
    ("ECM Provider Manual (demo)", "ecm-provider-manual-demo.pdf"),
    ("ECM Data-Sharing and Billing Guide (demo)", "ecm-data-sharing-guide-demo.pdf"),
]


def demo_pdf(text: str) -> bytes:
    """A minimal, valid one-page PDF showing ``text`` (ASCII) in Helvetica."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 20 Tf 72 720 Td ({escaped}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(pdf)


class Command(BaseCommand):
    help = "Create the demo accounts (one shared password) and a current welcome packet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off and DATABASE_URL is set (looks like production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.EMBEDDED_DEFAULT or options["force"]):
            raise CommandError(
                "Refusing to create demo accounts with a published password: DEBUG is off and "
                "DATABASE_URL is set. Use --force if this really is a demo deployment."
            )
        with transaction.atomic():
            official = self.account(OFFICIAL)
            organization = self.organization(official)
            preparer = self.account(PREPARER)
            if not hasattr(preparer, "membership"):
                Membership.objects.create(
                    organization=organization, user=preparer, role=Membership.Role.PREPARER
                )
            for account in PLAN_STAFF:
                staff = self.account(account)
                if not is_mfa_enabled(staff):
                    # Staff must sign in with a second factor; in `make run` the bypass code
                    # (settings.MFA_TOTP_INSECURE_BYPASS_CODE, DEBUG only) stands in for the app.
                    TOTP.activate(staff, generate_totp_secret())
            packet = self.welcome_packet()
            self.exclusion_lists()
        self.report(organization, packet)

    def exclusion_lists(self) -> None:
        """Import tiny demo exclusion lists where none is imported (screening errors otherwise)."""
        folder = Path(settings.BASE_DIR) / "screening" / "fixtures" / "demo"
        for source in ExclusionSource.values:
            if not ExclusionRelease.objects.filter(source=source, is_active=True).exists():
                path = folder / f"{source}.csv"
                summary = exclusion_release_import(
                    source=source,
                    content=path.read_bytes(),
                    file_name=path.name,
                    operator="seed_demo",
                )
                self.stdout.write(f"Demo list: {summary}")

    def account(self, spec: DemoAccount) -> User:
        """Create or reset one demo account: password, role and a verified primary email."""
        group: Group | None = None
        if spec.group is not None:
            try:
                group = Group.objects.get(name=spec.group.value)
            except Group.DoesNotExist as error:
                raise CommandError(
                    f"Group {spec.group.value!r} is missing: run `manage.py migrate` first."
                ) from error
        user = User.objects.filter(email__iexact=spec.email).first()
        if user is None:
            user = User.objects.create_user(spec.email, DEMO_PASSWORD, full_name=spec.full_name)
        else:
            user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.is_staff = spec.superuser
        user.is_superuser = spec.superuser
        user.save()
        if group is None:
            user.groups.clear()
        else:
            user.groups.set([group])
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return user

    def organization(self, official: User) -> Organization:
        membership = Membership.objects.filter(user=official).select_related("organization")
        existing = membership.first()
        if existing is not None:
            return existing.organization
        return organization_create(
            user=official, legal_name=DEMO_ORGANIZATION, title="Executive Director"
        )

    def welcome_packet(self) -> WelcomePacket:
        current = current_welcome_packet()
        if current is not None:
            return current
        latest = WelcomePacket.objects.aggregate(latest=Max("version"))["latest"] or 0
        packet = WelcomePacket.objects.create(
            version=latest + 1,
            title="ECM Provider Welcome Packet",
            # Shown to the provider on the packet page, so it reads as a provider would see it.
            notes=(
                "Everything you need to start delivering Enhanced Care Management: your "
                "welcome letter, the ECM provider manual, and the data-sharing and billing guide."
            ),
        )
        for sort_order, (title, file_name) in enumerate(PACKET_DOCUMENTS, start=1):
            data = demo_pdf(title)
            item = WelcomePacketItem(
                packet=packet,
                title=title,
                sort_order=sort_order,
                original_name=file_name,
                content_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            item.file.save(file_name, ContentFile(data), save=False)
            item.save()
        return packet_publish(packet=packet)

    def report(self, organization: Organization, packet: WelcomePacket) -> None:
        width = max(len(account.email) for account in ALL_ACCOUNTS)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        self.stdout.write(f"  {'Email':<{width}}  Role")
        self.stdout.write(f"  {'-' * width}  {'-' * 40}")
        for account in ALL_ACCOUNTS:
            role = account.role
            if account in (OFFICIAL, PREPARER):
                role = f"{role} ({organization.legal_name})"
            self.stdout.write(f"  {account.email:<{width}}  {role}")
        self.stdout.write("")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        if bypass:
            self.stdout.write(
                f"  Plan staff are asked for an authenticator code: type {bypass} (demo only)"
            )
        self.stdout.write(f"  Current welcome packet: {packet}")
        self.stdout.write(f"  Open {settings.SITE_URL.rstrip('/')}/")
