"""Small wording helpers shared by the rule modules."""
from __future__ import annotations

from sslint.findings import Event, Finding, Related, Step


def handle_name(event: Event) -> str:
    return f"'{event.var}'" if event.var else f"the {event.handle}"


def related_from(*steps: object) -> tuple[Related, ...]:
    return tuple(Related(s.loc, s.message) for s in steps if isinstance(s, Step))


def freed_again(rule_id: str, event: Event, via: str, what: str) -> Finding | None:
    """A double release whose first release came through `via` (the kind of owner
    that took the handle down, or "borrow"): `what` says how, for the message."""
    if event.get("released_via") != via:
        return None
    msg = f"{event.api}() releases {handle_name(event)}, {what}"
    return Finding(rule_id, msg + ".", event.site, event.function,
                   related_from(event.get("first_release")), event.trail)
