"""Reading C source text around clang's diagnostics, for frontend/recover.py: what
follows or precedes a name, member chains, macro uses that look like loops, and an
index of each file's declarations, calls and member uses."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from functools import cache
from typing import NamedTuple

KEYWORDS = frozenset(
    "auto break case char const continue default do double else enum extern float for "
    "goto if inline int long register restrict return short signed sizeof static struct "
    "switch typedef union unsigned void volatile while _Bool _Noreturn _Thread_local "
    "__inline __inline__ __attribute__ __extension__ __restrict __thread __typeof__ "
    "typeof _Alignas _Atomic _Static_assert".split())
DECL_START = frozenset(
    "char const double enum extern float inline int long register short signed static "
    "struct union unsigned void volatile _Bool _Noreturn _Thread_local __inline "
    "__inline__ __attribute__ __extension__ _Atomic".split())
IDENT = re.compile(rb"[A-Za-z_]\w*")
# Compiled once: recovery reads thousands of diagnostics per file.
WORD_AT_END = re.compile(rb"([A-Za-z_]\w*)\s*$")
_ARROW = re.compile(rb"\s*(->|\.)\s*")
_SPACED_WORD = re.compile(rb"\s*[A-Za-z_]\w*")
_TOKEN = re.compile(rb"\s*([A-Za-z_]\w*|\S)")
_DECLARED_AFTER = re.compile(rb"\s*[*\s]*[A-Za-z_]\w*\s*[;=,\[)]")
_STARS_CLOSE = re.compile(rb"\s*\*+\s*\)")
_CLOSE_THEN_OPERAND = re.compile(rb"\s*\)\s*[A-Za-z_(]")
_WRAPPER = re.compile(rb"[ \t]*([A-Za-z_]\w*)\s*\([^()]*\)\s*[A-Za-z_]\w*\s*\(")
_LOOP_BODY = re.compile(rb"[ \t]*(\{|\r?\n\s*[A-Za-z_{])")


def owner_tag(rest: str) -> str | None:
    """The struct a `no member named 'x' in 'struct T'` message names."""
    m = re.search(r"'struct (\w+)'", rest)
    return m.group(1) if m else None


def callee_of(text: bytes, close: int) -> str:
    """The function called by the argument list whose `)` is at `close`."""
    depth = 0
    for i in range(close, max(-1, close - 2000), -1):
        if text[i] == 0x29:
            depth += 1
        elif text[i] == 0x28:
            depth -= 1
            if depth == 0:
                return word_before(text, i)
    return ""


def enclosing_call(text: bytes, off: int) -> str:
    """The name of the call whose argument list holds `off`, or ''."""
    depth = 0
    for i in range(off - 1, max(-1, off - 400), -1):
        c = text[i]
        if c == 0x29:    # )
            depth += 1
        elif c == 0x28:  # (
            if depth == 0:
                return word_before(text, i)
            depth -= 1
        elif c in (0x3B, 0x7B, 0x7D):  # ; { }
            return ""
    return ""


def word_before(text: bytes, off: int) -> str:
    m = WORD_AT_END.search(text, max(0, off - 200), off)
    return m.group(1).decode("latin-1") if m else ""


def skip_arrow(text: bytes, off: int) -> int:
    m = _ARROW.match(text, off)
    return m.end() if m else off


def skip_token(text: bytes, off: int) -> int:
    m = _SPACED_WORD.match(text, off)
    return m.end() if m else off


def next_token(text: bytes, off: int) -> str:
    m = _TOKEN.match(text, off)
    return m.group(1).decode("latin-1") if m else ""


def declares_after(text: bytes, off: int) -> bool:
    """Whether what follows `off` declares something: `x;`, `*x =`, `x[4]`, `x, y`..."""
    return bool(_DECLARED_AFTER.match(text, off))


def statement_start(text: bytes, off: int) -> bool:
    """Whether `off` starts a statement or declaration (comments and preprocessor
    lines before it are skipped)."""
    before = text[max(0, off - 400):off].rstrip()
    while True:
        if before.endswith(b"*/") and b"/*" in before:
            before = before[:before.rfind(b"/*")].rstrip()
            continue
        line_start = before.rfind(b"\n") + 1
        if before[line_start:].lstrip().startswith(b"#"):
            before = before[:line_start].rstrip()
            continue
        break
    return not before or before[-1:] in (b";", b"{", b"}", b"(", b",", b":") \
        or before.endswith((b"const", b"static", b"volatile"))


NOT_TYPES = frozenset({b"return", b"case", b"goto", b"else", b"sizeof", b"do"})


SPACED_IDENT = re.compile(rb"\s*([A-Za-z_]\w*)")
OPEN_BRACKET = re.compile(rb"\s*\[")
AFTER_MEMBER = re.compile(rb"\s*(->|\.|\()")
# Possessive (`*+`): giving back part of a name or of the blanks could not match,
# and trying costs a step per character of every name in the file.
MEMBER_USE = re.compile(rb"(?<![\w.>])([A-Za-z_]\w*+)\s*+(?:->|\.)\s*+(?=[A-Za-z_])")
DECLARATOR = re.compile(rb"(?<![\w.>])([A-Za-z_]\w*+)[\s*]++(?=([A-Za-z_]\w*+)\s*+[;=,\[)])")
CALLED = re.compile(rb"\b([A-Za-z_]\w*)\s*\(")


DEFINITION = re.compile(rb"(?m)^((?:[A-Za-z_]\w*[ \t\n*]+)+?)([A-Za-z_]\w*)[ \t]*"
                         rb"(\((?:[^;{}()]|\([^;{}()]*\))*\))\s*\{")


_TEXTS: OrderedDict[bytes, Text] = OrderedDict()
_TEXTS_BYTES = 16 << 20  # of source kept indexed, the least recently used dropped first


def text(raw: bytes) -> Text:
    """The Text of these bytes, shared by the files of one process: the files of a
    project include the same headers, whose errors recovery reads each time."""
    got = _TEXTS.get(raw)
    if got is not None:
        _TEXTS.move_to_end(raw)
        return got
    got = _TEXTS[raw] = Text(raw)
    kept = sum(map(len, _TEXTS))
    while kept > _TEXTS_BYTES and len(_TEXTS) > 1:
        kept -= len(_TEXTS.popitem(last=False)[0])
    return got


class Text:
    """A file's text with what is read from it more than once: line starts, the
    names it declares (`ngx_int_t rc;`: an undeclared use of `rc` comes from a
    declaration whose type is still unknown, not from a missing value), the names
    it calls, and its loop-macro sites."""

    def __init__(self, text: bytes):
        self.text = text
        self.starts = line_starts(text)
        pairs = [(m.group(1), m.group(2), m.start()) for m in DECLARATOR.finditer(text)]
        self.declared = {v.decode("latin-1") for ty, v, _ in pairs if ty not in NOT_TYPES}
        self.called = {w.decode("latin-1") for w in set(CALLED.findall(text))}
        self.bodies = bodies(text, self.starts)
        self.declared_functions = {b.name for b in self.bodies}
        definers: list[tuple[int, int, str, int]] = []
        self.loops = loop_sites(text, definers)
        self.loops_at: dict[int, list[tuple[str, list[bytes] | None]]] = {}
        for first, last, name, args in self.loops:
            for line in range(first, last + 1):
                self.loops_at.setdefault(line, []).append((name, args))
        self.definers_at: dict[int, list[tuple[str, int]]] = {}
        for first, last, name, count in definers:
            for line in range(first, last + 2):  # and the `{` after it
                self.definers_at.setdefault(line, []).append((name, count))
        self._protos: dict[str, str] | None = None
        # (type or struct tag, variable, its scope's start and end) of each simple
        # declaration: a function's (its parameters and locals) or the file's. The
        # same name may be another type's variable in another function.
        heads = [b.head for b in self.bodies]
        decls = set()
        whole = (0, len(text))
        i, n = -1, len(heads)
        for ty, v, pos in pairs:  # in the text's order: the body before moves forward
            while i + 1 < n and heads[i + 1] <= pos:
                i += 1
            scope = (heads[i], self.bodies[i].end) if i >= 0 and pos < self.bodies[i].end \
                else whole
            decls.add((ty, v, scope))
        self.declarations = sorted((ty.decode("latin-1"), v.decode("latin-1"), *scope)
                                   for ty, v, scope in decls)
        # Where each name is followed by `->` or `.` (the member's offset).
        self.member_uses: dict[str, list[int]] = {}
        for m in MEMBER_USE.finditer(text):
            self.member_uses.setdefault(m.group(1).decode("latin-1"), []).append(m.end())

    def prototype(self, name: str) -> str | None:
        """The prototype of a function this text defines, copied from its definition."""
        if self._protos is None:
            self._protos = {}
            for m in DEFINITION.finditer(self.text):
                if m.group(1).split()[0] not in NOT_TYPES:
                    proto = (m.group(1) + m.group(2) + m.group(3)).decode("latin-1")
                    self._protos.setdefault(m.group(2).decode("latin-1"),
                                            proto.replace("\n", " ") + ";")
        return self._protos.get(name)

    def offset(self, line: int, col: int) -> int | None:
        if line > len(self.starts):
            return None
        return min(len(self.text), self.starts[line - 1] + max(col, 1) - 1)


def cast(text: bytes, start: int, end: int) -> bool:
    """`(NAME *)`, `(NAME) expr` or `sizeof(NAME)`: NAME is a type."""
    before = text[max(0, start - 40):start].rstrip()
    if not before.endswith(b"("):
        return False
    word = WORD_AT_END.search(before[:-1])
    if word is not None:  # `f(NAME)`, `if (NAME)`: not a cast; sizeof(NAME) is a type
        return word.group(1) == b"sizeof"
    if _STARS_CLOSE.match(text, end):
        return True
    return bool(_CLOSE_THEN_OPERAND.match(text, end))


def after_case(text: bytes, off: int) -> bool:
    return text[max(0, off - 16):off].rstrip().endswith(b"case")


REVERSED_CHAIN = re.compile(rb"(?:\s*(?:>-|\.)\s*\w+)*")


def dereferenced(text: bytes, chain_member: int) -> bool:
    """Whether the member chain ending here is under a unary `*` (read backwards)."""
    rev = text[max(0, chain_member - 200):chain_member][::-1]
    m = REVERSED_CHAIN.match(rev)
    rest = rev[m.end():].lstrip() if m else rev.lstrip()
    if not rest.startswith(b"*"):
        return False
    return rest[1:].lstrip()[:1] in (b"(", b"=", b",", b";", b"{", b"!", b"&", b"|", b"")


def balanced(text: bytes, open_at: int, opener: bytes, closer: bytes) -> int | None:
    depth = 0
    for m in _brackets(opener, closer).finditer(text, open_at, open_at + 4000):
        if m.group() == opener:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return None


@cache
def _brackets(opener: bytes, closer: bytes) -> re.Pattern[bytes]:
    return re.compile(b"[" + re.escape(opener + closer) + b"]")


def line_starts(text: bytes) -> list[int]:
    """The offset where each line begins."""
    return [0] + [m.end() for m in re.finditer(rb"\n", text)]


def wrapper_before(text: bytes, off: int) -> str | None:
    """`NAME(int) f(void)`: the NAME of the macro before the declarator at `off`."""
    line_start = text.rfind(b"\n", 0, off) + 1
    m = _WRAPPER.match(
        text, line_start)
    if m and m.group(1).decode() not in KEYWORDS:
        return m.group(1).decode()
    return None


STRING_MACRO = re.compile(rb'"\s*([A-Za-z_]\w*)\s*"')
LOOP_HEAD = re.compile(rb"(?m)^[ \t]*([A-Za-z_]\w*)[ \t]*\(")


def split_args(args: bytes) -> list[bytes]:
    """Top-level comma-separated arguments, stripped."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(args):
        if c in (0x28, 0x5B, 0x7B):
            depth += 1
        elif c in (0x29, 0x5D, 0x7D):
            depth -= 1
        elif c == 0x2C and depth == 0:
            out.append(args[start:i].strip())
            start = i + 1
    out.append(args[start:].strip())
    return [] if out == [b""] else out


LOOPY = re.compile(rb"(?i)each|iter|loop|walk|travers|scan|(^|_)for(_|$)|(^|_)list(_|$)")


def loop_sites(text: bytes, definers: list | None = None
               ) -> list[tuple[int, int, str, list[bytes] | None]]:
    """`NAME(args) {` or `NAME(args)` + a statement on the next line, at the start of a
    line: (first line, last line, NAME, its arguments). A site at file scope whose
    last argument is a parameter list (`MOCK_IMPL(int, f, (void *p)) {`) defines a
    function: it goes to `definers` as (first line, last line, NAME, argument count)."""
    out = []
    depth_at = None
    for m in LOOP_HEAD.finditer(text):
        name = m.group(1).decode("latin-1")
        if name in KEYWORDS or not in_body(text, m.start()):
            continue
        close = balanced(text, m.end() - 1, b"(", b")")
        if close is None:
            continue
        nxt = _LOOP_BODY.match(text, close + 1)
        if nxt is None:
            continue
        word = IDENT.match(text, nxt.end() - 1)
        if word and word.group() in (b"else",):
            continue
        first = text.count(b"\n", 0, m.start()) + 1
        last = first + text.count(b"\n", m.start(), nxt.end())
        # Before a block, or with a loop's name: a loop; before a plain statement, a
        # macro that is a whole statement (its own `;` inside): nothing.
        looping = nxt.group(1) == b"{" or LOOPY.search(m.group(1))
        if definers is not None and nxt.group(1).lstrip() == b"{" \
                and text[close - 1:close] == b")":
            args = split_args(text[m.end():close])
            if len(args) >= 2 and args[-1].startswith(b"("):
                depth_at = depth_at or brace_depth(text)
                if depth_at(m.start()) == 0:
                    definers.append((first, last, name, len(args)))
                    continue
        out.append((first, last, name, split_args(text[m.end():close]) if looping else None))
    return out


def brace_depth(text: bytes):
    """A function giving the depth of braces at an offset (strings, characters and
    comments skipped)."""
    marks, depths, depth = [], [], 0
    for m in _BRACE_OR_SKIPPED.finditer(text):
        c = text[m.start()]
        if c in (0x7B, 0x7D):
            depth += 1 if c == 0x7B else -1
            marks.append(m.start())
            depths.append(depth)

    def at(pos: int) -> int:
        i = bisect_right(marks, pos - 1) - 1
        return depths[i] if i >= 0 else 0
    return at


def in_body(text: bytes, line_start: int) -> bool:
    """Whether a line starts a statement: the text before ends a statement or a
    block, or is a preprocessor line (a function's name after its type does not)."""
    before = text[max(0, line_start - 400):line_start].rstrip()
    while before.endswith(b"*/"):
        before = before[:before.rfind(b"/*")].rstrip()
    last_line = before[before.rfind(b"\n") + 1:].lstrip()
    return before[-1:] in (b";", b"{", b"}", b":", b")") or last_line.startswith(b"#")


_BRACE_OR_SKIPPED = re.compile(rb'[{}]|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                               rb"|/\*.*?\*/|//[^\n]*", re.S)


class Body(NamedTuple):
    name: str   # the function's
    head: int   # offset of its definition's head
    start: int  # of the body's `{`
    end: int    # past its `}` (or the next head)
    first: int  # line of the `{`
    last: int   # line of the end


def bodies(text: bytes, starts: list[int] | None = None) -> list[Body]:
    """A file's function bodies, read from its text: each `{...}` after a
    definition's head (braces in strings and comments skipped), up to the next head
    at the latest (`#if` branches may leave the braces unbalanced)."""
    heads = list(DEFINITION.finditer(text))
    if starts is None:
        starts = line_starts(text)
    out = []
    for i, m in enumerate(heads):
        limit = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        if m.end() > limit:
            continue
        depth, end = 0, limit
        for tok in _BRACE_OR_SKIPPED.finditer(text, m.end() - 1, limit):
            depth += 1 if tok.group() == b"{" else -1 if tok.group() == b"}" else 0
            if depth == 0:
                end = tok.end()
                break
        out.append(Body(m.group(2).decode("latin-1"), m.start(), m.end() - 1, end,
                        bisect_right(starts, m.end() - 1), bisect_right(starts, max(0, end - 1))))
    return out
