"""Which struct fields a file's code may release or hand over, for the program-level
check that owned references stored in a field are released somewhere (SSL104).

Read from the lowered functions (a field passed to any call but one that only uses
it, copied into a variable, returned, or its address taken), and from the text of
the bodies that were not lowered (any mention of the field other than an
assignment to it). Over-approximating "released" keeps the check silent when in
doubt.
"""
from __future__ import annotations

import re

from sslint.core import ir

USES = frozenset({"use", "use?", "use!", "peek"})
ANY = "*"  # a record we could not see: the field's name alone


def handled_fields(fn: ir.Function, model) -> set[tuple[str, str]]:
    """(record, field) pairs whose handle this function may release or pass on."""
    out: set[tuple[str, str]] = set()
    for n in fn.nodes:
        if n.expr is None:
            continue
        if n.kind == "return":
            _member(n.expr, out)
        for e in ir.walk(n.expr):
            if isinstance(e, ir.Call):
                spec = model.lookup(e.callee) if e.callee else None
                for i, a in enumerate(e.args):
                    if spec is None or spec.verb(i).op not in USES:
                        _member(a, out)
            elif isinstance(e, ir.Assign):
                _member(e.value, out)
            elif isinstance(e, ir.AddrOf):
                _member(e.operand, out)
    return out


def _member(e: ir.Expr, out: set[tuple[str, str]]) -> None:
    if isinstance(e, ir.AddrOf):
        e = e.operand
    if isinstance(e, ir.Member):
        out.add((e.record or ANY, e.field))


_MENTION = re.compile(rb"(?:->|\.)\s*([A-Za-z_]\w*)(?!\s*=[^=])")
_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)


def mentioned_fields(text: bytes, start: int, end: int) -> set[tuple[str, str]]:
    """Fields a body that was not lowered mentions in its code (not its comments)
    other than as an assignment's target: any of them may be released there."""
    if b"->" not in text[start:end] and b"." not in text[start:end]:
        return set()
    code = _COMMENT.sub(b" ", text[start:end])
    return {(ANY, m.group(1).decode("latin-1")) for m in _MENTION.finditer(code)}
