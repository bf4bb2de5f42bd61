"""Small wording helpers shared by the rule modules."""
from __future__ import annotations

from sslint.core.events import Cause, Destroyed, Event
from sslint.core.findings import Finding, Related, Step


def handle_name(event: Event) -> str:
    return f"'{event.var}'" if event.var else f"the {event.handle}"


def related_from(*steps: object) -> tuple[Related, ...]:
    return tuple(Related(s.loc, s.message) for s in steps if isinstance(s, Step))


def freed_again(rule_id: str, event: Destroyed, cause: Cause, owner_kind: str,
                what: str) -> Finding | None:
    """A double release whose first release came about through `cause` (with an
    owner of kind `owner_kind`, for Cause.OWNER): `what` says how, for the message."""
    if event.cause is not cause or (cause is Cause.OWNER and event.owner_kind != owner_kind):
        return None
    msg = f"{event.api}() releases {handle_name(event)}, {what}"
    return Finding(rule_id, msg + ".", event.site, event.function,
                   related_from(event.first_release), event.trail)


def holds_a_chain(kind: str) -> bool:
    """Owners that free what they hold only when freed as a whole (BIO_free_all,
    sk_X509_pop_free): a BIO chain or a stack."""
    return kind == "BIO" or kind.startswith("STACK_OF(")
