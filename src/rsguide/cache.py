"""The compiled knowledge base: YAML parsed, validated and indexed once, then pickled into the
user's cache directory, keyed by the content hash of the data files and the rsguide version.

Any problem with the cache (corrupt, stale, unwritable, from another version) falls back to
loading the YAML: the cache can make rsguide faster, never wrong.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rsguide import __version__
from rsguide.model import KnowledgeBase
from rsguide.search import SearchIndex

CACHE_ENV = "RSGUIDE_CACHE_DIR"
NO_CACHE_ENV = "RSGUIDE_NO_CACHE"
_MAGIC = "rsguide-kb-cache"


def cache_dir() -> Path:
    """Where compiled knowledge bases are kept (``$RSGUIDE_CACHE_DIR`` or the platform's cache dir)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("rsguide", appauthor=False))


def content_key(data_dir: Path) -> str:
    """Hash of the rsguide version and every data file's name and bytes."""
    from rsguide.paths import data_files

    h = hashlib.sha256(f"{_MAGIC}\0{__version__}\0".encode())
    for path in data_files(data_dir):
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def cache_file(key: str) -> Path:
    """The cache file for a content key."""
    return cache_dir() / f"kb-{key[:24]}.pickle"


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


def _read(path: Path, key: str) -> tuple[KnowledgeBase, SearchIndex] | None:
    try:
        with open(path, "rb") as fh, _gc_paused():
            payload = pickle.load(fh)
    except Exception:
        return None
    if not isinstance(payload, dict) or payload.get("magic") != _MAGIC or payload.get("key") != key:
        return None
    kb, index = payload.get("kb"), payload.get("index")
    if not isinstance(kb, KnowledgeBase) or not isinstance(index, SearchIndex):
        return None
    return kb, index


KEEP_FILES = 8
"""Compiled knowledge bases kept (several data folders may be in use); older ones are removed."""


def _write(path: Path, key: str, kb: KnowledgeBase, index: SearchIndex) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                payload = {"magic": _MAGIC, "key": key, "kb": kb, "index": index}
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        files = sorted(path.parent.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in files[KEEP_FILES:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache only costs speed


def load(
    data_dir: Path, *, with_index: bool = True, use_cache: bool = True
) -> tuple[KnowledgeBase, SearchIndex | None]:
    """The knowledge base (and its index) from the cache, or from YAML (then cached)."""
    if os.environ.get(NO_CACHE_ENV):
        use_cache = False
    key = content_key(data_dir) if use_cache else ""
    if use_cache:
        cached = _read(cache_file(key), key)
        if cached is not None:
            return cached
    from rsguide import kb as kb_module
    from rsguide.search import build_index

    knowledge = kb_module.load(data_dir)
    if not use_cache:
        return knowledge, build_index(knowledge) if with_index else None
    index = build_index(knowledge)
    _write(cache_file(key), key, knowledge, index)
    return knowledge, index


@dataclass(frozen=True)
class CacheInfo:
    """What ``rsguide cache info`` reports."""

    directory: Path
    current: Path
    current_exists: bool
    files: list[tuple[Path, int]]


def info(data_dir: Path) -> CacheInfo:
    """The cache directory, the file for the current knowledge base and all cache files."""
    directory = cache_dir()
    current = cache_file(content_key(data_dir))
    files = sorted((p, p.stat().st_size) for p in directory.glob("kb-*.pickle")) if directory.is_dir() else []
    return CacheInfo(directory, current, current.is_file(), files)


def clear() -> int:
    """Delete every compiled knowledge base; returns how many files were removed."""
    directory = cache_dir()
    count = 0
    if directory.is_dir():
        for p in directory.glob("kb-*.pickle"):
            p.unlink(missing_ok=True)
            count += 1
    return count
