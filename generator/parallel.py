"""Work split over the machine's two cores: a forked child takes a share of a list while the
process does the rest, and sends its results back pickled through a pipe.

A fork starts with everything the process already has (imports, registries, compiled patterns),
so a share costs only its own work plus the pickling of its results. Used where the work is per
file and large (loading and checking 10,000 posts); not worth it for a few hundred.

Where fork is not available, SOCIALCAL_JOBS=1 is set, or the child fails in any way, the process
does the whole list itself: the result is the same, only slower.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, forking (a few milliseconds, and pickling) costs more than it saves.
MIN_ITEMS = 1000


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32" and os.environ.get("SOCIALCAL_JOBS") != "1"


def fork(keep_frozen: bool = False) -> int | None:
    """`os.fork()`, the process's objects frozen first so that the child leaves them alone (its
    collector never scans them: fewer memory pages copied); they are unfrozen in the parent, or,
    with `keep_frozen`, left frozen there too until the caller has waited for the child
    (`gc.unfreeze()`): a full collection in the parent writes into every object it scans, which
    copies each memory page the child still shares (at 30,000 posts, 60 MB more at the peak).
    None where forking is off (`can_fork`) or fails (nothing is left frozen): the caller then does
    the work itself. No collection first: with 10,000 posts loaded one took 0.15 s, and what it
    would free is frozen harmlessly (a child is short-lived)."""
    if not can_fork():
        return None
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        return None
    if pid and not keep_frozen:
        gc.unfreeze()
    return pid


def split_map(
    items: Sequence[T],
    work: Callable[[Sequence[T]], list[R]],
    child_share: float = 0.5,
    min_items: int | None = None,
) -> list[R]:
    """`work(items)`, with the last `child_share` of the items done by a forked child.

    `work` maps a slice to one result per item, in order; what it returns must pickle. The child
    pays for pickling its results and the parent for unpickling them, so halves end together
    (measured on validate: the parent's share of 55% ended 0.3 s after the child's 45%)."""
    if len(items) < (MIN_ITEMS if min_items is None else min_items) or not can_fork():
        return work(items)
    cut = len(items) - int(len(items) * child_share)
    read_end, write_end = os.pipe()
    pid = fork()
    if pid is None:
        os.close(read_end)
        os.close(write_end)
        return work(items)
    if pid == 0:  # pragma: no cover - runs in the child; its results are what the tests check
        os.close(read_end)
        code = 1
        try:
            gc.disable()
            data = pickle.dumps(work(items[cut:]), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            # Never return into the parent's code (its click handlers, its exit hooks).
            os._exit(code)
    os.close(write_end)
    try:
        mine = work(items[:cut])
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
        os.close(read_end)
        os.waitpid(pid, 0)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not data:
        return mine + work(items[cut:])  # the child failed: do its share here
    theirs: list[R] = pickle.loads(data)
    return mine + theirs


__all__ = ["can_fork", "fork", "split_map"]
