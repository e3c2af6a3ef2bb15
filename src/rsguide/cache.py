"""The compiled knowledge base: YAML parsed, validated and indexed once, then stored in the
user's cache directory, keyed by the content hash of the data files and the rsguide version.

A compiled knowledge base is a folder ``kb-<key>/`` with three files, so that start-up stays flat
as the knowledge base grows:

- ``core.pickle``: everything but the items (categories, offices, rules, synonyms), the exact-name
  table and the byte offsets of each item in ``items.bin`` — small, read by every command;
- ``items.bin``: one pickle per item; ``show`` reads only the item it prints;
- ``index.pickle``: the search index (pinyin included), read only when a query needs it.

Any problem with the cache (corrupt, stale, unwritable, from another version) falls back to
loading the YAML: the cache can make rsguide faster, never wrong.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rsguide import __version__
from rsguide.model import Item, KnowledgeBase

if TYPE_CHECKING:
    from rsguide.search import SearchIndex

CACHE_ENV = "RSGUIDE_CACHE_DIR"
NO_CACHE_ENV = "RSGUIDE_NO_CACHE"
_MAGIC = "rsguide-kb-cache-2"
KEEP = 8
"""Compiled knowledge bases kept (several data folders may be in use); older ones are removed."""


def cache_dir() -> Path:
    """Where compiled knowledge bases are kept (``$RSGUIDE_CACHE_DIR`` or the platform's cache dir)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rsguide", appauthor=False))


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _blake2b(data: bytes = b"") -> Any:
    try:  # the builtin BLAKE2 starts faster than hashlib, which loads OpenSSL
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always has it
        from hashlib import blake2b
    return blake2b(data, digest_size=32)


def _stamp(data_dir: Path) -> tuple:
    """What the files look like from outside: name, size, modification time, inode."""
    from rsguide.paths import data_files

    out: list[tuple] = [_MAGIC, __version__]
    for path in data_files(data_dir):
        try:
            st = path.stat()
            out.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            out.append((path.name, None))
    return tuple(out)


def content_key(data_dir: Path) -> str:
    """Hash of the rsguide version and every data file's name and bytes.

    Hashing a province-sized knowledge base takes longer than answering from it, so the key is
    remembered next to the cache together with the files' size, modification time and inode
    (as git does for its index) and recomputed whenever any of them changes.
    """
    memo = cache_dir() / f"key-{_blake2b(str(data_dir.resolve()).encode()).hexdigest()[:16]}.pickle"
    stamp = _stamp(data_dir)
    try:
        with open(memo, "rb") as fh:
            saved = pickle.load(fh)
        if isinstance(saved, dict) and saved.get("stamp") == stamp and isinstance(saved.get("key"), str):
            return saved["key"]
    except Exception:  # no memo, or an unreadable one: hash the files
        pass
    key = _content_hash(data_dir)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump({"stamp": stamp, "key": key}, fh)
        os.replace(tmp, memo)
    except OSError:
        pass
    return key


def _content_hash(data_dir: Path) -> str:
    from rsguide.paths import data_files

    h = _blake2b(f"{_MAGIC}\0{__version__}\0".encode())
    for path in data_files(data_dir):
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def cache_file(key: str) -> Path:
    """The folder of the compiled knowledge base for a content key."""
    return cache_dir() / f"kb-{key[:24]}"


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Unpickling thousands of small objects triggers many useless collections.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Catalog:
    """The knowledge base as commands see it: every attribute of the core knowledge base, items
    read one at a time from the store (or from a fully loaded knowledge base)."""

    def __init__(
        self, core: KnowledgeBase, names: dict[str, int], numbers: list[int], read: Callable[[int], Item | None]
    ):
        self._core = core
        self._names = names
        self._numbers = numbers
        self._read = read
        self._items: dict[int, Item | None] = {}

    def item(self, number: int) -> Item | None:
        """The item with this 序号, or ``None``."""
        if number not in self._items:
            self._items[number] = self._read(number)
        return self._items[number]

    def exact_number(self, key: str) -> int | None:
        """The 序号 whose name, heading or alias folds to ``key``."""
        return self._names.get(key)

    @property
    def last_number(self) -> int:
        """The highest 序号."""
        return self._numbers[-1] if self._numbers else 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._core, name)


@dataclass
class Store:
    """An opened compiled knowledge base."""

    folder: Path
    core: KnowledgeBase
    names: dict[str, int]
    offsets: dict[int, tuple[int, int]]

    def read_item(self, number: int) -> Item | None:
        """One item, read from ``items.bin``."""
        span = self.offsets.get(number)
        if span is None:
            return None
        with open(self.folder / "items.bin", "rb") as fh:
            fh.seek(span[0])
            data = fh.read(span[1])
        with _gc_paused():
            item = pickle.loads(data)
        if not isinstance(item, Item) or item.number != number:
            raise ValueError("corrupt item record")
        return item

    def all_items(self) -> tuple[Item, ...]:
        """Every item, in 序号 order."""
        data = (self.folder / "items.bin").read_bytes()
        out = []
        with _gc_paused():
            for number, (start, length) in sorted(self.offsets.items()):
                item = pickle.loads(data[start : start + length])
                if not isinstance(item, Item) or item.number != number:
                    raise ValueError("corrupt item record")
                out.append(item)
        return tuple(out)

    def index(self) -> SearchIndex:
        """The search index."""
        from rsguide.search import SearchIndex

        with open(self.folder / "index.pickle", "rb") as fh, _gc_paused():
            index = pickle.load(fh)
        if not isinstance(index, SearchIndex):
            raise ValueError("corrupt index")
        return index


def _open(folder: Path, key: str) -> Store | None:
    try:
        with open(folder / "core.pickle", "rb") as fh, _gc_paused():
            payload = pickle.load(fh)
    except Exception:  # any unreadable cache is simply rebuilt
        return None
    if not isinstance(payload, dict) or payload.get("magic") != _MAGIC or payload.get("key") != key:
        return None
    core = payload.get("core")
    if not isinstance(core, KnowledgeBase):
        return None
    return Store(folder, core, payload["names"], payload["offsets"])


def _write(folder: Path, key: str, kb: KnowledgeBase, index: SearchIndex) -> None:
    import tempfile

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".kb-tmp-"))
        try:
            offsets: dict[int, tuple[int, int]] = {}
            with open(tmp / "items.bin", "wb") as fh:
                for item in kb.items:
                    blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                    offsets[item.number] = (fh.tell(), len(blob))
                    fh.write(blob)
            with open(tmp / "index.pickle", "wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            core = replace(kb, items=())
            payload = {"magic": _MAGIC, "key": key, "core": core, "names": kb.name_table(), "offsets": offsets}
            with open(tmp / "core.pickle", "wb") as fh:  # written last: its presence marks a complete store
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            if folder.exists():
                _rmtree(folder)
            os.replace(tmp, folder)
        except BaseException:
            _rmtree(tmp)
            raise
        stores = sorted(folder.parent.glob("kb-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in stores[KEEP:]:
            _rmtree(stale)
    except OSError:
        pass  # an unwritable cache only costs speed


def _build(data_dir: Path) -> tuple[KnowledgeBase, SearchIndex]:
    from rsguide import kb as kb_module
    from rsguide.search import build_index

    with _gc_paused():  # millions of small objects: the collector would rescan them over and over
        knowledge = kb_module.load(data_dir)
        return knowledge, build_index(knowledge)


def open_store(data_dir: Path) -> Store | None:
    """The compiled knowledge base of ``data_dir``, built (and validated) first if needed.

    ``None`` when the cache cannot be used (``RSGUIDE_NO_CACHE``, unwritable directory); a
    knowledge base that does not validate raises :class:`~rsguide.errors.DataError`.
    """
    if os.environ.get(NO_CACHE_ENV):
        return None
    key = content_key(data_dir)
    folder = cache_file(key)
    store = _open(folder, key)
    if store is not None:
        return store
    knowledge, index = _build(data_dir)
    _write(folder, key, knowledge, index)
    return _open(folder, key)


def load(
    data_dir: Path, *, with_index: bool = True, use_cache: bool = True
) -> tuple[KnowledgeBase, SearchIndex | None]:
    """The whole knowledge base (and its index) from the cache, or from YAML (then cached)."""
    if use_cache:
        for _attempt in range(2):
            store = open_store(data_dir)
            if store is None:
                break
            try:
                return replace(store.core, items=store.all_items()), store.index() if with_index else None
            except Exception:  # a damaged store: remove it and build it again once
                _rmtree(store.folder)
    from rsguide import kb as kb_module
    from rsguide.search import build_index

    knowledge = kb_module.load(data_dir)
    return knowledge, build_index(knowledge) if with_index else None


@dataclass(frozen=True)
class CacheInfo:
    """What ``rsguide cache info`` reports."""

    directory: Path
    current: Path
    current_exists: bool
    files: list[tuple[Path, int]]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else 0


def info(data_dir: Path) -> CacheInfo:
    """The cache directory, the store for the current knowledge base and all stores."""
    directory = cache_dir()
    current = cache_file(content_key(data_dir))
    stores = sorted((p, _size(p)) for p in directory.glob("kb-*")) if directory.is_dir() else []
    return CacheInfo(directory, current, (current / "core.pickle").is_file(), stores)


def clear() -> int:
    """Delete every compiled knowledge base; returns how many were removed."""
    directory = cache_dir()
    count = 0
    if directory.is_dir():
        for p in directory.glob("kb-*"):
            _rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
            count += 1
        for p in directory.glob("key-*.pickle"):
            p.unlink(missing_ok=True)
    return count
