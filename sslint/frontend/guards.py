"""Feature guards a build defines, guessed for a run without the build.

Projects put their OpenSSL code under a switch the build sets with `-D` or in a
generated config header (`#ifdef USE_OPENSSL`, `#if defined(WITH_TLS)`,
`#if (NGX_SSL)`). Without the build that code is skipped by the preprocessor and no
rule can see it. Here the file's text says which switches to turn on: a branch of
`#if`/`#ifdef`/`#elif` that names a function of the table, under a condition that
only tests whether project switches are defined, none of them defined by anything
the file or its own headers show. Only names that look like a positive switch are
ever defined (`USE_`, `HAVE_`, `WITH_`, `ENABLE_`..., or naming SSL/TLS); never
OpenSSL's own macros, reserved names, negative switches (`NO_`, `DISABLE`) nor
another TLS library's; a macro compared to a number only to that number (redis'
`#if USE_OPENSSL == 1`), never to anything else; of alternatives in one
`#if`/`#elif` chain, one at most, and never one that another chosen branch needs
undefined. The parse then sees what the build compiles; the guesses are reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

MAX_DEFINES = 8   # feature switches
MAX_CHECKS = 16   # configure's checks for OpenSSL functions

_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b((?:\\\n|[^\n])*)",
                        re.M)
_DEFINE = re.compile(rb"^[ \t]*#[ \t]*(?:define|undef)[ \t]+([A-Za-z_]\w*)", re.M)
_TOKEN = re.compile(r"\s*(?:(defined\b)|([A-Za-z_]\w*)|(&&|\|\||==|!(?!=)|\(|\))|"
                    r"(\d+)[uUlL]*\b|(\S))")
_COMMENT = re.compile(r"/\*.*?\*/|//.*", re.S)
_WORD = re.compile(rb"\b\w+")
_DEFINED_TEST = re.compile(r"\bdefined\s*(?:\(\s*[A-Za-z_]\w*\s*\)|[A-Za-z_]\w*)")

_POSITIVE = re.compile(r"^(USE|USING|HAVE|HAS|WITH|ENABLE|ENABLED|BUILD|SUPPORT|CONFIG|FEATURE)_"
                       r"|(^|_)(LIB)?(SSL|TLS|OPENSSL|CRYPTO)(_|$)")  # COAP_WITH_LIBOPENSSL
_NEGATIVE = re.compile(r"(^|_)(NO|NOT|NONE|DISABLE|DISABLED|DISABLES|WITHOUT|SKIP|LACK|LACKS|"
                       r"MISSING|BROKEN|FAKE|STUB|DUMMY|AVOID|NEED|NEEDS|BUGGY|OLD|LEGACY)(_|$)")
# Other TLS libraries (some of them also have OpenSSL's function names) and
# platforms: a switch for them is no feature of an OpenSSL build.
_ELSEWHERE = re.compile(r"(^|_)(LIB)?(WOLF[A-Z0-9]*|GNUTLS|MBED[A-Z0-9]*|POLARSSL|NSS|SCHANNEL|"
                        r"BEARSSL|LIBRESSL|BORING[A-Z0-9]*|AWSLC|AWS|RUSTLS|SECTRANSP|"
                        r"SECURE_?TRANSPORT|AXTLS|CYASSL|MATRIXSSL|S2N|BOTAN|WIN[A-Z0-9]*|W32|"
                        r"APPLE|DARWIN|MAC|MACOS|MACOSX|OSX|IOS|ANDROID|VMS|CYGWIN|MINGW|MSVC|"
                        r"MSDOS)(_|$)")
# OpenSSL's own namespaces: its headers define (or deliberately do not define) these.
_OPENSSL_OWNED = re.compile(r"^(SSL|TLS|DTLS|OPENSSL|OSSL|X509|EVP|BIO|ERR|CRYPTO|PEM|ASN1|"
                            r"OCSP|PKCS\d*|RSA|DSA|DH|EC|ECDSA|ECDH|BN|OBJ|NID|SN|LN|HMAC|ENGINE|"
                            r"RAND|CMS|CT|SCT|UI|CONF|SHA\d*|MD\d|AES|DES|HEADER)_")


# A switch that is the library's name alone (USE_OPENSSL, NGX_SSL, WITH_TLS,
# COAP_WITH_LIBOPENSSL): only such a switch is guessed from the headers alone, not
# an optional part (USE_QUIC_OPENSSL_COMPAT).
_LIBRARY = re.compile(r"^([A-Z0-9]+_)?(USE_|WITH_|HAVE_|ENABLE_|BUILD_)?(CRYPTO_)?(LIB)?"
                      r"(OPENSSL|SSL|TLS)$")  # ENABLE_CRYPTO_OPENSSL too
_LIBRARY_BRANCH = re.compile(rb"^[ \t]*#[ \t]*(?:if|ifdef|elif)\b[^\n]*(?:SSL|TLS)", re.M)
# What says a header's branch is OpenSSL's: its headers, its types.
_OPENSSL_TEXT = re.compile(rb"<openssl/|\b(?:SSL|SSL_CTX|SSL_SESSION|BIO|X509|X509_\w+|"
                           rb"EVP_\w+|OCSP_\w+|STACK_OF)\b")
_TLS_WORD = re.compile(rb"\b\w*_(?:ssl|tls|openssl)(?:_\w+)?\b", re.I)


class _Unsupported(Exception):
    """A condition this reading does not evaluate (a comparison, a call, a number)."""


_PROBE = re.compile(r"^HA(VE|S)_")  # configure's and cmake's checks for a function


def switch_like(name: str, functions: frozenset[str] = frozenset()) -> bool:
    """Whether `name` may be a positive feature switch a build defines. A check
    named after an OpenSSL function (configure's HAVE_SSL_GET_CLIENT_CIPHERS) only
    when that function is among `functions` (those of the installed OpenSSL). Only
    HAVE_/HAS_ are such probes: ENABLE_CRYPTO_OPENSSL is the build's choice."""
    if name.startswith("_") or not _POSITIVE.search(name) or _NEGATIVE.search(name) \
            or _ELSEWHERE.search(name) or _OPENSSL_OWNED.match(name):
        return False
    if not _PROBE.match(name):
        return True
    rest = _PROBE.sub("", name, count=1)
    return not _OPENSSL_OWNED.match(rest) or rest.upper() in _upper(functions)


@cache
def _upper(functions: frozenset[str]) -> frozenset[str]:
    return frozenset(f.upper() for f in functions)


@cache
def _words(functions: frozenset[str]) -> frozenset[bytes]:
    return frozenset(f.encode() for f in functions)


def _parse_condition(text: str) -> tuple:
    """The condition as a tree of ("or"|"and", [..]), ("not", x), ("id", NAME)."""
    toks = []
    for m in _TOKEN.finditer(_COMMENT.sub(" ", text.replace("\\\n", " "))):
        if m.group(5):
            raise _Unsupported(m.group(5))
        toks.append(m.group(1) or m.group(2) or m.group(3) or int(m.group(4)))
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take(expected=None):
        nonlocal pos
        tok = peek()
        if tok is None or isinstance(tok, int) or (expected is not None and tok != expected):
            raise _Unsupported(tok or "end")
        pos += 1
        return tok

    def take_number():
        nonlocal pos
        if not isinstance(peek(), int):
            raise _Unsupported(str(peek()))
        pos += 1

    def disjunction():
        terms = [conjunction()]
        while peek() == "||":
            take()
            terms.append(conjunction())
        return terms[0] if len(terms) == 1 else ("or", terms)

    def conjunction():
        terms = [unary()]
        while peek() == "&&":
            take()
            terms.append(unary())
        return terms[0] if len(terms) == 1 else ("and", terms)

    def unary():
        if isinstance(peek(), int):  # `1 == NAME`
            value = toks[pos]
            take_number()
            take("==")
            return ("eq", take(), value)
        tok = take()
        if tok == "!":
            return ("not", unary())
        if tok == "(":
            inner = disjunction()
            take(")")
            return inner
        if tok == "defined":
            paren = peek() == "("
            if paren:
                take()
            name = take()
            if paren:
                take(")")
            return ("id", name)
        if re.fullmatch(r"[A-Za-z_]\w*", tok):
            if peek() == "(":
                raise _Unsupported(tok)  # a function-like macro
            if peek() == "==":
                take()
                value = peek()
                take_number()
                return ("eq", tok, value)  # a setting compared to a number (redis')
            return ("id", tok)
        raise _Unsupported(tok)

    tree = disjunction()
    if pos != len(toks):
        raise _Unsupported(toks[pos])
    return tree


def _names(tree: tuple) -> Iterable[str]:
    if tree[0] in ("id", "eq"):
        yield tree[1]
    elif tree[0] == "not":
        yield from _names(tree[1])
    else:
        for t in tree[1]:
            yield from _names(t)


def _valued(tree: tuple) -> Iterable[str]:
    """The names the condition compares to a number."""
    if tree[0] == "eq":
        yield tree[1]
    elif tree[0] == "not":
        yield from _valued(tree[1])
    elif tree[0] in ("and", "or"):
        for t in tree[1]:
            yield from _valued(t)


def _negates(tree: tuple) -> bool:
    """Whether leaving names undefined may make the condition true."""
    return tree[0] == "not" or (tree[0] == "eq" and tree[2] == 0) or \
        (tree[0] in ("and", "or") and any(map(_negates, tree[1])))


def _bare(defines: Iterable[str]) -> frozenset[str]:
    """The names of defines spelt NAME or NAME=VALUE."""
    return frozenset(d.partition("=")[0] for d in defines)


def _clash(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of defines give one name two values (NAME alone is 1)."""
    value = {n: v or "1" for n, _, v in (d.partition("=") for d in a)}
    return any(value.get(n, v or "1") != (v or "1")
               for n, _, v in (d.partition("=") for d in b))


def _make_true(tree: tuple, ok) -> tuple[frozenset[str], frozenset[str]] | None:
    """Defines (NAME, or NAME=VALUE for a comparison) and names that must stay
    undefined for the condition to hold when nothing else is defined, or None when
    it cannot be made to hold. `ok(name, value)` says whether a name may be defined
    (value None: as a plain switch)."""
    kind = tree[0]
    if kind == "id":
        return (frozenset([tree[1]]), frozenset()) if ok(tree[1], None) else None
    if kind == "eq":
        if tree[2] == 0:  # an undefined name is 0 in #if
            return frozenset(), frozenset([tree[1]])
        return (frozenset([f"{tree[1]}={tree[2]}"]), frozenset()) \
            if ok(tree[1], tree[2]) else None
    if kind == "not":
        inner = tree[1]
        if inner[0] == "id":
            return frozenset(), frozenset([inner[1]])
        return None
    if kind == "and":
        define: frozenset[str] = frozenset()
        keep_out: frozenset[str] = frozenset()
        for t in tree[1]:
            got = _make_true(t, ok)
            if got is None or _clash(define, got[0]):
                return None
            define, keep_out = define | got[0], keep_out | got[1]
        return None if _bare(define) & keep_out else (define, keep_out)
    options = [got for t in tree[1] if (got := _make_true(t, ok)) is not None]
    if not options:
        return None
    # Of alternatives, the one naming OpenSSL, else the first.
    return next((o for o in options if any("OPENSSL" in n for n in o[0])), options[0])


def _condition(d: re.Match[bytes]) -> tuple | None:
    """The condition of an #if/#ifdef/#ifndef/#elif (see _parse_condition), or
    ("unsupported", the names it uses); None for #else and #endif."""
    kind, rest = d.group(1), d.group(2).decode("latin-1")
    if kind not in (b"if", b"elif", b"ifdef", b"ifndef"):
        return None
    try:
        return ("id", rest.split()[0]) if kind == b"ifdef" else \
            ("not", ("id", rest.split()[0])) if kind == b"ifndef" else \
            _parse_condition(rest)
    except (_Unsupported, IndexError):
        # Names only ever tested with `defined` are not compared, even beside a
        # comparison (`defined(WITH_TLS) && OPENSSL_API_LEVEL < 30000`).
        return ("unsupported", re.findall(r"[A-Za-z_]\w*", _DEFINED_TEST.sub(" ", rest)))


_CONFIG_BRANCH = re.compile(
    rb"^[ \t]*#[ \t]*(?:ifdef[ \t]+|if[ \t]+defined[ \t]*\(?[ \t]*)(\w*CONFIG\w*)[ \t]*\)?[ \t]*\n"
    rb"((?:[ \t]*(?:#[ \t]*include[ \t]*[<\"][^>\"\n]+[>\"])?[ \t]*"
    rb"(?://[^\n]*|/\*[^\n]*?\*/)?[ \t]*\n)+)"
    rb"[ \t]*#[ \t]*endif", re.M)
_INCLUDED = re.compile(rb'#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]')


# `#ifdef HAVE_SYS_SOCKET_H`, `#if defined(HAVE_...)`, and a project's own prefix
# with a value test, nginx's `#if (NGX_HAVE_UNISTD_H)`.
_HEADER_CHECK = re.compile(
    rb"^[ \t]*#[ \t]*(?:ifdef[ \t]+|if[ \t]+defined[ \t]*\(?[ \t]*|if[ \t]*\(?[ \t]*)"
    rb"((?:[A-Z][A-Z0-9]*_)?HAVE_\w+_H)\b[^\n]*\n"
    rb"[ \t]*#[ \t]*include[ \t]*<([^>\n]+)>", re.M)
_CHECK_NAME = re.compile(r"(?:[A-Z][A-Z0-9]*_)?HAVE_\w+_H")
MAX_HEADER_CHECKS = 64


def is_header_check(define: str) -> bool:
    """Whether a guessed define is one of configure's checks for a system header."""
    return _CHECK_NAME.fullmatch(define) is not None


def header_checks(texts: Iterable[bytes]) -> list[tuple[str, str]]:
    """configure's checks for system headers, `#ifdef HAVE_SYS_SOCKET_H` then
    `#include <sys/socket.h>`: (switch, header) where the switch is the header's
    name as configure spells it."""
    out: dict[str, str] = {}
    for text in texts:
        for name, header in _header_checks_in(text):
            out.setdefault(name, header)
            if len(out) >= MAX_HEADER_CHECKS:
                return list(out.items())
    return list(out.items())


@lru_cache(maxsize=4096)
def _header_checks_in(text: bytes) -> tuple[tuple[str, str], ...]:
    out = []
    if b"HAVE_" in text:
        for m in _HEADER_CHECK.finditer(text):
            name, header = m.group(1).decode("latin-1"), m.group(2).decode("latin-1")
            if name.endswith("HAVE_" + re.sub(r"[^A-Za-z0-9]", "_", header).upper()):
                out.append((name, header))
    return tuple(out)


@lru_cache(maxsize=4096)
def _library_branch(text: bytes) -> bool:
    return bool(_LIBRARY_BRANCH.search(text))


def config_switches(source: bytes) -> list[tuple[str, list[tuple[bool, str]]]]:
    """autoconf's idiom: `#ifdef HAVE_CONFIG_H` around nothing but `#include
    "config.h"`. The switches (named for a config header) whose branch only
    includes headers, with those headers as (quoted, name)."""
    out = []
    for m in _CONFIG_BRANCH.finditer(source):
        names = [(q == b'"', n.decode("latin-1")) for q, n in _INCLUDED.findall(m.group(2))]
        if names:
            out.append((m.group(1).decode("latin-1"), names))
    return out


def infer_defines(source: bytes, headers: Iterable[bytes],
                  functions: frozenset[str]) -> list[str]:
    """The switches to define for `source`'s OpenSSL code (see the module's doc):
    `functions` are the table's, for the OpenSSL version the parse sees. `headers`
    (the texts of the headers the file reaches) may read files."""
    table = _words(functions)
    compared: set[str] = set()   # names some condition uses in a way not read here
    tested: set[str] = set()     # names the file's own conditions test
    valued: set[str] = set()     # names a condition compares to a number
    chains = _chains(source, compared, tested, valued) \
        if any(d.group(1) != b"ifndef" for d in _DIRECTIVE.finditer(source)) else []
    # A file that calls OpenSSL, or includes headers that include OpenSSL's, is built
    # with the project's OpenSSL switch, also when only its headers test it
    # (haproxy's struct members under USE_OPENSSL; openvpn's ssl.c reaches its
    # backend's types only through crypto_backend.h's ENABLE_CRYPTO_OPENSSL).
    calls_openssl = not table.isdisjoint(_WORD.findall(source))
    openssl_build = calls_openssl or b"<openssl/" in source
    visible = {m.group(1).decode("latin-1") for m in _DEFINE.finditer(source)}
    # The headers only say which of those names are defined or compared: a header
    # that does not hold any of them as text cannot (most of a build's headers).
    needles = [n.encode("latin-1") for n in tested]
    # A header's branch that defines a name the file's OpenSSL code tests
    # (`#if defined(ENABLE_CRYPTO_OPENSSL)` ... `#define HAVE_XKEY_PROVIDER 1`) is a
    # switch for that code too: its chains are read as the file's own.
    defining: list[tuple[bytes, list]] = []
    header_compared: set[str] = set()   # names any read header compares
    branching: list[tuple[bytes, list]] = []  # headers with a branch under a library switch
    for text in headers:
        openssl_build = openssl_build or b"<openssl/" in text
        if _library_branch(text):
            visible.update(m.group(1).decode("latin-1") for m in _DEFINE.finditer(text))
            branching.append((text, _chains(text, header_compared, set(), valued)))
        if not any(n in text for n in needles):
            continue
        visible.update(m.group(1).decode("latin-1") for m in _DEFINE.finditer(text))
        for d in _DIRECTIVE.finditer(text):  # only #if/#elif compare (#ifdef X cannot)
            if d.group(1) in (b"if", b"elif") and any(n in d.group(2) for n in needles):
                tree = _condition(d)
                if tree is not None and tree[0] == "unsupported":
                    compared.update(tree[1])
                elif tree is not None:
                    valued.update(_valued(tree))
        defining.append((text, _chains(text, header_compared, set(), valued)))

    def ok(name: str, value: int | None) -> bool:
        # A name compared to numbers is a setting of several values: it is given
        # the value a branch compares it to, never 1 for a plain `defined` test.
        return name not in visible and name not in compared and \
            (value is not None or name not in valued) and switch_like(name, functions)

    def names_table(text: bytes, start: int, end: int) -> bool:
        return not table.isdisjoint(_WORD.findall(text, start, end))

    chosen: list[tuple[frozenset[str], frozenset[str]]] = []
    _choose(source, chains, visible, ok, names_table, chosen)
    wanted = {n.encode("latin-1") for cond in _table_conditions(source, chains, names_table)
              for n in _names(cond)} & {n.encode("latin-1") for n in visible}
    if wanted:
        def defines_wanted(text: bytes, start: int, end: int) -> bool:
            return any(m.group(1) in wanted for m in _DEFINE.finditer(text, start, end))
        def header_ok(name: str, value: int | None) -> bool:
            return ok(name, value) and name not in header_compared

        for text, header_chains in defining:
            _choose(text, header_chains, visible, header_ok, defines_wanted, chosen,
                    needs_define=True)
    def library_ok(name: str, value: int | None) -> bool:
        return ok(name, value) and name not in header_compared and \
            bool(_LIBRARY.match(name))

    def names_openssl(text: bytes, start: int, end: int) -> bool:
        return names_table(text, start, end) or bool(_OPENSSL_TEXT.search(text, start, end))

    def names_tls(text: bytes, start: int, end: int) -> bool:
        # the project's own TLS types too (nginx's ngx_ssl_connection_t under NGX_SSL)
        return names_openssl(text, start, end) or bool(_TLS_WORD.search(text, start, end))

    for text, header_chains in branching if openssl_build else ():
        _choose(text, header_chains, visible, library_ok, names_tls, chosen,
                needs_define=True)
    # configure's checks for OpenSSL functions are facts about the installed
    # OpenSSL, whichever way a branch tests them (`#ifndef HAVE_EVP_DIGESTVERIFY`).
    define: set[str] = set(sorted(n for n in tested if n.startswith("HAVE_") and ok(n, None)
                                  and _OPENSSL_OWNED.match(n[5:]))[:MAX_CHECKS])
    checks = frozenset(define)
    keep_out: set[str] = set()
    for names, out in chosen:
        bare = _bare(names)
        if bare & keep_out or out & _bare(define) or out & bare or _clash(define, names):
            continue
        if len(_bare(define | names) - checks) > MAX_DEFINES:
            break
        define |= names
        keep_out |= out
    valued_names = _bare(d for d in define if "=" in d)
    return sorted(d for d in define if d in checks or "=" in d or d not in valued_names)


_Chain = list[tuple[tuple | None, int, int]]  # an #if's branches: (condition, start, end)


def _chains(text: bytes, compared: set[str], tested: set[str],
            valued: set[str]) -> list[_Chain]:
    """`text`'s #if chains; adds the names conditions test (use in a way not read
    here, compare to a number) to `tested` (`compared`, `valued`)."""
    chains, c, t, v = _read_chains(text)
    compared.update(c)
    tested.update(t)
    valued.update(v)
    return chains


@lru_cache(maxsize=4096)
def _read_chains(text: bytes) -> tuple[list[_Chain], frozenset[str], frozenset[str],
                                       frozenset[str]]:
    """_chains' reading, once per text: the files of a run share their headers."""
    compared: set[str] = set()
    tested: set[str] = set()
    valued: set[str] = set()
    chains: list[_Chain] = []
    stack: list[_Chain] = []
    for d in _DIRECTIVE.finditer(text):
        kind, tree = d.group(1), _condition(d)
        if tree is not None and tree[0] == "unsupported":
            compared.update(tree[1])
        elif tree is not None:
            tested.update(_names(tree))
            valued.update(_valued(tree))
        if kind in (b"if", b"ifdef", b"ifndef"):
            stack.append([(tree, d.end(), -1)])
        elif stack and kind in (b"elif", b"else", b"endif"):
            cond, start, _ = stack[-1][-1]
            stack[-1][-1] = (cond, start, d.start())
            if kind == b"endif":
                chains.append(stack.pop())
            else:
                stack[-1].append((tree, d.end(), -1))
    return chains, frozenset(compared), frozenset(tested), frozenset(valued)


def _table_conditions(source: bytes, chains: list[_Chain], names_table) -> Iterable[tuple]:
    """Conditions of the file's branches whose code names a table function."""
    for chain in chains:
        for cond, start, end in chain:
            if cond is not None and cond[0] != "unsupported" and names_table(source, start, end):
                yield cond


def _choose(text: bytes, chains: list[_Chain], visible: set[str], ok, wanted, chosen: list,
            needs_define: bool = False) -> None:
    """Adds to `chosen` the switches (to define, to keep out) that enter, of each
    chain, the first branch `wanted` asks for."""
    for chain in chains:
        earlier: set[str] = set()   # the earlier branches' tests: they must stay false
        for cond, start, end in chain:
            if cond is None or cond[0] == "unsupported":
                break  # an #else, or a test not read here: the chain stops
            names = set(_names(cond))
            if not names & visible and wanted(text, start, end):
                got = _make_true(cond, ok)
                if got is not None and not _bare(got[0]) & earlier and (got[0] or not needs_define):
                    chosen.append((got[0], got[1] | frozenset(earlier)))
                    break  # one branch of a chain at most
            if _negates(cond):
                break  # leaving names undefined may make it true: later ones unreached
            earlier |= names
