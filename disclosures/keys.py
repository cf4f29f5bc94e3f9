"""The field-encryption key, checked against the database at start-up.

The library decrypts with the configured keys and, when none fits, hands back the stored text
unchanged: a wrong key would show ciphertext rather than fail. So a known value is encrypted
when the database is set up (migration 0002), and every process that serves or works reads it
back first (``portal/wsgi.py``, the Celery worker, ``manage.py check --database default``).
"""

from cryptography.fernet import InvalidToken
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from encrypted_model_fields.fields import get_crypter  # type: ignore[import-untyped]

CANARY = "ecm-portal field-encryption key check"
TABLE = "disclosures_keycheck"


def key_problem() -> str | None:
    """Why ``FIELD_ENCRYPTION_KEY`` cannot read this database's encrypted values, or None."""
    crypter = get_crypter()  # raises ImproperlyConfigured for a key that is not a Fernet key
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {TABLE}")  # noqa: S608 (a constant)
            tokens = [row[0] for row in cursor.fetchall()]
    except DatabaseError:
        return None  # not migrated yet: nothing is encrypted
    for token in tokens:
        try:
            if crypter.decrypt(token.encode()).decode() == CANARY:
                continue
        except InvalidToken:
            pass
        return (
            "FIELD_ENCRYPTION_KEY cannot decrypt the values this database holds: it is not the "
            "key they were encrypted with. Set the right key (or list the old key after the new "
            "one while rotating). Refusing to start rather than show or overwrite them."
        )
    return None


def encryption_key_verify() -> None:
    """Refuse to start when the key cannot read what is stored."""
    problem = key_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@register("database")
def encryption_key_check(**kwargs: object) -> list[CheckMessage]:
    problem = key_problem()
    return [Error(problem, id="disclosures.E001")] if problem else []
