from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Files, in and out.

    Owns applicants' uploads (checked by content, stored under random keys), authorised
    downloads and their records, and the whole welcome packet: versions, delivery and the
    provider's acknowledgement.
    """

    name = "documents"
    verbose_name = _("Documents and welcome packets")
