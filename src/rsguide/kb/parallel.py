"""The build of a large knowledge base by two processes.

``items.yaml`` is cut into parts between elements of its ``items:`` list (:mod:`rsguide.kb.parts`).
This process and a forked worker each claim the next part not yet claimed (a shared counter): read
it, build and check its items, render their cards, build their search index and encode their rows
(:func:`compute_part`). This process writes every part's batch into the store in file order
(:meth:`rsguide.kb.store.StoreWriter.apply_part`), keeping at most :data:`WAITING` parts' results at
a time. The parts are about :data:`PART_BYTES` long, so that neither process waits long for the
other at the end.

Anything unusual — a part that does not read as a plain part of the list, an item with a problem,
序号 not rising, a bound passed, a worker that fails — raises :class:`~rsguide.kb.store.Restart`,
and the caller builds in one process, which reports what is wrong as ever.
"""

from __future__ import annotations

import sys

from rsguide.kb.loader import ItemPart, read_item_part
from rsguide.kb.parts import Part, cut
from rsguide.kb.store import Restart, StoreWriter, _Batch, batch_of, dumps
from rsguide.kb.yamlio import PartError, max_file_bytes, node_limit
from rsguide.model import Item, KnowledgeBase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

MIN_BYTES = 4 << 20
"""From this size of ``items.yaml`` on (≈ 2,000 items) the build is parallel (where ``fork`` exists
and there is more than one core); a smaller knowledge base is built in one process, as fast as ever."""
PART_BYTES = 2 << 20
"""About how long a part is (≈ 1,100 items): long enough that a part's fixed costs (each search key's
list of the part, kept and moved by the writing process) do not count, short enough that the process
that finishes first waits little for the other (100,000 items: 1, 2 and 3 MB parts within a second of
each other; 2 MB the fastest, by a little)."""
WAITING = 6
"""Parts computed and not yet written (a later one finished before the one to write next) from which
this process stops taking parts and waits for the worker's: what bounds the memory."""


def possible() -> bool:
    """More than one core for this process, on Linux (``fork``: a worker starts without importing
    anything again; macOS's ``fork`` is not safe with its system libraries, Windows has none)."""
    import os

    if not sys.platform.startswith("linux"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class PartResult:
    """What a part adds to the store and to the checks of the whole knowledge base."""

    __slots__ = ("batch", "chars", "first", "nodes", "ref_lines", "refs", "texts", "top", "watched")

    def __init__(self, part: ItemPart, batch: _Batch, texts: list[str], watched: list[Item]) -> None:
        self.batch, self.texts, self.watched = batch, texts, watched
        self.refs, self.ref_lines, self.top = part.refs, part.ref_lines, part.top
        self.nodes, self.chars = part.nodes, part.chars
        self.first = part.items[0].number


def compute_part(
    path: Path, part: Part, core: KnowledgeBase, wanted: set[int], layout: list[tuple[str, str]] | None
) -> PartResult:
    """Read, build and check the items of ``part`` and compute their batch (cards, names, index with
    positions counted from the part's first, item rows); ``watched`` are its items whose 序号 is
    ``wanted`` (the conditions of eligibility.yaml look at them)."""
    got = read_item_part(path, part.start, part.end, part.first_line)
    items = tuple(got.items)
    batch = batch_of(items, core, None, layout)
    texts = [dumps(it) for it in items]
    return PartResult(got, batch, texts, [it for it in items if it.number in wanted])


def _work(
    results: Any, claim: Callable[[], int], parts: list[Part], path: Path, core: KnowledgeBase, wanted: set[int], parent: int
) -> None:
    """The worker process: claims the next part not yet claimed (by either process), computes it and
    sends ``(number, PartResult)`` (a text in place of a result says what failed), until none is left.
    Results go through a queue, whose thread sends them while this one computes the next part. It
    ends when its parent is gone (killed)."""
    import os

    layout: list[tuple[str, str]] | None = None
    try:
        while os.getppid() == parent:
            number = claim()
            if number >= len(parts):
                break
            result = compute_part(path, parts[number], core, wanted, layout)
            layout = result.batch.layout
            results.put((number, result))
    except BaseException as exc:
        try:
            results.put(f"{type(exc).__name__}: {exc}")
        except BaseException:
            pass
    finally:
        if os.getppid() != parent:  # nobody reads the results: do not wait to hand them over
            results.cancel_join_thread()
        results.close()


class _Worker:
    """A forked process computing the parts it claims (see :func:`_work`); ``claim`` gives this
    process the next part not yet claimed."""

    def __init__(self, path: Path, core: KnowledgeBase, parts: list[Part], wanted: set[int]) -> None:
        import multiprocessing
        import os

        ctx = multiprocessing.get_context("fork")
        self.next = ctx.Value("i", 0)  # the next part to claim, shared
        # A queue: put() hands the result to a thread of the worker, which goes on with its next part.
        self.results = ctx.Queue()
        args = (self.results, self.claim, parts, path, core, wanted, os.getpid())
        self.process = ctx.Process(target=_work, args=args, daemon=True)
        self.process.start()

    def claim(self) -> int:
        """The number of the next part not yet claimed by either process (it is this caller's)."""
        with self.next.get_lock():
            number = int(self.next.value)
            self.next.value = number + 1
        return number

    def receive(self, *, block: bool = True) -> tuple[int, PartResult] | None:
        """The next result (``None`` when none is there and ``block`` is false)."""
        import queue

        while True:
            try:
                got = self.results.get(timeout=1.0) if block else self.results.get_nowait()
                break
            except queue.Empty:
                if not block:
                    return None
                if not self.process.is_alive() and self.results.empty():
                    raise Restart("worker gone") from None
            except (EOFError, OSError) as exc:
                raise Restart(f"worker gone: {exc}") from None
        if not isinstance(got, tuple):
            raise Restart(str(got))
        return got

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.results.close()


class PartsReader:
    """Reads ``items.yaml`` in parts for :func:`rsguide.kb.loader.load_streaming` (its ``parts``),
    writing each part's batch into ``writer``; ``core`` is the knowledge base without items read ahead
    (:func:`rsguide.kb.loader.read_core_early`), which the cards are rendered with."""

    def __init__(self, writer: StoreWriter, core: KnowledgeBase, part_bytes: int | None = None) -> None:
        self.writer, self.core, self.part_bytes = writer, core, part_bytes or PART_BYTES

    def __call__(
        self, path: Path, watch: Callable[[Item], None], wanted: set[int], meanwhile: Callable[[], None]
    ) -> tuple[Any, list[tuple[Any, ...]], list[int]]:
        refs: list[tuple[Any, ...]] = []
        ref_lines: list[int] = []
        top: Any = None
        nodes = chars = 0
        done: dict[int, PartResult] = {}  # results not yet written (a later part finished first)
        written = 0
        layout: list[tuple[str, str]] | None = None
        parts = list(cut(path, self.part_bytes))
        worker = _Worker(path, self.core, parts, wanted)
        try:
            meanwhile()  # while the worker starts on the first parts
            mine = len(parts)  # a part this process claimed and has not computed (none)
            while written < len(parts):
                while written in done:  # write what is next, in file order
                    result = done.pop(written)
                    written += 1
                    self.writer.apply_part(result.batch, result.texts, result.first)
                    refs += result.refs
                    ref_lines += result.ref_lines
                    nodes += result.nodes
                    chars += result.chars
                    if result.top is not None:
                        top = result.top
                    for item in result.watched:
                        watch(item)
                while (got := worker.receive(block=False)) is not None:
                    done[got[0]] = got[1]
                if written in done:
                    continue
                if mine >= len(parts) and len(done) < WAITING:
                    mine = worker.claim()
                if mine < len(parts):
                    try:
                        done[mine] = compute_part(path, parts[mine], self.core, wanted, layout)
                    except PartError as exc:
                        raise Restart(str(exc)) from None
                    layout = done[mine].batch.layout
                    mine = len(parts)
                elif written < len(parts):  # the next part to write is the worker's: wait for it
                    got = worker.receive()
                    assert got is not None
                    done[got[0]] = got[1]
        finally:
            worker.stop()
        if top is None or nodes > node_limit() or chars > max_file_bytes():
            raise Restart("no top mapping, or a bound passed")
        return top, refs, ref_lines
