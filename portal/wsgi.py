"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# A key that cannot read the encrypted SSNs and dates of birth stops the server here.
from disclosures.keys import encryption_key_verify  # noqa: E402  (needs the apps loaded)

encryption_key_verify()
