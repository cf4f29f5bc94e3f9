"""Whose name a signature must carry: the authorized official's name on their account.

A compliance officer reading a signed section expects the typed signature to be the account
holder's own name, so the rule is applied when signing (not only flagged), and the same name is
what the signature form starts with.
"""

from portal.models import User


def account_name(user: User) -> str:
    """The name on the person's account that a typed signature must match; "" for an account
    made before sign-up asked for a name (its email address is no name to sign with)."""
    return user.full_name.strip() or user.get_full_name().strip()


def names_match(typed: str, on_account: str) -> bool:
    """The same name, ignoring letter case and extra spaces ("ana  OFFICIAL" is "Ana Official")."""
    return " ".join(typed.split()).casefold() == " ".join(on_account.split()).casefold()


def signature_prefill(user: User) -> dict[str, str]:
    """What the signature form starts with: the account's name and the person's job title."""
    membership = getattr(user, "membership", None)
    return {"full_name": account_name(user), "title": membership.title if membership else ""}
