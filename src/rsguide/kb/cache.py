"""The cache of compiled knowledge bases: where it is, whether it is safe, which store belongs to a
data folder, and keeping the folder tidy.

A compiled knowledge base is one SQLite file ``kb-<key>.sqlite`` (see :mod:`rsguide.kb.store`), keyed by
the content hash of the data files and the rsguide version. The cache folder is created 0700; a
folder or store that another user owns, or that group or others may write, is not used (one
warning line on stderr) and the answer comes from the YAML. Only files the cache recognises as its
own (name, SQLite header and rsguide's application id) are ever deleted, and symbolic links are
never followed.

Any problem with the cache (corrupt, stale, unwritable, from another version) falls back to
loading the YAML: the cache can make rsguide faster, never wrong.

This module stays light (``os`` and ``sys``): the fast path of ``show`` uses it to find its store.
"""

from __future__ import annotations

import os
import stat
import sys

from rsguide import __version__

TYPE_CHECKING = False  # typing itself is not imported: this module is on the fast path
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from rsguide.kb.store import Store
    from rsguide.model import KnowledgeBase
    from rsguide.search.engine import SearchIndex

CACHE_ENV = "RSGUIDE_CACHE_DIR"
NO_CACHE_ENV = "RSGUIDE_NO_CACHE"
_MAGIC = "rsguide-kb-cache-5"  # with the store format: a new layout gets a new key
KEEP = 8
"""Compiled knowledge bases kept (several data folders may be in use); older ones are removed."""
STALE_SECONDS = 3600
"""A temporary file of the cache older than this was left by a killed run and is removed."""
STORE_PREFIX, STORE_SUFFIX, TMP_PREFIX, MEMO_PREFIX = "kb-", ".sqlite", ".kb-tmp-", "key-"
_OLD_STORE_FILES = {"core.pickle", "items.bin", "index.pickle"}
_SQLITE_HEADER = b"SQLite format 3\x00"
_HEX = frozenset("0123456789abcdef")


def cache_dir() -> str:
    """Where compiled knowledge bases are kept: ``$RSGUIDE_CACHE_DIR``, else the platform's user cache
    folder (``$XDG_CACHE_HOME/rsguide`` or ``~/.cache/rsguide`` on Linux, computed here; platformdirs
    elsewhere)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return env
    if sys.platform.startswith("linux") and "ANDROID_DATA" not in os.environ:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "rsguide")
    from platformdirs import user_cache_dir

    return str(user_cache_dir("rsguide", appauthor=False))


_warned: set[str] = set()


def _warn(message: str) -> None:
    if message in _warned:
        return
    _warned.add(message)
    try:
        print(f"rsguide：{message}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def _owned_private(st: os.stat_result) -> bool:
    """Owned by this user and not writable by group or others (always true where there are no uids)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows
        return True
    return st.st_uid == getuid() and not st.st_mode & 0o022


def usable_dir(*, create: bool) -> str | None:
    """The cache folder if it is safe to use (created 0700 when ``create``), else ``None``."""
    directory = cache_dir()
    try:
        if create:
            os.makedirs(directory, mode=0o700, exist_ok=True)
        st = os.stat(directory)
    except (OSError, ValueError):
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if not _owned_private(st):
        _warn(f"缓存目录 {directory!r} 属于其他用户或可被他人写入，已忽略缓存，直接读取知识库文件")
        return None
    if create and stat.S_IMODE(st.st_mode) & 0o077:  # ours, made by an older rsguide: keep it private
        try:
            os.chmod(directory, 0o700)
        except OSError:
            pass
    return directory


def _safe_file(path: str) -> bool:
    """A regular file (not a link) owned by this user and not writable by group or others."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    if not _owned_private(st):
        _warn(f"缓存文件 {path!r} 属于其他用户或可被他人写入，已忽略")
        return False
    return True


def _blake2b(data: bytes = b"") -> Any:
    try:  # the builtin BLAKE2 starts faster than hashlib, which loads OpenSSL
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - CPython always has it
        from hashlib import blake2b
    return blake2b(data, digest_size=32)


def data_files(data_dir: str) -> list[str]:
    """The files of a knowledge base that exist or must exist, in a fixed order."""
    from rsguide.kb.paths import DATA_FILES, OPTIONAL_FILES  # one list for the reader and the cache

    files = [os.path.join(data_dir, name) for name in DATA_FILES]
    files += [p for p in (os.path.join(data_dir, n) for n in OPTIONAL_FILES) if os.path.isfile(p)]
    return files


def _stamp(data_dir: str) -> bytes:
    """What the files look like from outside: name, size, modification and change time, inode."""
    parts = [_MAGIC, __version__]
    for path in data_files(data_dir):
        try:
            st = os.stat(path)
            parts.append(f"{os.path.basename(path)}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
        except (OSError, ValueError):
            parts.append(f"{os.path.basename(path)}:-")
    return os.fsencode("\0".join(parts))


def content_key(data_dir: str | os.PathLike[str], directory: str | None = None) -> str:
    """Hash of the rsguide version and every data file's name and bytes.

    Hashing a province-sized knowledge base takes longer than answering from it, so the key is
    remembered in the cache folder together with the files' size, modification and change time
    and inode (as git does for its index), and recomputed whenever any of them changes.
    """
    data = os.fspath(data_dir)
    stamp = _blake2b(_stamp(data)).hexdigest()
    directory = directory if directory is not None else usable_dir(create=False)
    memo = None
    if directory is not None:
        where = os.fsencode(os.path.realpath(data))
        memo = os.path.join(directory, f"{MEMO_PREFIX}{_blake2b(where).hexdigest()[:16]}")
        saved = _read_memo(memo)
        if saved is not None and saved[0] == stamp:
            return saved[1]
    key = _content_hash(data)
    if memo is not None:
        _write_memo(memo, f"{stamp} {key}\n")
    return key


def _read_memo(memo: str) -> tuple[str, str] | None:
    if not _safe_file(memo):
        return None
    try:
        with open(memo, "rb") as fh:  # (a text file would load the ascii codec's module on every run)
            parts = fh.read(200).decode("ascii").split()
    except (OSError, ValueError):
        return None
    if len(parts) == 2 and all(len(p) == 64 and set(p) <= _HEX for p in parts):
        return parts[0], parts[1]
    return None


def _write_memo(memo: str, text: str) -> None:
    tmp = f"{memo}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
        os.replace(tmp, memo)
    except (OSError, ValueError):  # a full disk or an unwritable folder only costs speed
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _content_hash(data_dir: str) -> str:
    h = _blake2b(f"{_MAGIC}\0{__version__}\0".encode())
    for path in data_files(data_dir):
        h.update(os.fsencode(os.path.basename(path)) + b"\0")
        _hash_file(h, path)
        h.update(b"\0")
    return str(h.hexdigest())


def _hash_file(h: Any, path: str) -> None:
    """Hash a regular file's bytes; anything else (a FIFO, a device) is hashed as its kind, never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        h.update(b"<missing>")
        return
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            h.update(f"<not a regular file {st.st_mode:o}>".encode())
            return
        remaining = st.st_size + 1
        while remaining > 0:
            chunk = os.read(fd, min(1 << 20, remaining))
            if not chunk:
                break
            h.update(chunk)
            remaining -= len(chunk)
    except OSError:
        h.update(b"<unreadable>")
    finally:
        os.close(fd)


def store_path(directory: str, key: str) -> str:
    """The file of the compiled knowledge base for a content key."""
    return os.path.join(directory, f"{STORE_PREFIX}{key[:24]}{STORE_SUFFIX}")


def cache_file(key: str) -> Path:
    """The file of the compiled knowledge base for a content key, in the configured cache folder."""
    from pathlib import Path

    return Path(store_path(cache_dir(), key))


def current_store(data_dir: str) -> str | None:
    """The path of the finished, safe store of ``data_dir``, or ``None`` (nothing is built here)."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    directory = usable_dir(create=False)
    if directory is None:
        return None
    path = store_path(directory, content_key(data_dir, directory))
    return path if _complete(path) else None


def _complete(path: str) -> bool:
    """A safe file (see :func:`_safe_file`) with SQLite's header, rsguide's application id and as many
    pages as the header says (a truncated store is not read)."""
    if not _safe_file(path):
        return False
    from rsguide.kb.store import APPLICATION_ID

    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return False
    if len(head) < 100 or head[:16] != _SQLITE_HEADER or int.from_bytes(head[68:72], "big") != APPLICATION_ID:
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return size == page_size * int.from_bytes(head[28:32], "big")


def _open(path: str, key: str) -> Store | None:
    if not _complete(path):
        return None
    from rsguide.kb.store import Store

    try:
        return Store(path, key)
    except Exception:  # any unreadable store is simply rebuilt
        return None


def _build(directory: str, path: str, key: str, data_dir: str) -> None:
    """Validate the knowledge base of ``data_dir`` and write its store to ``path``, streaming: items
    go into the database as they are read, so memory does not grow with the knowledge base. A
    knowledge base that does not validate raises :class:`~rsguide.errors.DataError` (nothing is
    left behind); a cache that cannot be written only costs speed (the YAML is read instead).

    A large knowledge base (see :data:`rsguide.kb.parallel.MIN_BYTES`) is built by two processes,
    each reading, checking and rendering parts of ``items.yaml`` (:mod:`rsguide.kb.parallel`). When
    that cannot give the same store (:class:`~rsguide.kb.store.Restart`), it is built again here alone."""
    from rsguide.kb import store as store_module

    early = None
    if _large(data_dir):
        from rsguide.kb import loader as kb_module
        from rsguide.kb import parallel

        if parallel.possible():
            early = kb_module.read_core_early(data_dir)
    if early is not None:
        try:
            _build_once(directory, path, key, data_dir, early)
            return
        except store_module.Restart:
            pass
    _build_once(directory, path, key, data_dir, None)


def _large(data_dir: str) -> bool:
    from rsguide.kb.parallel import MIN_BYTES

    try:
        return os.stat(os.path.join(data_dir, "items.yaml")).st_size >= MIN_BYTES
    except (OSError, ValueError):
        return False


def _build_once(directory: str, path: str, key: str, data_dir: str, early: KnowledgeBase | None) -> None:
    import gc

    from rsguide.kb import loader as kb_module
    from rsguide.kb.store import StoreWriter

    tmp = os.path.join(directory, f"{TMP_PREFIX}{os.getpid()}-{os.urandom(6).hex()}{STORE_SUFFIX}")
    enabled = gc.isenabled()
    gc.disable()  # many small objects per batch: the collector would rescan them over and over
    writer = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
        writer = StoreWriter(tmp, early)
        if early is not None:
            from rsguide.kb.parallel import PartsReader

            core = kb_module.load_streaming(data_dir, writer.add, PartsReader(writer, early))
        else:
            core = kb_module.load_streaming(data_dir, writer.add)
        writer.finish(core, key)
        writer.close()
        writer = None
        os.replace(tmp, path)  # atomic: a concurrent first run sees the whole store or none
    except (OSError, Exception) as exc:  # sqlite3.Error included: an unwritable cache only costs speed
        if not isinstance(exc, (OSError, ValueError)) and type(exc).__module__ != "sqlite3":
            raise
    finally:
        if writer is not None:
            writer.close()
        if enabled:
            gc.enable()
        for leftover in (tmp, tmp + "-journal"):
            try:
                os.unlink(leftover)
            except OSError:
                pass
    prune(directory)


def open_store(data_dir: str | os.PathLike[str]) -> Store | None:
    """The compiled knowledge base of ``data_dir``, built (and validated) first if needed.

    ``None`` when the cache cannot be used (``RSGUIDE_NO_CACHE``, an unwritable or unsafe folder);
    a knowledge base that does not validate raises :class:`~rsguide.errors.DataError`.
    """
    if os.environ.get(NO_CACHE_ENV):
        return None
    data = os.fspath(data_dir)
    directory = usable_dir(create=True)
    if directory is None:
        return None
    key = content_key(data, directory)
    path = store_path(directory, key)
    store = _open(path, key)
    if store is not None:
        return store
    _build(directory, path, key, data)
    return _open(path, key)


def load(
    data_dir: str | os.PathLike[str], *, with_index: bool = True, use_cache: bool = True
) -> tuple[KnowledgeBase, SearchIndex | None]:
    """The whole knowledge base (and its index) from the cache, or from YAML (then cached)."""
    if use_cache:
        for _attempt in range(2):
            store = open_store(data_dir)
            if store is None:
                break
            try:
                return store.knowledge_base(), store.index() if with_index else None
            except Exception:  # a damaged store: remove it and build it again once
                remove_store(store.path)
    from rsguide.kb import loader as kb_module
    from rsguide.search.engine import build_index

    knowledge = kb_module.load(data_dir)
    return knowledge, build_index(knowledge) if with_index else None


def remove_store(path: str) -> None:
    """Delete a store of ours (never anything else)."""
    if is_own_store(path):
        try:
            os.unlink(path)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Housekeeping


def is_own_store(path: str) -> bool:
    """A regular file named ``kb-<24 hex>.sqlite``, owned by this user, that starts with SQLite's
    header and carries rsguide's application id."""
    from rsguide.kb.store import APPLICATION_ID

    name = os.path.basename(path)
    stem = name[len(STORE_PREFIX) : -len(STORE_SUFFIX)]
    if not (name.startswith(STORE_PREFIX) and name.endswith(STORE_SUFFIX) and len(stem) == 24 and set(stem) <= _HEX):
        return False
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or not _owned_private(st):
            return False
        with open(path, "rb") as fh:
            head = fh.read(72)
    except OSError:
        return False
    return head[:16] == _SQLITE_HEADER and int.from_bytes(head[68:72], "big") == APPLICATION_ID


def _is_old_store(path: str) -> bool:
    """A folder of the pickle format: named ``kb-<24 hex>`` or ``.kb-tmp-*``, holding nothing but its files."""
    name = os.path.basename(path)
    stem = name[len(STORE_PREFIX) :]
    if not ((name.startswith(STORE_PREFIX) and len(stem) == 24 and set(stem) <= _HEX) or name.startswith(TMP_PREFIX)):
        return False
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return False
        entries = os.listdir(path)
        return set(entries) <= _OLD_STORE_FILES and all(
            stat.S_ISREG(os.lstat(os.path.join(path, e)).st_mode) for e in entries
        )
    except OSError:
        return False


def _remove_old_store(path: str) -> None:
    for entry in os.listdir(path):
        os.unlink(os.path.join(path, entry))
    os.rmdir(path)


def _is_leftover(path: str, now: float, min_age: float) -> bool:
    """A temporary file of ours (a store being built, or a key being remembered) left by a killed run
    or a full disk."""
    name = os.path.basename(path)
    ours = (
        name.startswith(TMP_PREFIX) and (name.endswith(STORE_SUFFIX) or name.endswith(STORE_SUFFIX + "-journal"))
    ) or (name.startswith(MEMO_PREFIX) and name.endswith(".tmp"))
    if not ours:
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _owned_private(st) and now - st.st_mtime >= min_age


def _is_memo(path: str) -> bool:
    name = os.path.basename(path)
    stem = name[len(MEMO_PREFIX) :]
    if name.endswith(".pickle"):  # the key memo of the pickle format
        stem = stem[: -len(".pickle")]
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return name.startswith(MEMO_PREFIX) and len(stem) == 16 and set(stem) <= _HEX and stat.S_ISREG(st.st_mode)


def prune(directory: str, *, keep: int = KEEP, min_age: float = STALE_SECONDS) -> int:
    """Remove stores beyond the ``keep`` newest, stale temporary files and stores of the old format;
    only files the cache recognises as its own. Returns how many stores were removed."""
    import time

    now = time.time()
    stores: list[tuple[float, str]] = []
    removed = 0
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if is_own_store(path):
                stores.append((os.lstat(path).st_mtime, path))
            elif _is_leftover(path, now, min_age):
                os.unlink(path)
            elif _is_old_store(path):
                _remove_old_store(path)
                removed += 1
            elif name.endswith(".pickle") and _is_memo(path):
                os.unlink(path)
        except FileNotFoundError:
            continue
    stores.sort(reverse=True)
    for _mtime, path in stores[keep:]:
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            pass
    return removed


class CacheInfo:
    """What ``rsguide cache info`` reports."""

    def __init__(self, directory: Path, current: Path, current_exists: bool, files: list[tuple[Path, int]]) -> None:
        self.directory = directory
        self.current = current
        self.current_exists = current_exists
        self.files = files


def info(data_dir: str | os.PathLike[str]) -> CacheInfo:
    """The cache directory, the store for the current knowledge base and all stores."""
    from pathlib import Path

    directory = cache_dir()
    usable = usable_dir(create=False)
    current = store_path(directory, content_key(data_dir, usable))
    stores: list[tuple[Path, int]] = []
    if usable is not None:
        for name in sorted(os.listdir(usable)):
            path = os.path.join(usable, name)
            if is_own_store(path):
                stores.append((Path(path), os.lstat(path).st_size))
    return CacheInfo(Path(directory), Path(current), usable is not None and is_own_store(current), stores)


def clear() -> int:
    """Delete every compiled knowledge base of ours, the remembered keys and any leftovers; returns how
    many stores were removed. A folder that cannot be changed is an :class:`~rsguide.errors.OutputError`."""
    directory = cache_dir()
    try:
        st = os.lstat(directory)
    except (OSError, ValueError):
        return 0
    if not stat.S_ISDIR(st.st_mode):
        return 0
    try:
        count = prune(directory, keep=0, min_age=0)
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            if _is_memo(path):
                os.unlink(path)
    except OSError as exc:
        from rsguide.errors import OutputError

        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"无法清除缓存目录 {directory!r}（{reason}）", hint="请检查该目录的权限") from None
    return count
