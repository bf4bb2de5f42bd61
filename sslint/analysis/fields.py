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


ANY = "*"  # a record we could not see: the field's name alone


_MENTION = re.compile(rb"(?:->|\.)\s*([A-Za-z_]\w*)(?!\s*=[^=])")
_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)


def mentioned_fields(text: bytes, start: int, end: int) -> set[tuple[str, str]]:
    """Fields a body that was not lowered mentions in its code (not its comments)
    other than as an assignment's target: any of them may be released there."""
    if b"->" not in text[start:end] and b"." not in text[start:end]:
        return set()
    code = _COMMENT.sub(b" ", text[start:end])
    return {(ANY, m.group(1).decode("latin-1")) for m in _MENTION.finditer(code)}
