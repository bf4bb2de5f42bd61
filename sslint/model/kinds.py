"""Handle kinds: the OpenSSL object types sslint tracks, read from the `[handles.KIND]`
sections of the API table. Everything the engine and front end need to know about a
kind (its C names, the slots it owns, how freeing it treats what it owns) is here,
so a new kind is table data."""
from __future__ import annotations

from dataclasses import dataclass


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class HandleKind:
    name: str                                # e.g. "SSL"; also the name in messages
    types: tuple[str, ...] = ()              # typedef names that denote the object type
    records: tuple[str, ...] = ()            # struct tags (`struct ssl_st`)
    # Function-name prefixes whose handle arguments are of this kind when the C type
    # does not say (a `void *` field passed to SSL_free); the longest prefix wins.
    prefixes: tuple[str, ...] = ()
    slots: tuple[tuple[str, str], ...] = ()  # named slots it owns: (slot, kind of what is held)
    # Freeing it frees what it owns even through a release that spares a chain
    # (an SSL frees its BIOs; BIO_free leaves the rest of a BIO chain behind).
    frees_members: bool = False
    free: tuple[str, ...] = ()               # the functions that release it
    up_ref: tuple[str, ...] = ()             # the functions that take one more reference
    var_hints: tuple[str, ...] = ()          # words in variable names that often hold one
    # A collection of references (a stack): an up_ref on an element borrowed from it
    # is taken for it (sk_X509_dup, then X509_up_ref of each element).
    container: bool = False

    def slot_kind(self, slot: str) -> str:
        return next((k for s, k in self.slots if s == slot), "")


_KEYS = {"types", "records", "prefixes", "slots", "frees_members", "free", "up_ref",
         "var_hints", "container"}


def parse_kinds(data: dict, source: str) -> dict[str, HandleKind]:
    out: dict[str, HandleKind] = {}
    for name, entry in data.items():
        where = f"{source}: [handles.{name}]"
        if not isinstance(entry, dict):
            raise ModelError(f"{where}: expected a table")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ModelError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        lists = {}
        for key in ("types", "records", "prefixes", "free", "up_ref", "var_hints"):
            v = entry.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ModelError(f"{where}: '{key}' must be a list of strings")
            lists[key] = tuple(v)
        slots = entry.get("slots", {})
        if not isinstance(slots, dict) or not all(isinstance(v, str) for v in slots.values()):
            raise ModelError(f"{where}: 'slots' must map slot names to handle kinds")
        frees = entry.get("frees_members", False)
        container = entry.get("container", False)
        if not isinstance(frees, bool) or not isinstance(container, bool):
            raise ModelError(f"{where}: 'frees_members' and 'container' must be true or false")
        out[name] = HandleKind(name, slots=tuple(sorted(slots.items())), frees_members=frees,
                               container=container, **lists)
    for k in out.values():
        for slot, held in k.slots:
            if held not in out:
                raise ModelError(f"{source}: [handles.{k.name}]: slot {slot!r} holds an "
                                 f"unknown kind {held!r}")
    return out


class Kinds:
    """Lookups over all handle kinds, built once per table."""

    def __init__(self, kinds: dict[str, HandleKind]):
        self.by_name = kinds
        self.by_typedef = {t: k.name for k in kinds.values() for t in k.types}
        self.by_record = {r: k.name for k in kinds.values() for r in k.records}
        self._prefixes = sorted(((p, k.name) for k in kinds.values() for p in k.prefixes),
                                key=lambda pk: -len(pk[0]))

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    def get(self, name: str) -> HandleKind | None:
        return self.by_name.get(name)

    def container(self, name: str) -> bool:
        k = self.by_name.get(name)
        return k is not None and k.container

    def frees_members(self, name: str) -> bool:
        k = self.by_name.get(name)
        return k is not None and k.frees_members

    def slot_kind(self, owner: str, slot: str) -> str:
        k = self.by_name.get(owner)
        return k.slot_kind(slot) if k else ""

    def any_slot_kind(self, slot: str) -> str:
        """The kind held in a slot of this name, if exactly one kind declares one."""
        held = {h for k in self.by_name.values() for s, h in k.slots if s == slot}
        return held.pop() if len(held) == 1 else ""

    def for_function(self, name: str) -> str:
        """The kind a function's handle arguments hold by the function's name prefix."""
        return next((k for p, k in self._prefixes if name.startswith(p)), "")

    def type_names(self) -> list[str]:
        return sorted(self.by_typedef)

    def var_hints(self) -> list[str]:
        return sorted({h for k in self.by_name.values() for h in k.var_hints})
