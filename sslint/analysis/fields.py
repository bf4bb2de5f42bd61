"""Which struct fields a file's code may release or hand over, for the program-level
check that owned references stored in a field are released somewhere (SSL104).

The engine says it for the functions it analysed in full (an object read from or
stored in a field that is released, handed over, passed to unknown code, returned
or stored elsewhere: Lifecycle.handled); for the other bodies, their text does: any
mention of a field other than an assignment to it counts. Over-approximating
"released" keeps the check silent when in doubt.
"""
from __future__ import annotations

import re
from collections.abc import Callable


ANY = "*"  # a record we could not see: the field's name alone


_MENTION = re.compile(rb"(?:->|\.)\s*([A-Za-z_]\w*)\b")
_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)
_BASE = re.compile(rb"[\w\]\[>.\-]*$")  # the `c->conn` before `->ssl`, read backwards
_NAME_BEFORE = re.compile(rb"(\w+)\s*$")
_WINDOW = 400  # bytes read back from a mention: its base, cast and call
_FLOW = frozenset({b"if", b"while", b"switch", b"for", b"sizeof"})
_CAST = re.compile(rb"\(\s*(?:const\s+|struct\s+)?\w+[\s*]*\)\s*$")  # `(void *)` before it


def mentioned_fields(text: bytes, start: int, end: int,
                     only_uses: Callable[[str], bool] = lambda _name: False
                     ) -> set[tuple[str, str]]:
    """Fields a body that was not analysed may pass on, read from its code (not its
    comments): copied (`x = c->ssl`), returned, or given to a function sslint does
    not know. Tests (`if (c->ssl)`), assignments to the field and arguments of
    functions that `only_uses` says only use their arguments (OpenSSL's: a body
    calling one that releases is analysed) do not count."""
    body = text[start:end]
    if b"->" not in body and b"." not in body:
        return set()
    code = _COMMENT.sub(b" ", body)
    out = set()
    for m in _MENTION.finditer(code):
        after = code[m.end():m.end() + 3].lstrip()
        if after.startswith(b"=") and not after.startswith(b"=="):
            continue  # assigned to
        if after[:1] in (b"-", b".", b"[") or after.startswith(b"->"):
            continue  # a deeper member: that one is what is used
        before = code[max(0, m.start() - _WINDOW):m.start()]  # bounded: bodies are long
        base = _BASE.search(before)
        lead = before[:base.start() if base else len(before)].rstrip()
        if _passes_on(lead, only_uses):
            out.add((ANY, m.group(1).decode("latin-1")))
    return out


def _passes_on(lead: bytes, only_uses: Callable[[str], bool]) -> bool:
    """Whether the expression after `lead` hands its value on: the right side of an
    assignment, a returned value, or an argument of an unknown function."""
    cast = _CAST.search(lead)
    while cast is not None:
        lead = lead[:cast.start()].rstrip()
        cast = _CAST.search(lead)
    if lead.endswith(b"=") and not lead.endswith((b"==", b"!=", b"<=", b">=")):
        return True
    if lead.endswith(b"return") or lead.endswith(b"(") and lead[:-1].rstrip().endswith(b"return"):
        return True
    if lead.endswith((b"(", b",")):
        depth, i = 0, len(lead) - 1
        while i >= 0:  # the call's opening parenthesis
            c = lead[i]
            if c == 41:
                depth += 1
            elif c == 40:
                if depth == 0:
                    break
                depth -= 1
            elif c == 59 or c == 123 or c == 125:
                return False
            i -= 1
        name = _NAME_BEFORE.search(lead, 0, max(0, i))
        if name is None:
            return False  # a cast or a grouping: not a call
        callee = name.group(1)
        return callee not in _FLOW and not only_uses(callee.decode("latin-1"))
    return False
