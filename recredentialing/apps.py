from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecredentialingConfig(AppConfig):
    """Recredentialing every RECREDENTIALING_CYCLE_MONTHS (36), with no grace period.

    Each provider in the network has a due date, 36 months after its last approval. The daily
    job opens a recredentialing RECREDENTIALING_START_DAYS (120) before it: a new application
    that *renews* the provider (``Application.renews``), its steps prefilled from the approved
    record, run through the same onboarding flow, step definitions, reviews and screening. The
    applicant confirms or changes each section and the official signs again; reviewers see what
    changed since the last approval. The final approval (by a network manager who reviewed no
    step) applies the renewal to the provider's record and resets the clock. Open on the due date,
    it is overdue; it may still finish within RECREDENTIALING_LATE_DAYS (30) after, and the record
    says it was late; after that it lapses, and the provider needs initial onboarding again.
    """

    name = "recredentialing"
    verbose_name = _("Recredentialing")
