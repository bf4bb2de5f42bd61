"""Worker processes that survive what a hostile file can do to them.

libclang can crash (deep recursion in its parser overflows the stack), loop for
minutes on pathological input, and a parse cannot be interrupted. So files are
analysed in worker processes that the parent supervises:

* A worker runs each file on a big-stack thread and watches it (sslint.workers.watchdog).
  Past the file's limits it sends a result with a notification that names the file
  (and the function, when the engine is in one), then ends itself: a thread cannot
  be stopped, a process can.
* A worker that dies (a signal, an abort in libclang) is replaced; its file gets a
  notification instead of findings. A worker that stops answering is killed.
* Tasks go out one at a time and results are put back in input order, so output
  does not depend on the number of workers.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from sslint.workers import watchdog
from sslint.frontend.sources import printable_path
from sslint.core.findings import FileResult, Loc, Notification

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

POLL_SECONDS = 0.1
UNITS_PER_WORKER = 200  # then a fresh process: memory stays flat over big runs
PARENT_SLACK = 10.0     # seconds past a worker's own limits before the parent kills it


def _context() -> Any:
    # fork: workers start in milliseconds with everything already imported.
    import multiprocessing as mp  # here: a run the results cache serves starts no worker

    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


@dataclass(frozen=True)
class Failed:
    """What a worker sends instead of a result when its task raised."""

    message: str


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    done: int = 0
    task: int | None = None  # index of the task it is working on
    since: float = 0.0
    limit: float = 0.0       # seconds the task may take before the parent kills it


def _serve(conn: Connection, handlers: dict[str, Callable[..., Any]]) -> None:
    """A worker's main loop: run tasks until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, kind, payload = msg
        try:
            result, last = handlers[kind](payload)
            conn.send((index, result, last))
        except Exception as exc:  # noqa: BLE001 - a bug in a task, or an unpicklable result
            result, last = Failed(f"internal error: {type(exc).__name__}: {exc}"), False
            conn.send((index, result, last))
        if last:
            conn.close()
            os._exit(0)  # a thread is still stuck in this process: end it with us


def watched(fn: Callable[..., FileResult], args: tuple, display: str, stack_bytes: int,
            file_timeout: float) -> tuple[FileResult, bool]:
    """Run fn(*args) on a big-stack thread and watch it. Returns (result, whether the
    thread overran and is still running, so the process must end)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    limits = watchdog.Limits.for_timeout(file_timeout)
    old = threading.stack_size()
    threading.stack_size(stack_bytes)
    try:
        t = threading.Thread(target=target, name="sslint-unit", daemon=True)
        started = time.monotonic()
        t.start()
    finally:
        threading.stack_size(old)
    try:
        while True:
            t.join(POLL_SECONDS)
            if not t.is_alive():
                break
            why = watchdog.overrun(t, started, limits, file_timeout)
            if why is not None:
                return stopped(display, f"{printable_path(display)}: {why}", "time-limit"), True
    finally:
        watchdog.forget(t.ident)
    if "error" in box:
        exc = box["error"]
        return stopped(display, f"internal error: {type(exc).__name__}: {exc}",
                       "internal-error"), False
    return box["value"], False


def stopped(display: str, message: str, code: str) -> FileResult:
    res = FileResult(display)
    res.notifications.append(Notification("error", message, Loc(display, 1, 1, 1, 1), code))
    return res


def _describe_death(proc: Any) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            return f"signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


class Pool:
    """`size` supervised worker processes running `handlers` by task kind."""

    def __init__(self, size: int, handlers: dict[str, Callable[..., Any]]):
        self.size = size
        self.handlers = handlers
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.handlers), daemon=True,
                                name="sslint-worker")
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        self.workers.append(w)
        return w

    def _retire(self, w: _Worker, kill: bool) -> None:
        self.workers.remove(w)
        try:
            if kill:
                w.proc.kill()
            else:
                w.conn.send(None)
        except (OSError, ValueError):
            pass
        w.proc.join(5 if not kill else None)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join()
        w.conn.close()

    def close(self) -> None:
        for w in list(self.workers):
            self._retire(w, kill=w.task is not None)

    def run_tasks(self, tasks: list[tuple[str, Any, float]],
            on_error: Callable[[int, str, str], Any],
            on_result: Callable[[int, Any], None] | None = None,
            order: list[int] | None = None) -> list[Any]:
        """Run (kind, payload, limit) tasks, handed out in `order` (default: as given);
        returns their results in input order. A task whose worker dies, or outlives
        `limit` seconds plus slack, gets on_error(index, message, code) as its result."""
        from multiprocessing.connection import wait as mp_wait

        results: list[Any] = [None] * len(tasks)
        todo = deque(range(len(tasks)) if order is None else order)
        finished = 0
        while finished < len(tasks):
            for w in [w for w in self.workers if w.task is None and w.done >= UNITS_PER_WORKER]:
                self._retire(w, kill=False)
            while todo:
                w = next((w for w in self.workers if w.task is None), None)
                if w is None:
                    if len(self.workers) >= self.size:
                        break
                    w = self._spawn()
                i = todo.popleft()
                kind, payload, limit = tasks[i]
                w.task, w.since, w.limit = i, time.monotonic(), limit
                try:
                    w.conn.send((i, kind, payload))
                except (OSError, ValueError):
                    pass  # it died; noticed below
            busy = [w for w in self.workers if w.task is not None]
            mp_wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], POLL_SECONDS)
            for w in busy:
                i = w.task
                got = _receive(w)
                if got is None and not w.proc.is_alive():
                    got = _receive(w)  # it may have answered just before it ended
                    if got is None:
                        results[i] = on_error(i, "the worker process analysing it died "
                                              f"({_describe_death(w.proc)}); it was skipped",
                                              "crash")
                        self._retire(w, kill=True)
                elif got is None:
                    if time.monotonic() - w.since <= w.limit + PARENT_SLACK:
                        continue
                    results[i] = on_error(i, f"stopped after {w.limit + PARENT_SLACK:.0f}s "
                                          "without an answer from its worker", "time-limit")
                    self._retire(w, kill=True)
                if got is not None:
                    results[i], ending = got[1], got[2]
                    if isinstance(results[i], Failed):
                        results[i] = on_error(i, results[i].message, "internal-error")
                    if ending:
                        self._retire(w, kill=True)
                finished += 1
                w.task = None
                w.done += 1
                if on_result:
                    on_result(i, results[i])
        return results


def _receive(w: _Worker) -> tuple[int, Any, bool] | None:
    try:
        if w.conn.poll():
            return w.conn.recv()
    except (EOFError, OSError):
        return None
    return None
