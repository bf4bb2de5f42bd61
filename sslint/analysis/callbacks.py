"""The callbacks a file registers, read from its lowered functions.

A call to a function whose API-model entry has `callback = [arg, param, owned_when]`
registers its argument `arg` when that argument is a function designator
(ir.FuncRef: `cb`, `&cb`, `(cb_type)cb`, also from a macro). The registered
function, when analysed, has its returns checked against the ownership of its
parameter `param` (the engine's `contract`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sslint.core import ir
from sslint.model.api import ApiModel, FnSpec

Contract = tuple[int, int, str]  # (param index, owned_when, registering function)


def registrars(model: ApiModel) -> list[str]:
    """The functions that register a callback, in the model's order."""
    return list(model.registrar_names())


def find_callbacks(functions: Iterable[ir.Function], model: ApiModel) -> dict[str, Contract]:
    """{registered function: its contract}. A function registered through several
    registering functions takes the contract of the last one in the model's order
    (the last registration in the file among equals)."""
    rank = {name: i for i, name in enumerate(registrars(model))}
    found: list[tuple[int, int, int, str, Contract]] = []
    for fn in functions:
        for call in _calls(fn):
            spec = model.lookup(call.callee) if call.callee in rank else None
            if spec is None:
                continue
            arg, param, owned = spec.callback
            args = _macro_args(call, spec)
            target = _designated(args[arg]) if arg < len(args) else None
            if target is not None:
                found.append((rank[call.callee], call.loc.line, call.loc.col, target,
                              (param, owned, call.callee)))
    found.sort(key=lambda f: f[:3])
    return {target: contract for *_, target, contract in found}


def _macro_args(call: ir.Call, spec: FnSpec) -> tuple[ir.Expr, ...]:
    """The call's arguments as the model counts them: a macro that expands to a
    *_ctrl call has its own arguments at `expanded` (as the engine reads them)."""
    if spec.expanded and len(call.args) != len(spec.args) and \
            len(call.args) > max(spec.expanded):
        return tuple(call.args[i] for i in spec.expanded)
    return call.args


def _designated(e: ir.Expr) -> str | None:
    while isinstance(e, ir.AddrOf):
        e = e.operand
    return e.name if isinstance(e, ir.FuncRef) else None


def _calls(fn: ir.Function) -> Iterator[ir.Call]:
    """Every call anywhere in the function's expressions (from the walk the engine
    makes of each node anyway: ir.node_exprs keeps it)."""
    for exprs in ir.node_exprs(fn):
        for e in exprs:
            if isinstance(e, ir.Call):
                yield e
