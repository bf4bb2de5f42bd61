"""`sslint api`: what the API model says about a function or a handle kind, for a
user reading a finding or writing their own `[api]` entries."""
from __future__ import annotations

from sslint.core.rule import MAN_BASE
from sslint.model import api
from sslint.model.api import ApiModel, ArgVerb, FnSpec, HandleKind

ARG_MEANING = {
    "-": "not a tracked handle (a handle passed here escapes)",
    "use": "used: must be live and must not be NULL",
    "use?": "used: must be live; NULL is not reported (accepted, or not known not to be)",
    "use!": "used: the call returns only if it is not NULL",
    "release": "one reference dropped; at zero the object and all it owns are freed",
    "release-one": "one reference dropped; members of its chain are left behind",
    "addref": "one more reference taken, which the caller must release",
    "consume": "the reference moves into argument {target}{slot}",
    "setbio": "SSL_set_bio's ownership formula",
    "unpop": "taken out of its chain; the caller owns it again",
    "out-acquire": "a new owned {kind} is written through this pointer",
    "out-borrow": "a {kind} owned by argument {target} is written through this pointer",
    "out-result": "when not NULL, the result is written through this pointer too",
    "escape": "kept by the callee; the caller need not release it",
    "peek": "only the pointer value is read",
}
RESULT_MEANING = {
    "acquire": "a new {kind} reference the caller owns (NULL on failure)",
    "borrow": "a {kind} owned by argument {index}: never to be released",
    "slot": "the {kind} argument {index} holds in its '{slot}' slot (borrowed)",
    "arg": "argument {index} itself",
    "truth": "non-zero exactly when argument {index} is non-zero",
    "not": "non-zero exactly when argument {index} is zero",
    "cmp": "whether argument {index} {operator} argument {otherwise}",
    "detached": "what the unpop argument let go of",
    "status": "1 on success, 0 on failure",
}


def _arg_text(v: ArgVerb) -> str:
    slot = f" (slot '{v.slot}')" if v.slot else ""
    return ARG_MEANING.get(v.op, v.op).format(target=v.target, slot=slot, kind=v.kind)


def origin(name: str) -> str:
    if name in api.hand_table_names():
        return "hand-checked (openssl.toml)"
    if name in api.generated_names():
        return (f"generated from the OpenSSL {api.generated_from()} headers by naming "
                "convention (openssl_generated.toml)")
    return "project [api] table"


def _versions(spec: FnSpec) -> str:
    if not spec.since and not spec.until:
        return "all"
    low = f">= {api.version_text(spec.since)}" if spec.since else ""
    high = f"< {api.version_text(spec.until)}" if spec.until else ""
    return ", ".join(x for x in (low, high) if x)


def fn_record(spec: FnSpec) -> dict:
    r = spec.result
    return {
        "name": spec.name,
        "source": origin(spec.name),
        "args": [{"verb": a, "kind": spec.verb(i).kind, "meaning": _arg_text(spec.verb(i))}
                 for i, a in enumerate(spec.args)],
        "returns": {"verb": spec.returns, "kind": r.kind,
                    "meaning": RESULT_MEANING.get(r.op, "").format(
                        kind=r.kind, index=r.index, slot=r.slot, operator=r.operator,
                        otherwise=r.otherwise)} if spec.returns else None,
        "check_return": spec.check_return,
        "man": spec.man,
        "man_url": f"{MAN_BASE}{spec.man}/" if spec.man and "(" not in spec.man else "",
        "versions": _versions(spec),
        "marks": sorted(spec.marks), "result_marks": sorted(spec.result_marks),
        "tags": sorted(spec.tags),
    }


def fn_text(rec: dict) -> str:
    lines = [f"{rec['name']}: {rec['source']}"]
    if rec["man"]:
        lines.append(f"  man page:  {rec['man']}(3)  {rec['man_url']}".rstrip())
    lines.append(f"  versions:  {rec['versions']}")
    for i, a in enumerate(rec["args"]):
        kind = f" [{a['kind']}]" if a["kind"] and a["verb"] != "-" else ""
        lines.append(f"  arg {i}:     {a['verb']}{kind}: {a['meaning']}")
    if not rec["args"]:
        lines.append("  args:      none")
    if rec["returns"]:
        lines.append(f"  returns:   {rec['returns']['verb']}: {rec['returns']['meaning']}")
    if rec["check_return"]:
        lines.append("  the result reports failure and must be checked")
    for key in ("marks", "result_marks", "tags"):
        if rec[key]:
            lines.append(f"  {key}: {', '.join(rec[key])}")
    return "\n".join(lines)


def kind_record(k: HandleKind, model: ApiModel) -> dict:
    fns = sorted(n for n, f in model.table.items()
                 if any(v.kind == k.name for v in f.verbs if v.op != "-")
                 or f.result.kind == k.name)
    return {"kind": k.name, "types": list(k.types), "records": list(k.records),
            "free": list(k.free), "up_ref": list(k.up_ref),
            "slots": dict(k.slots), "frees_members": k.frees_members,
            "functions": len(fns),
            "acquired_by": sorted(n for n in fns if model.table[n].result.op == "acquire"
                                  and model.table[n].result.kind == k.name)}


def kind_text(rec: dict, full: bool) -> str:
    names = rec["types"] or [f"struct {r}" for r in rec["records"]]
    c = ", ".join(names if full or len(names) <= 3 else [*names[:3], "..."])
    line = (f"{rec['kind']:<24} {c}; freed by {', '.join(rec['free']) or '-'}; "
            f"{rec['functions']} functions")
    if not full:
        return line
    extra = []
    if rec["up_ref"]:
        extra.append(f"  up_ref:      {', '.join(rec['up_ref'])}")
    if rec["slots"]:
        extra.append("  slots:       " + ", ".join(f"{s} ({h})" for s, h in rec["slots"].items()))
    extra.append(f"  acquired by: {', '.join(rec['acquired_by']) or '-'}")
    return "\n".join([line, *extra])


def unknown_text(name: str, model: ApiModel) -> dict:
    """A name missing from the table: what the naming conventions make of it."""
    verb = model.naming.guess_verb(name)
    if verb is None:
        return {"name": name, "source": "unknown",
                "meaning": "not in the table and not named like OpenSSL's: handles "
                           "passed to it escape (no finding), its result is untracked"}
    result = model.naming.guess_result(name)
    return {"name": name, "source": "naming conventions",
            "meaning": f"not in the table; named like OpenSSL's, so its handle arguments "
                       f"are '{verb}'" + (", its result a new reference" if result else "")}


def summary(model: ApiModel) -> dict:
    hand = sum(1 for n in model.table if n in api.hand_table_names())
    gen = sum(1 for n in model.table if n in api.generated_names())
    return {"functions": len(model.table), "hand_checked": hand, "generated": gen,
            "generated_from": api.generated_from(),
            "kinds": [kind_record(k, model) for k in model.kinds.by_name.values()]}
