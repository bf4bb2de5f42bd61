"""Small wording helpers shared by the rule modules."""
from __future__ import annotations

from sslint.findings import Event, Related, Step


def handle_name(event: Event) -> str:
    return f"'{event.var}'" if event.var else f"the {event.handle}"


def related_from(*steps: object) -> tuple[Related, ...]:
    return tuple(Related(s.loc, s.message) for s in steps if isinstance(s, Step))
