"""Recovery by synthetic declarations, for files parsed without their build.

Without a project's headers clang drops every statement that names something
undeclared (`return NGX_OK;` simply vanishes), and sslint must then skip the
function. Here clang's diagnostics, read against the source text, say what was
missing; a prelude that exists only in memory (an unsaved file, force-included)
declares it, and the file is parsed again, for a few rounds until nothing more is
learnt. The guesses are chosen to keep statements, never to give them meaning:

* an unknown type name: a complete dummy struct (by-value use and member access
  parse) or, for names that look like integers (`ngx_int_t`) or are used as
  numbers, `long`;
* an undeclared value (`NGX_OK`): an `extern long` (its value is unknown to the
  engine); a distinct enum constant where a constant expression is needed;
* a member of an unknown struct (`c->ssl->connection`): a field, nested structs
  for the chain of members that follows it (read from the text);
* `NAME(v, ...) {` where NAME is unknown (TAILQ_FOREACH, list_for_each): a loop
  macro that assigns `v` an unknown value and may run zero or more times;
* `NAME int f()` (export or attribute macros): an empty macro;
  `NAME(int) f()`: a macro giving back its arguments.

Undeclared functions stay undeclared: calls are unknown calls (their handle
arguments escape), and nothing guessed here is ever a handle function.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from sslint.frontend import recover_text as rt
from sslint.frontend import diags, switches
from sslint.frontend.diags import Diagnostic
from sslint.model.api import ApiModel, builtin_fallback_types, builtin_kinds

PATH = "/__sslint__/recovered.h"  # never on disk: handed to libclang as unsaved
# Rounds after the first only while an error is left in a body that matters
# (docs/validation.md: the third analysed 1 more of 194 functions on ten projects).
MAX_ROUNDS = 3
_PAD = "int __sslint_pad;"

# Type names that are integers in every project that uses them.
_INT_LIKE = re.compile(
    r"(?i)(^|_)(u?int\d*|u?intptr|u?intmax|ptrdiff|u?long|err|errno|flags?|msec|bool|boolean|size|ssize|off|pid|"
    r"sock|socket|fd|time|len|mode|uid|gid|atomic\w*|status|ret|rc|result|code|id|mask|"
    r"count|u?char|byte|word|dword|u\d+|s\d+|uchar)(_t)?$|code$|^(BOOL|DWORD|WORD|BYTE)$")
_ERROR_CODE = re.compile(r"^[A-Z][A-Z0-9]*_(?:[A-Z0-9]+_)*(ERR|ERROR|FAIL|FAILED|FAILURE|NOMEM|"
                         r"OUT_OF_MEMORY|BAD_[A-Z0-9_]+|INVALID|ABORT|ABORTED)$")
_MEMBER_MACRO = re.compile(rb"([A-Za-z_]\w*)\s*\(\s*[A-Za-z_]\w*\s*\)\s*;")
_CALLED_AFTER = re.compile(rb"\s*\)\s*\(")  # `(*s->callback)(...)`
_CALL_AT = re.compile(rb"\s*([A-Za-z_]\w*)\s*\(")
_CAST_BEFORE = re.compile(rb"\(\s*([A-Za-z_]\w*)\s*\)\s*$")
_TYPEDEF_RETURN = re.compile(rb"\btypedef\s+([A-Za-z_]\w*)\s*\Z")
_ASSIGNED_NAME = re.compile(rb"\s*=\s*([A-Za-z_]\w*)\s*;")
_SUBSCRIPT_NAME = re.compile(rb"\[\s*([A-Za-z_]\w*)")
_STRING_AFTER = re.compile(rb"\s*\"")
_MEMBER_AFTER = re.compile(rb"\s*(->|\.)\s*(?=[A-Za-z_])")
_TYPE_ARGUMENT = re.compile(rb"(struct|union|enum|const|unsigned|signed|int|char|long|"
                            rb"short|void|[A-Za-z_]\w*\s*[,)*])")
_NAME_IN_QUOTES = re.compile(r"'([A-Za-z_]\w*)'")
_TYPES_IN_MESSAGE = re.compile(r"'(?:struct )?([A-Za-z_]\w*)'(?: \(aka '(?:struct )?(\w+)'\))?")
_NUMERIC_MISUSE = ("invalid operands", "incompatible type", "incompatible result type",
                   "requires expression of integer type", "where arithmetic or pointer",
                   "requires expression of scalar type", "is not assignable",
                   "cannot increment", "cannot decrement", "incompatible types")
_CONSTANT_NEEDED = ("compile-time constant", "integer constant expression",
                    "not a constant expression")


@dataclass
class Guesses:
    """What the prelude declares; grows round by round."""

    types: dict[str, str] = field(default_factory=dict)   # name -> "struct" | "int"
    # name -> "var", "const", "fn", "str", "obj", "ptr", "objs", "ptrs" (arrays of those),
    # "array", "retptr", "retnum", "ppfn" or
    # "as:<struct tag>" (see header())
    values: dict[str, str] = field(default_factory=dict)
    attrs: set[str] = field(default_factory=set)           # empty object-like macros
    wrappers: set[str] = field(default_factory=set)        # NAME(...) -> __VA_ARGS__
    exprs: set[str] = field(default_factory=set)           # NAME(...) -> an unknown value
    stmts: set[str] = field(default_factory=set)           # NAME(...) -> nothing
    members: set[str] = field(default_factory=set)         # NAME(x) -> a field x (BIT(x);)
    # NAME(type, name, (params)) { at file scope -> the declaration's parts (MOCK_IMPL)
    definers: dict[str, int] = field(default_factory=dict)
    # name -> (argument count, the arguments it assigns: the plain variables at its use)
    loops: dict[str, tuple[int, tuple[int, ...]]] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # struct -> field -> C type
    undefined_tags: set[str] = field(default_factory=set)  # real tags we define (struct conn)
    banned: set[str] = field(default_factory=set)
    protos: dict[str, str] = field(default_factory=dict)  # a function -> its prototype
    enums: set[str] = field(default_factory=set)           # incomplete enum types
    rounds: int = 0
    # Feature switches that bring a missing member into a struct of the project's
    # headers (frontend.switches): NAME or NAME=VALUE.
    switches: set[str] = field(default_factory=set)
    # The project's headers the file reaches, with their paths (frontend.localheaders).
    header_files: Callable[[], list[tuple[str, bytes]]] | None = field(default=None,
                                                                       repr=False)
    _texts: dict[str, rt.Text] = field(default_factory=dict, repr=False)
    _members_done: set[tuple[str, str, str, int]] = field(default_factory=set, repr=False)
    _switch_asked: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def names(self) -> list[str]:
        """The recovered names, for the user: types, values, macros, struct tags."""
        out = [*self.types, *self.values, *self.attrs, *self.wrappers, *self.loops,
               *self.exprs, *self.stmts, *self.members, *self.definers]
        out += [f"struct {t}" for t in self.undefined_tags - self.banned]
        out += [f"enum {e}" for e in self.enums - self.banned]
        out += [f"-D{s}" for s in self.switches]  # parse.parse_file reports these apart
        return sorted(set(out) - self.banned)

    # ---- the prelude ---------------------------------------------------------------
    def header(self) -> bytes:
        lines = ["/* sslint: declarations guessed for names the file's headers did not "
                 "provide. */",
                 "#ifndef offsetof", "#define offsetof(t, m) __builtin_offsetof(t, m)", "#endif",
                 "#ifndef NULL", "#define NULL ((void *)0)", "#endif",
                 "extern void *__sslint_next(void);", "extern int __sslint_more(void);"]
        for s in sorted(self.switches):  # before the file's headers: the prelude comes first
            name, _, value = s.partition("=")
            lines.append(f"#define {name} {value or 1}")
        for a in sorted(self.attrs - self.banned):
            lines.append(f"#define {a}")
        for w in sorted(self.wrappers - self.banned):
            lines.append(f"#define {w}(...) __VA_ARGS__")
        for st in sorted(self.stmts - self.banned):
            lines.append(f"#define {st}(...)")
        for mb in sorted(self.members - self.banned):
            lines.append(f"#define {mb}(x) long x")
        for name, count in sorted(self.definers.items()):
            if name not in self.banned and name not in self.stmts:
                params = ", ".join(f"a{i}" for i in range(count))
                lines.append(f"#define {name}({params}) {params.replace(',', '')}")
        for e in sorted(self.exprs - self.banned):
            lines.append(f"#define {e}(...) __sslint_next()")
        for name, (count, assigned) in sorted(self.loops.items()):
            if name not in self.banned:
                lines.append(_loop_macro(name, count, assigned))
        lines += [f"struct {t};" for t in sorted(self.tags)]
        for name, kind in sorted(self.types.items()):
            if name in self.banned:
                continue
            # `int`, as the implicit declaration of a function called before its
            # definition returns: `ngx_int_t f(...) {` then does not conflict.
            lines.append(f"typedef int {name};" if kind == "int"
                         else f"typedef long (*{name})();" if kind == "fn"
                         else f"typedef struct {_tag(name)} {name};")
        lines += self._structs()
        values = {n: k for n, k in sorted(self.values.items()) if n not in self.banned}
        for i, name in enumerate(n for n, k in values.items() if k == "const"):
            lines.append(f"enum {{ {name} = {0x5EED000 + i} }};")
        lines += [f"extern long {n};" for n, k in values.items() if k == "var"]
        lines += [f"extern long {n}[];" for n, k in values.items() if k == "array"]
        lines += [f"extern struct {k[3:]} {n};" for n, k in values.items() if k.startswith("as:")]
        lines += [f"extern struct {_tag('v_' + n)} {'*' if k == 'ptr' else ''}{n};"
                  for n, k in values.items() if k in ("obj", "ptr")]
        lines += [f"extern struct {_tag('v_' + n)} {'*' if k == 'ptrs' else ''}{n}[];"
                  for n, k in values.items() if k in ("objs", "ptrs")]
        lines += [f"extern struct {_tag('r_' + n)} *{n}();" for n, k in values.items()
                  if k == "retptr"]
        lines += [f"extern long *{n}();" for n, k in values.items() if k == "retnum"]
        lines += [f"#define {n}(...) 0" for n, k in values.items() if k == "ppfn"]
        lines += [f"enum {n} {{ __sslint_enum_{n} }};" for n in sorted(self.enums)]
        lines += [f'#define {n} ""' for n, k in values.items() if k == "str"]
        lines += [self.protos.get(n, f"extern int {n}();") for n, k in values.items()
                  if k == "fn"]
        return ("\n".join(lines) + "\n").encode()

    def _structs(self) -> list[str]:
        """Struct definitions, each after those it holds by value."""
        out: list[str] = []
        done: set[str] = set()

        def emit(tag: str, depth: int) -> None:
            if tag in done or depth > 20:
                return
            done.add(tag)
            fields = self.tags.get(tag, {})
            for ctype in fields.values():
                m = re.fullmatch(r"struct (\w+)", ctype)
                if m:
                    emit(m.group(1), depth + 1)
            body = " ".join(_field_decl(f, t) for f, t in sorted(fields.items()))
            out.append(f"struct {tag} {{ {_PAD} {body} }};")

        for name, kind in sorted(self.types.items()):
            if kind == "struct" and name not in self.banned:
                self.tags.setdefault(_tag(name), {})
        for tag in sorted(self.tags):
            if tag in self.banned:
                continue
            if tag.startswith("__sslint_") or tag in self.undefined_tags:
                emit(tag, 0)
        return out

    # ---- learning from diagnostics ----------------------------------------------------
    def learn(self, errs: list[Diagnostic], text_of: Callable[[str], bytes | None],
              protected: frozenset[str]) -> bool:
        """Read one parse's errors; whether anything new was guessed."""
        self.rounds += 1
        before = self.header(), len(self.banned)
        prelude = before[0].split(b"\n")
        seen: set[Diagnostic] = set()  # a macro's error repeats at each of its uses
        for d in errs:
            if d.file is None or d.line <= 0 or d in seen:
                continue
            seen.add(d)
            if d.file == PATH:
                self._ban_at_prelude(d, prelude)
                continue
            t = self._texts.get(d.file)
            if t is None:
                raw = text_of(d.file)
                if raw is None:
                    continue
                t = self._texts[d.file] = rt.text(raw)
            off = t.offset(d.line, d.col)
            if off is not None:
                self._one(d, t, off, protected)
        for name, t in self._texts.items():
            self._members_of_variables(name, t)
            self._condition_macros(t, protected)
        return (self.header(), len(self.banned)) != before

    def _condition_macros(self, t: rt.Text, protected: frozenset[str]) -> None:
        """`if (BUG(dup == NULL))` with BUG undeclared: clang calls it as an implicit
        function (no error), whose result says nothing of `dup`, so a path where
        `dup` is NULL yet not taken would be invented. A macro's name (capitals)
        called as a whole condition around a test gives back that test."""
        for name in _condition_wrappers(t.text):
            if name not in protected and name not in t.declared_functions \
                    and name not in self.values and name not in self.types:
                self.wrappers.add(name)

    def _members_of_variables(self, name: str, t: rt.Text) -> None:
        """The members used through each variable declared with a guessed struct type
        (`ngx_connection_t *c; ... c->ssl->connection`), read from the text at once:
        otherwise each round would reveal only the statements the last one mended."""
        owners: dict[str, str] = {n: _tag(n) for n, k in self.types.items()
                                  if k == "struct" and n not in self.banned}
        owners.update((tag, tag) for tag in self.undefined_tags - self.banned)
        for type_name, var, start, end in t.declarations:
            tag = owners.get(type_name)
            if tag is None or (name, var, tag, start) in self._members_done:
                continue
            self._members_done.add((name, var, tag, start))
            uses = t.member_uses.get(var, ())
            for pos in uses[bisect_left(uses, start):bisect_left(uses, end)]:
                self._chain(tag, t.text, pos)

    def _one(self, d: Diagnostic, t: rt.Text, off: int, protected: frozenset[str]) -> None:
        msg, text = d.message, t.text
        for name, args in t.loops_at.get(d.line, ()):
            if name not in protected:
                if args is None:  # `NAME(x)` + a statement, not a loop: a statement macro
                    self.stmts.add(name)
                elif name not in self.loops:
                    # The arguments that are variables at every use (not a member name
                    # that happens to be a variable's name elsewhere).
                    uses = [a for _, _, n, a in t.loops if n == name and a is not None]
                    assigned = tuple(i for i in range(len(args)) if all(
                        i < len(u) and rt.IDENT.fullmatch(u[i]) and u[i].decode("latin-1")
                        in t.declared for u in uses))
                    self.loops[name] = (len(args), assigned)
                return
        for name, count in t.definers_at.get(d.line, ()):
            if name not in protected:
                self.definers.setdefault(name, count)
        m = _NAME_IN_QUOTES.search(msg)
        name = m.group(1) if m else ""
        if name.startswith("__"):  # ours, or the compiler's (`__builtin_ia32_*`), but
            # a project's qualifier macro before a declaration is one to guess
            # (`__X509_NAME_CONST__ X509_NAME *name;`: OpenSSL 1.1's added const).
            if not name.startswith("__sslint") and name not in protected and msg.startswith(
                    ("unknown type name", "use of undeclared identifier")) and \
                    text.startswith(name.encode(), off) and _attr_position(name, text, off):
                self.attrs.add(name)
            return
        if name in protected:
            # A table function used as a value (a callback): declared without a
            # prototype, as an implicit declaration would be; calls keep their meaning.
            if msg.startswith("use of undeclared identifier") and name in _table_functions():
                self.values.setdefault(name, "fn")
            return
        # In a macro's expansion the place is the macro's use: the name is not there.
        spelled = text.startswith(name.encode(), off) if name else False
        if name and not spelled:  # an argument of that macro use: find it there
            near = _whole_word(name).search(
                text, off, off + 4000)
            if near is not None and b";" not in text[off:near.start()]:
                off, spelled = near.start(), True
        if msg.startswith("unknown type name"):
            if self._type_switch(name, d.file, text):
                return
            if spelled:
                self._type_or_attr(name, text, off)
            else:
                self.types.setdefault(name, _type_kind(name))
            return  # the most frequent messages: none of the checks below apply
        if msg.startswith("use of undeclared identifier"):
            declares = rt.declares_after(text, off + len(name)) and (
                rt.statement_start(text, off) or rt.word_before(text, off) in self.attrs)
            if spelled and (declares or rt.cast(text, off, off + len(name))):
                self.values.pop(name, None)
                self.types.setdefault(name, _type_kind(name))
            elif name not in self.types and (name not in t.declared or self.rounds > 1):
                self.values.setdefault(name, self._value_kind(name, t, off, spelled))
            return
        if msg.startswith("no member named"):
            owner = rt.owner_tag(msg[m.end():] if m else "")
            if owner is not None and m is not None and not owner.startswith("__sslint_") \
                    and owner not in self.undefined_tags and owner not in self.tags:
                self._member_switch(owner, m.group(1))
            if owner is not None:
                if spelled:
                    self._chain(owner, text, off)
                elif owner.startswith("__sslint_") or owner in self.undefined_tags:
                    self.tags.setdefault(owner, {}).setdefault(name, "long")
        elif msg.startswith(("incomplete definition of type 'struct ",
                             "variable has incomplete type 'struct ",
                             "invalid application of 'sizeof' to an incomplete type 'struct ",
                             "subscript of pointer to incomplete type '",
                             "field has incomplete type 'struct ",
                             "arithmetic on a pointer to an incomplete type '")):
            tag = re.search(r"'(?:const )?struct (\w+)'", msg)
            if tag and tag.group(1) not in protected:
                self.undefined_tags.add(tag.group(1))
                self.tags.setdefault(tag.group(1), {})
                if msg.startswith("incomplete definition"):
                    self._chain(tag.group(1), text, rt.skip_arrow(text, off))
                elif msg.startswith("field has"):  # `struct eb64_node node;`: read
                    # the members used through `x->node.key` at once
                    member = rt.IDENT.match(text, off)
                    if member:
                        uses = re.compile(rb"(?:->|\.)\s*" + re.escape(member.group())
                                          + rb"\s*\.\s*(?=[A-Za-z_])")
                        for use in uses.finditer(text):
                            self._chain(tag.group(1), text, use.end())
        elif msg.startswith(("member reference type 'long' is not a pointer",
                             "member reference base type 'long' is not a structure",
                             "member reference base type 'char' is not a structure")):
            self._promote_leaf(text, off)
        elif msg.startswith("expected ')'"):
            # `"len = " SIZE_FMT ", "`: a format macro between string literals.
            end = text.find(b";", off)
            for fmt in rt.STRING_MACRO.finditer(text, off, end if end > 0 else off + 2000):
                word = fmt.group(1).decode("latin-1")
                if word not in t.declared and word not in protected:
                    self.values.setdefault(word, "str")
        elif msg.startswith("assigning to 'struct __sslint_") and msg.endswith("type 'long'"):
            # `ctx->buf = BUF_NULL;`: a guessed value stored in a guessed struct field.
            rhs = _ASSIGNED_NAME.search(text, off, off + 400)
            target = re.search(r"'struct (__sslint_\w+)'", msg)
            if rhs and target and self.values.get(rhs.group(1).decode("latin-1")) == "var":
                self.values[rhs.group(1).decode("latin-1")] = "as:" + target.group(1)
        elif msg.startswith("subscripted value is not an array"):
            # `fdtab[fd].owner` with fdtab guessed a value: an array of structs with
            # the members used (or of pointers to them, for `->`).
            ident = rt.IDENT.match(text, off)  # clang points at the name or at `[`
            word = ident.group().decode("latin-1") if ident else rt.word_before(text, off)
            member = _member_after_subscript(text, ident.end() if ident else off)
            if member and self.values.get(word) == "var":
                self._chain(_tag("v_" + word), text, member.end())
                self.values[word] = "objs" if member.group(1) == b"." else "ptrs"
        elif msg.startswith("function cannot return function type"):
            # `typedef ngx_int_t (*handler_pt)(...)` with ngx_int_t unknown: clang
            # took ngx_int_t for the name being declared (so a function type), and
            # said nothing of an unknown type.
            before = _TYPEDEF_RETURN.search(text, max(0, off - 200), off)
            if before:
                word = before.group(1).decode("latin-1")
                if word not in protected and word not in t.declared:
                    self.types.setdefault(word, _type_kind(word))
        elif msg.startswith("function-like macro '") and msg.endswith("is not defined"):
            self.values.setdefault(name, "ppfn")   # in #if: the macro is 0, as clang says
        elif msg.startswith("variable has incomplete type 'enum "):
            tag = re.search(r"'enum (\w+)'", msg)
            if tag:
                self.enums.add(tag.group(1))
        elif msg.startswith("member reference type 'int' is not a pointer"):
            # `f(x)->y` with `f` undeclared: it returns a pointer to a struct.
            arrow = text.rfind(b"->", max(0, off - 200), off)
            if arrow > 0 and text[:arrow].rstrip().endswith(b")"):
                close = len(text[:arrow].rstrip()) - 1
                callee = rt.callee_of(text, close)
                if callee and callee not in protected and callee not in t.declared_functions:
                    self.values[callee] = "retptr"
                    self._chain(_tag("r_" + callee), text, rt.skip_arrow(text, arrow))
        elif msg.startswith("invalid operands to binary expression ('long'") and \
                text[off:off + 1] == b"*":
            # `(uchar)*p` read as a product: the guessed value is a type in a cast.
            cast = _CAST_BEFORE.search(text, max(0, off - 200), off)
            word = cast.group(1).decode("latin-1") if cast else ""
            if self.values.get(word) == "var" and word not in t.declared:
                del self.values[word]
                self.types[word] = _type_kind(word)
        elif msg.startswith("indirection requires pointer operand ('int' invalid)"):
            # `n = *f(x)` with `f` undeclared: it returns a pointer (to a number: a
            # struct would not convert to one, nor a number to a struct either).
            call = _CALL_AT.match(text, off + 1)
            callee = call.group(1).decode("latin-1") if call else ""
            if callee and callee not in protected and callee not in t.declared_functions \
                    and self.values.get(callee, "fn") == "fn":
                self.values[callee] = "retnum"
        elif msg.startswith("type name requires a specifier or qualifier"):
            # `BIT(flag);` in a struct: a macro that declares the member `flag`.
            macro = _MEMBER_MACRO.match(text, off)
            word = macro.group(1).decode("latin-1") if macro else ""
            if word and word not in protected and word not in t.declared_functions:
                self.members.add(word)
        elif msg.startswith("called object type 'long' is not a function"):
            self._retype_field(rt.word_before(text, off), "long (*)()")
        elif msg.startswith("called object type 'char' is not a function") and \
                text[off:off + 1] == b"(":
            # `(*s->callback)(...)`: the field read through `*` is a function pointer.
            close = rt.balanced(text, off, b"(", b")")
            if close is not None:
                self._retype_field(rt.word_before(text, close), "long (*)()", was="char *")
        elif msg.startswith("unexpected type name") and spelled and name in self.types \
                and name not in t.declared and rt.enclosing_call(text, off) in protected:
            # Guessed a type (from `sizeof(NAME)`), but given to an OpenSSL function
            # as a value too: a value (an unknown macro's argument may be a type).
            del self.types[name]
            self.values[name] = "var"
        elif msg == "expected expression" or (msg.startswith("unexpected type name")
                                              and msg.endswith("expected expression")):
            # `container_of(p, struct x, f)`: a macro that takes a type; its value is
            # unknown.
            macro = rt.enclosing_call(text, off)
            if macro and macro not in protected and macro not in rt.KEYWORDS \
                    and _TYPE_ARGUMENT.match(text, off):
                self.exprs.add(macro)
        elif msg.startswith("subscripted value is not an array"):
            word = rt.word_before(text, off)
            if self.values.get(word) == "var":
                self.values[word] = "array"
            self._retype_field(word, "char *")
        elif msg.startswith(("expected ';' after top level declarator",
                             "variable has incomplete type 'void'")):
            # `void ngx_cdecl\nf(...)`: a calling-convention or attribute macro.
            word = rt.word_before(text, off) if msg.startswith("expected") else \
                (rt.IDENT.match(text, off) or [b""])[0].decode("latin-1")
            end = off if msg.startswith("expected") else off + len(word)
            start = end - len(word)
            if msg.startswith("expected"):
                start = text.rfind(word.encode(), 0, end)
            after_type = rt.word_before(text, start) in rt.DECL_START or \
                text[:start].rstrip().endswith(b"*")
            if word and word not in protected and word not in self.types and after_type \
                    and _CALL_AT.match(text, end):
                self.attrs.add(word)
        elif msg.startswith("expected function body after function declarator"):
            wrapper = rt.wrapper_before(text, off)
            if wrapper and wrapper not in protected:
                self.wrappers.add(wrapper)
        elif msg.startswith(("variable length array declaration not allowed at file scope",
                             "fields must have a constant size")):
            # `static char *names[NAMES_SIZE];`: the guessed size must be a constant.
            end = text.find(b";", off)
            for size in _SUBSCRIPT_NAME.finditer(
                    text, text.rfind(b"\n", 0, off) + 1, end if end > 0 else off + 400):
                if self.values.get(size.group(1).decode("latin-1")) == "var":
                    self.values[size.group(1).decode("latin-1")] = "const"
        elif any(k in msg for k in _CONSTANT_NEEDED):
            ident = rt.IDENT.match(text, off)
            if ident and self.values.get(ident.group().decode()) == "var":
                self.values[ident.group().decode()] = "const"
        elif "redefinition" in msg or "conflicting types" in msg:
            ident = rt.IDENT.match(text, off)
            # A function-defining macro's uses, before it is declared, are
            # definitions of a function of its name: they conflict, it is no guess.
            if ident and ident.group().decode() not in self.definers:
                self._ban(ident.group().decode())
        typed = _TYPES_IN_MESSAGE.search(msg)
        kind = self.types.get(typed.group(1)) if typed else None
        if kind == "int" and msg.startswith("member reference"):
            self.types[typed.group(1)] = "struct"   # `x->f` or `x.f`: not an integer
        elif kind is not None and msg.startswith("called object type"):
            self.types[typed.group(1)] = "fn"       # `handler(c)`: a function pointer type
        if any(k in msg for k in _NUMERIC_MISUSE):
            for quoted in _TYPES_IN_MESSAGE.finditer(msg):
                for n in quoted.groups():
                    if n and self.types.get(n) == "struct" and not self.tags.get(_tag(n)):
                        self.types[n] = "int"

    def _value_kind(self, name: str, t: rt.Text, off: int, spelled: bool) -> str:
        """How to declare an undeclared value: a function when the file calls it (with
        the file's own prototype when it defines it later), a string macro before a
        string literal, a constant after `case`, else an unknown variable."""
        if name in t.called:
            proto = t.prototype(name)
            if proto:
                self.protos[name] = proto
            return "fn"
        if spelled and _STRING_AFTER.match(t.text, off + len(name)):
            return "str"
        member = _MEMBER_AFTER.match(t.text, off + len(name)) \
            if spelled else None
        if member:  # `global.nbthread`, `ctx->x`: an object of a struct with those fields
            self._chain(_tag("v_" + name), t.text, member.end())
            return "ptr" if member.group(1) == b"->" else "obj"
        member = _member_after_subscript(t.text, off + len(name)) if spelled else None
        if member:  # `fdtab[fd].owner`: an array of them (known in the first round)
            self._chain(_tag("v_" + name), t.text, member.end())
            return "ptrs" if member.group(1) == b"->" else "objs"
        # An error code is never 0, the success every project tests with `!rc`
        # (`if(!mem) result = CURLE_OUT_OF_MEMORY;` then `for(...; !result; ...)`):
        # a distinct non-zero constant. Other values stay unknown (NGX_OK is 0).
        if _ERROR_CODE.search(name):
            return "const"
        return "const" if spelled and rt.after_case(t.text, off) else "var"

    def _type_or_attr(self, name: str, text: bytes, off: int) -> None:
        if _attr_position(name, text, off):
            self.attrs.add(name)
        elif rt.next_token(text, off + len(name)) == "(":
            self.wrappers.add(name)
        else:
            self.types.setdefault(name, _type_kind(name))

    def _member_switch(self, tag: str, member: str) -> None:
        """A struct of the project's headers lacks `member`: the switch that brings
        it in, when the member is declared under one (frontend.switches)."""
        if self.header_files is None or len(self.switches) >= switches.MAX_SWITCHES \
                or (tag, member) in self._switch_asked:
            return
        self._switch_asked.add((tag, member))
        got = switches.for_member([t for _, t in self.header_files()], tag, member,
                                  frozenset(self.switches))
        if got and len(self.switches | set(got)) <= switches.MAX_SWITCHES:
            self.switches.update(got)

    def _type_switch(self, name: str, file: str | None, text: bytes) -> bool:
        """A type the project's headers declare, in a header the file reaches only
        under a switch (nginx's ngx_http.h includes ngx_http_ssl_module.h under
        NGX_HTTP_SSL, which the module's own file does not test): that switch,
        instead of a guessed type. Whether one was taken."""
        if self.header_files is None or len(self.switches) >= switches.MAX_SWITCHES \
                or ("", name) in self._switch_asked or switches.openssl_owned(name):
            return False  # OpenSSL's own names: a switch for them is a compat layer
        self._switch_asked.add(("", name))
        got = switches.for_type([*self.header_files(), (file or "", text)], name,
                                frozenset(self.switches))
        if got and len(self.switches | set(got)) <= switches.MAX_SWITCHES:
            self.switches.update(got)
            return True
        return False

    def _chain(self, tag: str, text: bytes, off: int) -> None:
        """Fields for the chain of members that starts at `off` (at a member name)."""
        while True:
            m = rt.SPACED_IDENT.match(text, off)
            if m is None:
                return
            member = m.group(1).decode()
            fields = self.tags.setdefault(tag, {})
            pos = m.end()
            subscripted = False
            sub = rt.OPEN_BRACKET.match(text, pos)
            if sub:
                close = rt.balanced(text, sub.end() - 1, b"[", b"]")
                if close is None:
                    return
                pos, subscripted = close + 1, True
            nxt = rt.AFTER_MEMBER.match(text, pos)
            if nxt is not None and nxt.group(1) != b"(" and not rt.SPACED_IDENT.match(
                    text, nxt.end()):
                nxt = None  # `x->area.` ending a sentence of a comment: no member follows
            if nxt is None or nxt.group(1) == b"(":
                if fields.get(member, "long") == "long":  # a plain number yields to a use
                    deref = rt.dereferenced(text, m.start(1))
                    fields[member] = ("long (*)()" if nxt is not None or (
                        deref and _CALLED_AFTER.match(text, pos)) else "long *"
                        if subscripted else "char *" if deref else "long")
                return
            inner = f"__sslint_{tag.removeprefix('__sslint_')}_{member}"[:200]
            star = "*" if nxt.group(1) == b"->" else ""
            if subscripted:
                star += "*"
            old = fields.get(member)
            if old is None or not old.startswith("struct "):
                fields[member] = f"struct {inner} {star}".rstrip()
            else:
                inner = old.split()[1]
            tag, off = inner, nxt.end()

    def _promote_leaf(self, text: bytes, off: int) -> None:
        """`x->a->b` where `a` was guessed a number: make every guessed field `a` a
        pointer to a struct, and give that struct the member chain."""
        arrow = text.rfind(b"->", 0, off)
        dot = text.rfind(b".", 0, off)
        end = max(arrow, dot)
        if end < 0:
            return
        m = rt.WORD_AT_END.search(text, max(0, end - 200), end)
        if m is None:
            return
        member = m.group(1).decode()
        if self.values.get(member) == "var":
            self.values[member] = "ptr" if arrow == end else "obj"
            self._chain(_tag("v_" + member), text, off)
        for tag, fields in list(self.tags.items()):
            if fields.get(member) in ("long", "char *"):
                inner = f"__sslint_{tag.removeprefix('__sslint_')}_{member}"[:200]
                fields[member] = f"struct {inner} *" if arrow == end else f"struct {inner}"
                self._chain(inner, text, off)

    def _retype_field(self, member: str, ctype: str, was: str = "long") -> None:
        """A field guessed a number (or `was`) turned out to be used as `ctype`."""
        for fields in self.tags.values():
            if fields.get(member) == was:
                fields[member] = ctype

    def _ban(self, name: str) -> None:
        if name in self.names() or name in self.tags:
            self.banned.add(name)

    def _ban_at_prelude(self, d: Diagnostic, lines: list[bytes]) -> None:
        if 0 < d.line <= len(lines):
            for ident in rt.IDENT.findall(lines[d.line - 1]):
                name = ident.decode()
                if name in self.types or name in self.values:
                    self.banned.add(name)
                    return


@lru_cache(maxsize=4096)
def _whole_word(name: str) -> re.Pattern[bytes]:
    """The name as a word (more names than re's own cache holds on a large file)."""
    return re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")


_COMPARES = re.compile(rb"==|!=|<=|>=|&&|\|\||[^-]>|<")


_CONDITION_CALL = re.compile(rb"\b(?:if|while)\s*\(\s*!?\s*([A-Z_][A-Z0-9_]*)\s*\(")


@lru_cache(maxsize=256)
def _condition_wrappers(text: bytes) -> frozenset[str]:
    """Capitalised names called as a whole `if`/`while` condition with one argument
    that is itself a test (`if (BUG(p == NULL))`, `while (LIKELY(n > 0))`)."""
    out = set()
    for m in _CONDITION_CALL.finditer(text):
        close = rt.balanced(text, m.end() - 1, b"(", b")")
        if close is None or not text[close + 1:close + 40].lstrip().startswith(b")"):
            continue
        arg = text[m.end():close]
        if len(rt.split_args(arg)) == 1 and _COMPARES.search(arg):
            out.add(m.group(1).decode("latin-1"))
    return frozenset(out)


def _member_after_subscript(text: bytes, end: int) -> re.Match[bytes] | None:
    """`[i].member` or `[i]->member` at `end` (after a name): the member's match."""
    sub = rt.OPEN_BRACKET.match(text, end)
    close = rt.balanced(text, sub.end() - 1, b"[", b"]") if sub else None
    return _MEMBER_AFTER.match(text, close + 1) if close is not None else None


def _attr_position(name: str, text: bytes, off: int) -> bool:
    """Whether `name` at `off` stands before a declaration's type (`NAME int x`,
    `NAME T *x`, `NAME T x`): an export, attribute or qualifier macro."""
    after = rt.next_token(text, off + len(name))
    third = rt.next_token(text, rt.skip_token(text, off + len(name)))
    return after in rt.DECL_START or bool(rt.IDENT.fullmatch(after.encode() or b"-") and (
        third == "*" or rt.IDENT.fullmatch(third.encode() or b"-")))


def _tag(typedef_name: str) -> str:
    return f"__sslint_{typedef_name}"


def _type_kind(name: str) -> str:
    return "int" if _INT_LIKE.search(name) else "struct"


def _field_decl(name: str, ctype: str) -> str:
    if ctype == "long (*)()":
        return f"long (*{name})();"
    return f"{ctype} {name};" if not ctype.endswith("*") else f"{ctype}{name};"


def _loop_macro(name: str, count: int, assigned: tuple[int, ...]) -> str:
    """A loop that may run zero or more times and gives each variable argument an
    unknown value (TAILQ_FOREACH(var, head, field), HASH_ITER(hh, head, el, tmp))."""
    if not assigned:
        return f"#define {name}(...) for (; __sslint_more(); )"
    params = ", ".join(f"a{i}" for i in range(max(assigned) + 1)) + ", ..." * (
        count > max(assigned) + 1)
    step = ", ".join(f"(a{i}) = __sslint_next()" for i in assigned)
    return f"#define {name}({params}) for ({step}; __sslint_more(); {step})"


def recover(errs: list[Diagnostic], reparse: Callable[[bytes], tuple[object, list[Diagnostic]]],
            text_of: Callable[[str], bytes | None], protected: frozenset[str],
            main: str, must_reparse: bool = False,
            header_files: Callable[[], list[tuple[str, bytes]]] | None = None
            ) -> tuple[object | None, list[Diagnostic], list[str]]:
    """Parse again with guessed declarations while that removes errors from `main`.
    Returns (the best translation unit, or None when none beat the first parse; its
    errors; the names guessed for it). With `must_reparse` the first round's parse
    is kept whatever it learnt (the first parse lacked something else, the shim)."""
    guesses = Guesses(header_files=header_files)
    best: tuple[object | None, list[Diagnostic], list[str]] = (None, errs, [])
    score = _score(errs, main)
    lines: list[tuple[int, int]] | None = None
    for r in range(MAX_ROUNDS):
        if r == 0 and not must_reparse:
            # The first round only for an error that may hide something analysed:
            # in a body where a rule may fire, or at file scope (a macro that
            # defines a function), of the file or a .c file it includes. Errors
            # in a found header that misses its generated config, or in a
            # function that touches no handle, change nothing analysed.
            try:
                if not any(_may_matter(e, main, text_of) for e in errs):
                    break
            except (ValueError, IndexError, RecursionError):  # odd text: go on
                pass
        elif r > 0:
            # A further round only for an error left in a body where a rule may
            # fire: each costs a parse, and most files are done after one.
            if lines is None:
                try:
                    lines = bodies_that_matter(text_of(main) or b"")
                except (ValueError, IndexError, RecursionError):  # odd text: go on
                    lines = [(0, 1 << 62)]
            if not any(e.file == main and any(a <= e.line <= b for a, b in lines)
                       for e in errs):
                break
        try:
            learnt = guesses.learn(errs, text_of, protected)
        except (ValueError, IndexError, RecursionError):  # odd text: keep what we have
            learnt = False
        if not learnt and not (must_reparse and r == 0):
            break
        tu, errs = reparse(guesses.header() if guesses.names() else b"")
        s = _score(errs, main)
        if s < score or (must_reparse and r == 0):
            score = s
            best = (tu, diags.without(errs, PATH), guesses.names())
        if s == 0:
            break
    return best


@cache
def _table_functions() -> frozenset[str]:
    return ApiModel().names


def _may_matter(e: Diagnostic, main: str, text_of: Callable[[str], bytes | None]) -> bool:
    """Whether an error of a parse lies where recovery may change what is analysed:
    in the file or an included .c file, in a body that matters or outside every
    body."""
    if e.file is None or (e.file != main and not e.file.endswith(".c")):
        return False
    all_lines, lines = _body_lines(text_of(e.file) or b"")
    if any(a <= e.line <= b for a, b in lines):
        return True
    return not any(a <= e.line <= b for a, b in all_lines)


@lru_cache(maxsize=64)
def _body_lines(text: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The line ranges of all the bodies in `text`, and of those that matter."""
    return [(b.first, b.last) for b in rt.text(text).bodies], bodies_that_matter(text)


def bodies_that_matter(text: bytes) -> list[tuple[int, int]]:
    """The line ranges of the bodies in `text` that name a function of the table, a
    macro of the file that does, or a function of the file that does."""
    found = rt.text(text).bodies
    words = set(table_words())
    macros = [(m.group(1), frozenset(_WORD.findall(m.group(2)))) for m in _MACRO.finditer(text)]
    body_words = [frozenset(_WORD.findall(text, b.start, b.end)) for b in found]
    grew = True
    while grew:  # macros, then helpers, that (transitively) name one
        grew = False
        for name, used in macros:
            if name not in words and not used.isdisjoint(words):
                words.add(name)
                grew = True
        for body, used in zip(found, body_words, strict=True):
            if body.name.encode() not in words and not used.isdisjoint(words):
                words.add(body.name.encode())
                grew = True
    return [(b.first, b.last) for b, used in zip(found, body_words, strict=True)
            if not used.isdisjoint(words)]


_MACRO = re.compile(rb"^[ \t]*#[ \t]*define[ \t]+(\w+)((?:\\\n|.)*)", re.M)


@cache
def table_functions(version: tuple[int, ...] | None) -> frozenset[str]:
    """The table's functions that OpenSSL `version` has (all when it is unknown)."""
    return ApiModel().for_version(version).names


@cache
def table_words() -> frozenset[bytes]:
    return frozenset(n.encode() for n in _table_functions())


_WORD = re.compile(rb"\b\w+")


def worth_recovering(source: bytes) -> bool:
    """Whether recovery can matter: the file names a function of the table (else no
    rule can fire in it, and its errors cost nothing more). Read as words, not with
    an alternation of the table's 2,000 names (35 ms on a large file)."""
    return not table_words().isdisjoint(_WORD.findall(source))


@cache
def protected_names() -> frozenset[str]:
    """Names never guessed: the table's functions (a guess must never give a name
    OpenSSL meaning), the struct tags of its handle kinds (their members are
    OpenSSL's business) and their type names (missing, they are the fallback
    shim's, which comes first: a guess would only conflict with it)."""
    kinds = builtin_kinds()
    tags = {r for k in kinds.by_name.values() for r in k.records}
    types = {t for k in kinds.by_name.values() for t in k.types}
    fallback = builtin_fallback_types()
    return frozenset(ApiModel().names | tags | types | set(fallback) | set(fallback.values()))


def _score(errs: list[Diagnostic], main: str) -> int:
    """Errors where functions are analysed: the main file and the .c files it
    includes (libevent's regress_openssl.c includes regress_ssl.c)."""
    return sum(1 for e in errs if e.file == main or (e.file or "").endswith(".c"))
