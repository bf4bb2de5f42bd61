"""Fingerprints for SARIF partialFingerprints: GitHub's primaryLocationLineHash, sslint/v1.

GitHub keeps the primaryLocationLineHash a tool supplies and only computes one when it
is missing, so sslint computes the same value that github/codeql-action
(src/fingerprints.ts, MIT) would: this is an independent Python implementation of
that published algorithm, pinned by the action's own test vectors in our tests.

The hash of a line covers the next 100 characters of the file from the start of that
line (so later lines count too), with spaces and tabs skipped and CR / CRLF turned
into LF; an end-of-file marker follows the last character, then zeros. Characters
are UTF-16 code units, as JavaScript counts them. The polynomial is base 37 modulo
2**64, written as unsigned hex, plus ":N" where N counts how often that hash has
appeared so far, top to bottom.
"""
from __future__ import annotations

import hashlib
import os
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sslint.core.findings import Finding
    from sslint.output import Report
    from sslint.output.sources import Sources

WINDOW = 100
BASE = 37
MASK = (1 << 64) - 1
EOF_MARK = 0xFFFF  # what the action feeds after the last character
_TAB, _LF, _CR, _SPACE = 0x09, 0x0A, 0x0D, 0x20
# The weight of the character leaving the window: BASE ** WINDOW, reduced.
_OUTGOING = pow(BASE, WINDOW, 1 << 64)
_DROP = {_SPACE: None, _TAB: None}


def _normalised(text: str) -> tuple[list[int], list[int]]:
    """The hashed character stream and the index in it where each line begins: CRLF
    and CR become LF, spaces and tabs go (a space between CR and LF keeps both
    line ends), the text is taken as UTF-16 code units, and EOF_MARK ends it."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP)
    units = array("H", flat.encode("utf-16-le", "surrogatepass")).tolist()
    units.append(EOF_MARK)
    line_starts = [0]
    at = flat.find("\n")
    if at != -1 and len(units) != len(flat) + 1:
        # Astral characters take two units each: count in units, not characters.
        line_starts += [i + 1 for i, u in enumerate(units) if u == _LF]
    else:
        while at != -1:
            line_starts.append(at + 1)
            at = flat.find("\n", at + 1)
    return units, line_starts


def line_hashes(text: str, upto: int | None = None) -> list[str]:
    """One "hex:count" fingerprint per line of text (lines split at LF, CRLF or CR);
    only for the first `upto` lines if given (a line's hash needs no later line's)."""
    units, line_starts = _normalised(text)
    if upto is not None:
        line_starts = line_starts[:upto]
    padded = units + [0] * WINDOW
    value = 0
    for unit in padded[:WINDOW]:
        value = (value * BASE + unit) & MASK
    hashes: list[str] = []
    seen: dict[int, int] = {}
    start_iter = iter(line_starts)
    next_start = next(start_iter, None)
    for i in range(len(units)):
        if i == next_start:
            seen[value] = seen.get(value, 0) + 1
            hashes.append(f"{value:x}:{seen[value]}")
            next_start = next(start_iter, None)
            if next_start is None:
                break
        value = (value * BASE + padded[i + WINDOW] - padded[i] * _OUTGOING) & MASK
    return hashes


# ---- sslint's own fingerprint (baselines) ----------------------------------------------

FINGERPRINT_KEY = "sslint/v1"


def finding_fingerprint(rule_id: str, path: str, function: str, line: bytes) -> str:
    """partialFingerprints["sslint/v1"]: the rule, the file (as the SARIF URI names it),
    the function and the finding's own line with all whitespace removed.

    Unlike primaryLocationLineHash it ignores every other line, so neither lines
    inserted above nor edits below (or appended at the end of the file) change it;
    editing the line itself, renaming the function or moving the file does. Equal
    fingerprints are told apart by counting, not by an index in the value.
    """
    text = b"".join(line.split()).decode("utf-8", errors="replace")
    # surrogateescape: a file name that is not UTF-8 hashes as its raw bytes
    key = f"{rule_id}\x00{path}\x00{function}\x00{text}".encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(key)
    return digest.hexdigest()[:32]


def partial_fingerprints(report: Report, sources: Sources, f: Finding) -> dict[str, str] | None:
    """GitHub's primaryLocationLineHash and sslint/v1 (what baselines match on); None
    when the source cannot be read."""
    line = sources.line(f.loc.file, f.loc.line)
    line_hash = sources.line_hash(f.loc.file, f.loc.line)
    if line is None or line_hash is None:
        return None
    where = report.relative(f.loc.file) or Path(os.path.abspath(f.loc.file)).as_uri()
    return {"primaryLocationLineHash": line_hash,
            FINGERPRINT_KEY: finding_fingerprint(f.rule_id, where, f.function, line)}
