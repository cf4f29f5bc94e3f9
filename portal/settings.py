"""Settings of the ECM Provider Onboarding Portal: one module; what varies comes from the env.

With no environment at all the portal runs its *embedded default*: SQLite in ``var/``, documents
in a local folder that is never served publicly, Celery tasks run eagerly, and emails go to the
console and to ``var/mail/``. Production sets ``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``EMAIL_URL``, ``CELERY_BROKER_URL`` and ``USE_S3`` with the bucket settings (see README).
"""

from pathlib import Path

import environ
from boto3.s3.transfer import TransferConfig
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
EMBEDDED_DEFAULT = "DATABASE_URL" not in env

# Only `make run` (DEBUG on, the embedded default) may use the development key, which is public in
# this repository: with it anyone could forge sessions and password-reset links. Everything else,
# including `make test`, brings its own.
DEVELOPMENT_SECRET_KEY = "django-insecure-embedded-default-only-never-deploy-this-key"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    if not (DEBUG and EMBEDDED_DEFAULT):
        raise ImproperlyConfigured(
            "Set SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`). The development "
            "key is public and is accepted only with DEBUG=true and no DATABASE_URL."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

# Dates of birth and SSNs of the people an applicant discloses are encrypted with this Fernet key
# (django-encrypted-model-fields). A comma-separated list rotates keys: the first encrypts, each
# one decrypts. Like SECRET_KEY, the public development key is for `make run` only; a deployment
# whose key cannot read what is stored refuses to start (disclosures/keys.py).
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "ZW1iZWRkZWQtZGVmYXVsdC1vbmx5LW5ldmVyLWRlcGw="
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
if not FIELD_ENCRYPTION_KEY or DEVELOPMENT_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEY:
    if not (DEBUG and EMBEDDED_DEFAULT):
        raise ImproperlyConfigured(
            "Set FIELD_ENCRYPTION_KEY to a Fernet key (for example the output of `python -c "
            "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`) and "
            "keep it safe: without it the SSNs and dates of birth stored cannot be read. The "
            "development key is public and is accepted only with DEBUG=true and no DATABASE_URL."
        )
    FIELD_ENCRYPTION_KEY = [DEVELOPMENT_FIELD_ENCRYPTION_KEY]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "viewflow",
    "viewflow.workflow",
    "simple_history",
    "portal",
    "onboarding",
    "screening",
    "data_exchange",
    "reviews",
    "documents",
    "providers",
    "changes",
    "corrective_actions",
    "recredentialing",
    "disclosures",
    "directory",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.audit.AuditContextMiddleware",
    "portal.middleware.StaffSecurityMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
]

# Our own pages are the only frontend: viewflow's Material site and its Turbo middleware stay off.
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE avoids "database is locked" on lock upgrades when two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (failed sign-ins) must be shared by every web node: Redis in production.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# With a cache every process shares (CACHE_URL), or the single process of the embedded default,
# sessions are read from the cache and written through to the database: one query fewer on every
# signed-in page, and nobody is signed out when the cache is cleared. Several processes each with
# its own memory cache would read stale sessions (a sign-out seen by one only), so they use the
# database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if "CACHE_URL" in env or EMBEDDED_DEFAULT
    else "django.contrib.sessions.backends.db"
)

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "portal.backends.PermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up asks for the person's name too (portal.forms.SignupForm), saved with the new account.
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ECM Provider Portal] "
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
# Five failed sign-ins for one address lock it for 15 minutes (and 10 a minute per address).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/900s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# A code typed as its 30 seconds run out, or waiting in the load balancer's queue, is still taken
# (one step either side, as most authenticator checks allow).
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env.str("PLAN_NAME", default="L.A. Care Health Plan")
# `make run` only: a fixed code accepted in place of the authenticator app (allauth refuses it
# unless DEBUG is on).
MFA_TOTP_INSECURE_BYPASS_CODE = (
    (env.str("DEMO_TOTP_BYPASS_CODE", default="") or None) if DEBUG else None
)
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=15 * 60)
# How long an emailed invitation to join an organization can be accepted.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]

# Documents: a local folder outside anything served, or a private S3 bucket. Files are only ever
# reached through the authorising download view.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "documents")
USE_S3 = env.bool("USE_S3", default=False)
# A presigned download link lives this long (never more than five minutes).
DOCUMENT_DOWNLOAD_URL_SECONDS = min(env.int("DOCUMENT_DOWNLOAD_URL_SECONDS", default=300), 300)
DOCUMENT_STORAGE_BACKEND = (
    "storages.backends.s3.S3Storage" if USE_S3 else "django.core.files.storage.FileSystemStorage"
)
# An upload reads each 8 MB part of a file object into memory: at most 2 are held (being sent)
# while the next is read, so an upload peaks near +30 MB whatever the file's size (4 held: +48 MB).
# Downloads fetch 4 ranges at once and queue at most 16 x 256 KB for writing. This stays flat in a
# long-lived process only with deploy/gunicorn.conf.py's malloc settings (bench/documents.py).
DOCUMENT_TRANSFER_CONFIG = TransferConfig(
    multipart_threshold=8 * 1024 * 1024,
    multipart_chunksize=8 * 1024 * 1024,
    max_concurrency=4,
    max_io_queue=16,
    use_threads=True,
)
DOCUMENT_TRANSFER_CONFIG.max_in_memory_upload_chunks = 2
DOCUMENT_TRANSFER_CONFIG.max_in_memory_download_chunks = 4
# The S3 options are always built (the tests run them against real S3 protocol servers); they are
# only used when USE_S3 is set.
S3_STORAGE_OPTIONS: dict[str, object] = {
    "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default=""),
    "region_name": env.str("AWS_S3_REGION_NAME", default="us-west-2"),
    "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
    "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
    "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
    # No ACL header at all: objects stay private under the bucket's own (non-public) policy,
    # which also works on buckets that enforce "bucket owner" object ownership.
    "default_acl": None,
    "querystring_auth": True,
    "querystring_expire": DOCUMENT_DOWNLOAD_URL_SECONDS,
    # Every key the portal stores under is random (``documents.models.document_key`` and its
    # kin, a sample check's token): no two uploads can meet, so the storage does not first ask S3
    # whether the key is free (a HEAD request per upload). tests/documents/test_storage_keys.py
    # holds every file field to that.
    "file_overwrite": True,
    "object_parameters": {"ServerSideEncryption": "AES256"},
    "signature_version": "s3v4",
    "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
    # Bounded memory: a file read back is spooled to disk beyond this size, and transfers go in
    # fixed-size multipart chunks with a fixed number of threads.
    "max_memory_size": 8 * 1024 * 1024,
    "transfer_config": DOCUMENT_TRANSFER_CONFIG,
}
DOCUMENT_STORAGE_OPTIONS: dict[str, object] = (
    S3_STORAGE_OPTIONS if USE_S3 else {}  # FileSystemStorage follows MEDIA_ROOT
)
STORAGES = {
    "default": {"BACKEND": DOCUMENT_STORAGE_BACKEND, "OPTIONS": DOCUMENT_STORAGE_OPTIONS},
    # Hashed, compressed names once `collectstatic` has run (deployments); plain names before.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "documents.uploadhandlers.DocumentSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# What checking one sample RTF/OTF may take: a sample needs a few hundred lines, and a small
# workbook can unpack to hundreds of megabytes of text. Past a limit the file is refused with a
# message. The check runs as a background job, stopped by Celery a little after these seconds.
SAMPLE_CHECK_MAX_SECONDS = env.int("SAMPLE_CHECK_MAX_SECONDS", default=30)
SAMPLE_XLSX_MAX_SHARED_STRINGS = env.int("SAMPLE_XLSX_MAX_SHARED_STRINGS", default=200_000)
SAMPLE_XLSX_MAX_TEXT_CHARACTERS = env.int("SAMPLE_XLSX_MAX_TEXT_CHARACTERS", default=10_000_000)
# Cells bound the work, not the memory (a sheet is read a row at a time): 3,000,000 lets a
# 50,000-line RTF through (41 columns, 2.05 million cells), with room for wider templates.
SAMPLE_XLSX_MAX_CELLS = env.int("SAMPLE_XLSX_MAX_CELLS", default=3_000_000)

if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "portal.mail.ConsoleAndFileEmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="ECM Provider Network <ecm-network@plan.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the longest job, so a slow job is never handed to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=30)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Celery beat, plan time: monthly re-screening of active providers against the exclusion lists
# (42 CFR 455.436), the daily credential check, the overdue-review reminders every weekday, the
# daily deletion of expired exports, every night the records awaiting review rendered for the new
# day (reviews.record_warming), and every 15 minutes the ending of exports whose job was lost.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "rescreen-active-providers": {
        "task": "screening.tasks.rescreen_active_providers",
        "schedule": crontab(minute=0, hour=6, day_of_month=2),
    },
    "provider-status-changes": {
        "task": "providers.tasks.apply_status_changes",
        "schedule": crontab(hour=6, minute=0),
    },
    "credential-check": {
        "task": "providers.tasks.check_credentials",
        "schedule": crontab(hour=6, minute=30),
    },
    "recredentialing": {
        "task": "recredentialing.tasks.recredentialing_daily",
        "schedule": crontab(hour=5, minute=30),
    },
    "corrective-action-escalations": {
        "task": "corrective_actions.tasks.escalate_overdue_items",
        "schedule": crontab(hour=6, minute=45),
    },
    "overdue-review-reminders": {
        "task": "reviews.tasks.send_overdue_reminders",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    "expired-exports": {
        "task": "reviews.tasks.delete_expired_exports",
        "schedule": crontab(hour=4, minute=15),
    },
    "warm-records-awaiting-review": {
        "task": "reviews.tasks.warm_records_awaiting_review",
        "schedule": crontab(hour=0, minute=5),
    },
    "lost-exports": {
        "task": "reviews.tasks.fail_lost_exports",
        "schedule": crontab(minute="*/15"),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# NPI registry: "offline" reads the fixtures file (tests, embedded default); "nppes" calls NPPES.
# A deployment (DEBUG off and a DATABASE_URL) looks NPIs up in NPPES unless told otherwise: the
# fixtures hold five made-up NPIs, so against them every real provider's NPI would be unknown.
NPI_REGISTRY = env.str("NPI_REGISTRY", default="offline" if DEBUG or EMBEDDED_DEFAULT else "nppes")
if NPI_REGISTRY not in {"offline", "nppes"}:
    raise ImproperlyConfigured(
        f"NPI_REGISTRY is {NPI_REGISTRY!r}; it must be 'nppes' (the live registry) or 'offline' "
        "(the fixtures file NPI_REGISTRY_FIXTURES)."
    )
NPI_REGISTRY_FIXTURES = env.path(
    "NPI_REGISTRY_FIXTURES",
    default=BASE_DIR / "screening" / "fixtures" / "npi_registry.json",
)
NPPES_API_URL = env.str("NPPES_API_URL", default="https://npiregistry.cms.hhs.gov/api/")
NPPES_TIMEOUT_SECONDS = env.float("NPPES_TIMEOUT_SECONDS", default=10.0)

# Review clock and the plan's contacts, shown to applicants.
RETURN_FOR_CORRECTION_DAYS = env.int("RETURN_FOR_CORRECTION_DAYS", default=30)
# Corrective actions (approval with conditions): an item still open after its due date is told to
# the provider's authorized official the next day, and to the network managers this many days
# after that due date (lifecycle.md §4: plans escalate late CAPs; the day counts are theirs).
CAP_ESCALATE_TO_MANAGERS_DAYS = env.int("CAP_ESCALATE_TO_MANAGERS_DAYS", default=14)
# The network managers' CSV exports (built by a background job into the documents' storage) are
# deleted, file and record, this many days after they were asked for (a daily beat job).
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# The record's parts on the staff pages are cached under stamps of the rows they show (see
# reviews.record_sections): a write to those rows makes a new stamp at once, so this only bounds
# how long a rendering nobody asks for again stays in the cache, and how long one outlives a
# change of settings that alters what it shows (a change of code makes new keys).
RECORD_CACHE_SECONDS = env.int("RECORD_CACHE_SECONDS", default=15 * 60)
# How long the parts of a record the worker renders ahead are kept (reviews.record_sections), but
# those that depend on the day, kept until it ends: a reviewer's first look a few days after the
# record last changed finds them. Bounded as the cache's memory is (README, Scale-out).
RECORD_WARM_SECONDS = env.int("RECORD_WARM_SECONDS", default=7 * 24 * 60 * 60)
# Each change to a record awaiting review queues its rendering for the reviewers' first look
# (reviews.record_warming): on where a broker hands the job to a worker. Without one the job
# would run in the very request that made the change, which would wait for it.
RECORD_WARMING = env.bool("RECORD_WARMING", default=bool(CELERY_BROKER_URL))
# Each night the records awaiting review are rendered for the new day before anyone looks
# (reviews.record_warming), those due soonest first, at most this many (each costs the worker
# about a tenth of a second and the cache 11-17 KB per kind of staff viewer until the day ends).
RECORD_WARM_PER_NIGHT = env.int("RECORD_WARM_PER_NIGHT", default=2000)

# Recredentialing (NCQA: at least every 36 months, no grace period; lifecycle.md §2): the cycle,
# how long before the due date the job opens it, and how long after the due date a late one may
# still finish (after that the provider must go through initial onboarding again).
RECREDENTIALING_CYCLE_MONTHS = env.int("RECREDENTIALING_CYCLE_MONTHS", default=36)
RECREDENTIALING_START_DAYS = env.int("RECREDENTIALING_START_DAYS", default=120)
RECREDENTIALING_LATE_DAYS = env.int("RECREDENTIALING_LATE_DAYS", default=30)
# At most this many are opened per run, the earliest due first (each copies a record and starts a
# flow: the backlog of the day the job is first turned on is spread over the next runs).
RECREDENTIALING_OPEN_PER_RUN = env.int("RECREDENTIALING_OPEN_PER_RUN", default=250)

# Ownership and control disclosures (lifecycle.md §1): the share from which a holder must be
# disclosed (42 CFR 455.101), and how far back a health-care conviction is flagged for the
# reviewer (455.416: the last 10 years).
DISCLOSURE_OWNERSHIP_THRESHOLD = env.int("DISCLOSURE_OWNERSHIP_THRESHOLD", default=5)
DISCLOSURE_CONVICTION_YEARS = env.int("DISCLOSURE_CONVICTION_YEARS", default=10)
# A change of ownership or control is reported to the plan within this many days of the change
# (lifecycle.md §1 and §3: 42 CFR 455.104(c) and 22 CCR 51000.40 both say 35 days).
OWNERSHIP_CHANGE_REPORT_DAYS = env.int("OWNERSHIP_CHANGE_REPORT_DAYS", default=35)

# Business days the plan has to decide each review step; the clock pauses while a step is
# returned to the applicant (onboarding/sla.py).
REVIEW_SLA_BUSINESS_DAYS = {
    "entity": env.int("REVIEW_SLA_ENTITY_DAYS", default=5),
    "attestations": env.int("REVIEW_SLA_ATTESTATIONS_DAYS", default=10),
    "data_sharing": env.int("REVIEW_SLA_DATA_SHARING_DAYS", default=10),
    "final": env.int("REVIEW_SLA_FINAL_DAYS", default=5),
    "change": env.int("REVIEW_SLA_CHANGE_DAYS", default=5),
}
# Days the plan is closed besides weekends (ISO dates); the defaults are the 2026-2027 state
# holidays the plan observes.
REVIEW_HOLIDAYS = env.list(
    "REVIEW_HOLIDAYS",
    default=[
        "2026-01-01",
        "2026-01-19",
        "2026-02-16",
        "2026-03-31",
        "2026-05-25",
        "2026-07-03",
        "2026-09-07",
        "2026-11-11",
        "2026-11-26",
        "2026-11-27",
        "2026-12-25",
        "2027-01-01",
        "2027-01-18",
        "2027-02-15",
        "2027-03-31",
        "2027-05-31",
        "2027-07-05",
        "2027-09-06",
        "2027-11-11",
        "2027-11-25",
        "2027-11-26",
        "2027-12-24",
    ],
)
# Overdue reviews are escalated to network managers this many business days past their due date.
REVIEW_ESCALATION_BUSINESS_DAYS = env.int("REVIEW_ESCALATION_BUSINESS_DAYS", default=3)
# The daily credential check tells a provider this many days before a care-team licence expires
# (a design choice: the rule is a monthly review, see shared/reference/lifecycle.md §2).
CREDENTIAL_NOTICE_DAYS = [
    int(days) for days in env.list("CREDENTIAL_NOTICE_DAYS", default=["90", "60", "30"])
]
PLAN_NAME = env.str("PLAN_NAME", default="L.A. Care Health Plan")
PLAN_CONTACT_EMAIL = env.str("PLAN_CONTACT_EMAIL", default="ecm-network@plan.example")
PLAN_CONTACT_PHONE = env.str("PLAN_CONTACT_PHONE", default="")

# The JSON API for the plan's systems (api/): requests allowed per token, as "count/period"
# (s, min, hour, day), counted in the default cache; and how old a change must be before the
# changes feed shows it, so that one still being saved when a page is read is not skipped.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/min")
API_CHANGES_SETTLE_SECONDS = env.int("API_CHANGES_SETTLE_SECONDS", default=60)

# Transport and browser security. Behind a TLS-terminating load balancer set SECURE_PROXY_SSL_HEADER
# (see README); `manage.py check --deploy` passes with the production variables set.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG and not EMBEDDED_DEFAULT)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# HTTPS only, unless on a laptop. Behind a load balancer that ends TLS, also set
# SECURE_PROXY_SSL_HEADER (and have the balancer overwrite X-Forwarded-Proto), or every request
# looks like plain HTTP and is redirected forever.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not EMBEDDED_DEFAULT)
# The load balancer asks each node's health over plain HTTP, without X-Forwarded-Proto.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if EMBEDDED_DEFAULT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# W021 asks for HSTS preloading. Preloading binds the plan's whole domain and every subdomain to
# HTTPS in browsers for months, and is undone only slowly: a decision for the plan's domain owners,
# not for this application. Set SECURE_HSTS_PRELOAD=true once they have made it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many load balancers in front of the web nodes append the client's address to
# X-Forwarded-For (1 behind one balancer). Sign-in limits and the audit trail then count each
# person's address; left at 0 behind a balancer, everyone has the balancer's address, and ten
# wrong passwords a minute from anyone lock everyone out (bench/load.py showed it).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere: every script and stylesheet is a static file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"mask_identifiers": {"()": "portal.log_filters.MaskPersonalIdentifiers"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_identifiers"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
