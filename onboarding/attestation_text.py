"""The exact words the authorized official signs, by version.

A new wording gets a new version and keeps the old ones: a signature records the version it was
given with, so the text actually signed can always be shown again.
"""

ATTESTATION_TEXTS: dict[str, str] = {
    "2026-1": (
        "I am authorized to sign for this organization. I attest that the information in this "
        "section is true, complete and accurate, and I understand the plan relies on it to "
        "contract for Enhanced Care Management."
    ),
}
ATTESTATION_VERSION = "2026-1"
ATTESTATION_TEXT = ATTESTATION_TEXTS[ATTESTATION_VERSION]
