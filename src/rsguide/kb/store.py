"""The compiled knowledge base: one SQLite database (standard-library :mod:`sqlite3`) per knowledge base.

Tables (every value is plain data: JSON text, numbers, or packed arrays of numbers — nothing in the
store is executable, there is no pickle):

- ``meta``: the format, the content key and the item count;
- ``parts``: the knowledge base apart from its items — categories, conditions, offices, rule
  subjects, 禁办 and 容缺 rules, synonyms — one JSON row per element;
- ``items``: one row per item: the item as JSON, and its card (``rsguide show``) rendered at build
  time as plain text, compact JSON (zlib-compressed, indented as it is read) and view blocks, so that
  ``show`` reads one row;
- ``names``: folded name, heading or alias → 序号;
- ``ix_layout``, ``ix_rows``, ``ix_map``, ``ix_value``: the search index. The store does not know the
  index's fields by name: each field of :class:`~rsguide.search.engine.SearchIndex` is stored by its shape
  (:func:`index_layout`) — parallel lists become columns of ``ix_rows``; a mapping to lists of ints
  becomes packed int arrays per key (candidate lists, capped, see :data:`LIST_CAP`); a mapping to
  ``{int: float}`` becomes packed pairs; any other mapping JSON per key; anything else one JSON
  value. Reading gives back a :class:`SearchIndex` whose fields read rows on demand.

The file is written under a temporary name and renamed into place, so a reader sees a complete
store or none; stores are never modified after that, which is why readers open them immutable.
"""

from __future__ import annotations

import sqlite3
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from rsguide.records import field_map, fields, replace

TYPE_CHECKING = False  # typing is not imported at run time: ``show`` reads one row through this module
if TYPE_CHECKING:
    from typing import Any

    from rsguide.model import Item, KnowledgeBase
    from rsguide.search.engine import SearchIndex

FORMAT = f"rsguide-store-14/{sys.byteorder}"  # 14: plain card and blocks stored as text, not zlib; 13: exact texts through an SQL index, bigram items in 序号 order; 12: the JSON card stored compact; 11: the conditions of eligibility.yaml; 5: compact card stored; 6: rowid index maps; 7: the card says a guide-only 可容缺受理 is not on the list; 8: concept descriptions, large lexicon tables as rows; 9: cards name who issues a material; 10: out-of-scope rules keep their words
"""Stored in ``meta``; a store of another format is not read."""
APPLICATION_ID = 0x72736775
"""SQLite's application id ("rsgu") in the file header: how the cache recognises its own stores."""
LIST_CAP = 4001
"""Longest stored candidate list (one more than :data:`rsguide.search.engine.MAX_POSTINGS`, so that "too
common to select by" is still recognised)."""
LIST_CAPS = {"by_text": 256}
"""Shorter caps for particular index fields: an exact text shared by thousands of items (身份证) ties
them all; the first ones by 序号 are the ones a ranked list would show anyway."""
EXACT = {"by_text": ("texts", "fields")}
"""Index fields that are the inverse of a row column (text → its positions), capped per group (the
field of each position): not stored as lists but read through an SQL index on ``ix_rows`` (kind
``exact``, :class:`ExactTexts`) — a province's ≈ 750,000 exact texts cost a build nothing to join."""
EAGER_ROWS = 5000
"""Index rows read all at once when there are no more than this many (a small knowledge base)."""
EAGER_MAP = 4096
"""JSON mappings with no more entries than this are read whole (synonyms)."""


# ---------------------------------------------------------------------------------------------
# Plain data ⇄ model dataclasses


_PLAIN = frozenset({str, int, float, bool, type(None)})
_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def encode(obj: Any) -> Any:
    """A model object as JSON-able data (dataclasses as objects of their init fields)."""
    cls = obj.__class__
    if cls in _PLAIN:
        return obj
    names = _INIT_FIELDS.get(cls)
    if names is None:
        fields = field_map(obj) if not isinstance(obj, type) else None
        if fields is None:
            if isinstance(obj, (tuple, list)):
                return [encode(v) for v in obj]
            if isinstance(obj, dict):
                return {k: encode(v) for k, v in obj.items()}
            return obj
        names = tuple(name for name, f in fields.items() if f.init)
        if isinstance(cls, type) and not isinstance(obj, type):
            _INIT_FIELDS[cls] = names
    return {name: encode(getattr(obj, name)) for name in names}


def _fields_of(obj: Any) -> dict[str, Any]:
    """A dataclass as the mapping of its init fields (the ``default`` of :func:`dumps`)."""
    cls = obj.__class__
    names = _INIT_FIELDS.get(cls)
    if names is None:
        fields = field_map(obj) if not isinstance(obj, type) else None
        if fields is None:
            raise TypeError(f"Object of type {cls.__name__} is not JSON serializable")
        names = tuple(name for name, f in fields.items() if f.init)
        if isinstance(cls, type) and not isinstance(obj, type):
            _INIT_FIELDS[cls] = names
    return {name: getattr(obj, name) for name in names}


def dumps(obj: Any) -> str:
    """``json.dumps(encode(obj), ensure_ascii=False)``, with the standard library's C encoder walking
    the lists and mappings itself (only dataclasses pass through Python)."""
    import json

    # A model object is a tree (frozen records made from YAML): no reference cycle to look for.
    return json.dumps(obj, ensure_ascii=False, default=_fields_of, check_circular=False)


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def decoder(tp: Any) -> Callable[[Any], Any]:
    """A function turning :func:`encode`'s output back into an object of type ``tp``."""
    try:
        return _DECODERS[tp]
    except (KeyError, TypeError):
        pass
    fn = _make_decoder(tp)
    try:
        _DECODERS[tp] = fn
    except TypeError:  # pragma: no cover - unhashable type hint
        pass
    return fn


def _identity(value: Any) -> Any:
    return value


class _AnyType:
    """``Any`` in an annotation (typing is not imported to resolve it)."""


def _hints(tp: type) -> dict[str, Any]:
    """The annotations of a record or dataclass and its bases, resolved in their modules (as
    :func:`typing.get_type_hints` does, without importing :mod:`typing`)."""
    out: dict[str, Any] = {}
    for cls in reversed(tp.__mro__):
        module = sys.modules.get(cls.__module__)
        env = vars(module) if module is not None else {}
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - inspect costs 5 ms
            if not isinstance(annotation, str):
                out[name] = annotation
                continue
            key = (cls.__module__, annotation)  # most are the same few (str, str | None, tuple[str, ...])
            if key not in _RESOLVED:
                _RESOLVED[key] = eval(annotation, env, {"Any": _AnyType})
            out[name] = _RESOLVED[key]
    return out


_RESOLVED: dict[tuple[str, str], Any] = {}


def _make_decoder(tp: Any) -> Callable[[Any], Any]:
    import collections.abc
    import types

    fmap = field_map(tp) if isinstance(tp, type) else None
    if fmap is not None:
        hints = _hints(tp)
        subs = {name: decoder(hints[name]) for name, f in fmap.items() if f.init}

        plain = frozenset(name for name, fn in subs.items() if fn is _identity)
        known = subs.keys()
        converted = [(name, fn) for name, fn in subs.items() if fn is not _identity]

        def dc(value: Any) -> Any:
            if known >= value.keys():  # no key to leave out (every stored row): convert the others only
                if not converted:
                    return tp(**value)
                kwargs = dict(value)
                for name, fn in converted:
                    if name in kwargs:
                        kwargs[name] = fn(kwargs[name])
                return tp(**kwargs)
            return tp(**{k: v if k in plain else subs[k](v) for k, v in value.items() if k in subs})

        return dc
    origin, args = getattr(tp, "__origin__", None), getattr(tp, "__args__", ())
    if isinstance(tp, types.UnionType):
        origin = types.UnionType
    if origin is tuple:
        sub = decoder(args[0]) if args else _identity
        if sub is _identity:
            return tuple
        return lambda value: tuple([sub(v) for v in value])
    if origin is list:
        sub = decoder(args[0]) if args else _identity
        return lambda value: [sub(v) for v in value]
    if origin is dict or origin is collections.abc.Mapping:
        key = int if args and args[0] is int else _identity
        sub = decoder(args[1]) if args else _identity
        return lambda value: {key(k): sub(v) for k, v in value.items()}
    if origin is types.UnionType or (origin is not None and getattr(origin, "_name", None) == "Union"):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            sub = decoder(options[0])
            if sub is _identity:
                return _identity
            return lambda value: None if value is None else sub(value)
    return _identity


def item_from_json(text: str) -> Item:
    """An :class:`~rsguide.model.Item` from its row."""
    import json

    from rsguide.model import Item

    item: Item = decoder(Item)(json.loads(text))
    return item


# ---------------------------------------------------------------------------------------------
# Index layout


def index_layout(index: Any) -> list[tuple[str, str]]:
    """``(field, kind)`` for each field of a search index, by the shape of its value:
    ``rows`` (a list as long as the first list), ``ints`` (mapping → list of ints), ``weights``
    (mapping → {int: float}), ``json`` (any other mapping), ``value`` (anything else); ``exact``
    for the fields of :data:`EXACT`."""
    out: list[tuple[str, str]] = []
    n_rows: int | None = None
    for f in fields(index):
        value = getattr(index, f.name)
        if f.name in EXACT:
            out.append((f.name, "exact"))
        elif isinstance(value, list) and (n_rows is None or len(value) == n_rows):
            n_rows = len(value)
            out.append((f.name, "rows"))
        elif isinstance(value, dict) and value:
            values = value.values()
            keys_ok = all(isinstance(k, (int, str)) for k in value)
            if keys_ok and all(isinstance(v, list) and all(type(x) is int for x in v) for v in values):
                out.append((f.name, "ints"))
            elif keys_ok and all(
                isinstance(v, dict) and all(type(k) is int and isinstance(w, float) for k, w in v.items())
                for v in values
            ):
                out.append((f.name, "weights"))
            elif keys_ok:
                out.append((f.name, "json"))
            else:
                out.append((f.name, "value"))
        else:
            out.append((f.name, "value"))
    return out


def _pack_ints(values: Sequence[int]) -> tuple[str, bytes]:
    code = "i" if not values or (max(values) < 2**31 and min(values) >= -(2**31)) else "q"
    return code, array(code, values).tobytes()


def _group_codes(groups: Sequence[str], code_of: dict[str, int] | None = None) -> bytes:
    """The group of each position as one byte (for :func:`_cap_packed`); ``code_of`` (the byte of
    each group so far, extended here) carries the codes from one batch to the next."""
    code_of = {} if code_of is None else code_of
    for g in dict.fromkeys(groups):
        if g not in code_of:
            if len(code_of) == 255:
                raise ValueError("too many groups")
            code_of[g] = len(code_of)
    return bytes(map(code_of.__getitem__, groups))


def _cap_packed(blob: bytes, cap: int, codes: bytes | bytearray | None) -> bytes:
    """The first ``cap`` positions of each group (the field of each position, when the index has one),
    so that a rare field's texts are not pushed out by a common one's: packed int32 positions, the
    group of each given by ``codes`` (see :func:`_group_codes`), capped in C loops (a list of 100,000
    positions in milliseconds)."""
    from itertools import compress

    positions = array("i", blob)
    if len(positions) <= cap:
        return blob
    if codes is None:
        return positions[:cap].tobytes()
    groups = bytes(map(codes.__getitem__, positions))
    cuts: list[tuple[int, int]] = []  # (index of a group's first position over the cap, group)
    for g in set(groups):
        pieces = groups.split(bytes((g,)), cap + 1)  # cut at the group's first cap + 1 positions
        if len(pieces) == cap + 2:
            cuts.append((len(groups) - len(pieces[-1]) - 1, g))
    if not cuts:
        return blob
    cuts.sort()
    keep = bytearray(b"\x01") * cuts[0][0]
    dropped = bytearray(b"\x01") * 256
    for i, (at, g) in enumerate(cuts):
        dropped[g] = 0
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(groups)
        keep += groups[at:end].translate(dropped)
    return array("i", compress(positions, keep)).tobytes()


# ---------------------------------------------------------------------------------------------
# Writing


_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE parts(name TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(name, seq));
CREATE TABLE items(number INTEGER PRIMARY KEY, json TEXT NOT NULL, plain BLOB NOT NULL, json_text BLOB NOT NULL,
                   blocks BLOB NOT NULL);
CREATE TABLE names(key TEXT PRIMARY KEY, number INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE ix_layout(field TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE ix_map(field TEXT NOT NULL, key NOT NULL, code TEXT NOT NULL, value BLOB NOT NULL,
                    weights BLOB, PRIMARY KEY(field, key));
CREATE TABLE ix_value(field TEXT PRIMARY KEY, json TEXT NOT NULL);
"""


def _card(kb: KnowledgeBase, item: Item) -> tuple[str, bytes, str]:
    """The card of ``show`` for an item found by number or name, as the fast path prints it: plain
    text, compact JSON (see :func:`read_card`) and the view blocks (for the table). The JSON,
    ≈ 4 kB, is zlib-compressed UTF-8; the plain text and the blocks, ≈ 0.6 and 0.8 kB, are stored as
    text (compressing them cost ≈ 0.8 s of CPU per 20,000 items for ≈ 0.55 kB less per item)."""
    import json

    from rsguide.output.card import compact_blocks
    from rsguide.output.render import to_plain
    from rsguide.output.serialize import item_dict

    # The card for the window (--full goes the slow way): the blocks and data of compact_card,
    # without rendering the full card's blocks only to keep its data.
    out = compact_blocks(kb, item, [])
    # Blocks hold text and lists of text: their fields as they are (JSON writes tuples as lists).
    blocks = [{"type": type(b).__name__, **b.as_dict()} for b in out]
    # The JSON card is stored compact (the C encoder; the indented text of ``show -f json`` cost ≈ 8 s
    # of a cold build at 100,000 items and made zlib's input 40 % longer): read_card indents it.
    # Level 1: level 6 spent twice the time (≈ 30 s of a cold build at 100,000 items) for cards
    # ≈ 12 % smaller (the whole store ≈ 0.1 % at 10,000 items); any level reads back the same.
    # Both are trees of new lists and dicts: no reference cycle to look for.
    data = item_dict(kb, item)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return to_plain(out), zlib.compress(text.encode(), 1), json.dumps(blocks, ensure_ascii=False, check_circular=False)


def _create(path: str, *pragmas: str) -> sqlite3.Connection:
    """A new store file with its schema, inside an open transaction (``pragmas`` run before it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA page_size=8192")  # before anything is written, or it has no effect
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    for pragma in pragmas:
        conn.execute(pragma)
    conn.execute("BEGIN")
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    return conn


def _write_parts(conn: sqlite3.Connection, kb: KnowledgeBase) -> None:
    """Every part of the knowledge base but its items, one JSON row per element."""
    import json

    for f in fields(kb):
        if not f.init or f.name == "items":
            continue
        value = getattr(kb, f.name)
        rows = list(value) if isinstance(value, tuple) else [value]
        conn.executemany(
            "INSERT INTO parts VALUES (?, ?, ?)",
            ((f.name, i, json.dumps(encode(v), ensure_ascii=False)) for i, v in enumerate(rows)),
        )


def write_store(path: str, key: str, kb: KnowledgeBase, index: SearchIndex) -> None:
    """Write the store of ``kb`` and ``index`` to ``path`` (a new file)."""
    import json

    conn = _create(path)
    try:
        _write_parts(conn, kb)
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?)",
            ((it.number, json.dumps(encode(it), ensure_ascii=False), *_card(kb, it)) for it in kb.items),
        )
        conn.executemany("INSERT INTO names VALUES (?, ?)", kb.name_table().items())
        _write_index(conn, index)
        meta = {"format": FORMAT, "key": key, "items": str(len(kb.items))}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.execute("COMMIT")
    finally:
        conn.close()


def _write_index(conn: sqlite3.Connection, index: SearchIndex) -> None:
    import json

    layout = index_layout(index)
    row_fields = [name for name, kind in layout if kind == "rows"]
    group = getattr(index, "fields", None) if "fields" in row_fields else None
    codes = _group_codes(group) if group else None
    if row_fields:
        cols = ", ".join(f'"c_{name}"' for name in row_fields)
        conn.execute(f"CREATE TABLE ix_rows(pos INTEGER PRIMARY KEY, {cols})")
        marks = ", ".join("?" * (len(row_fields) + 1))
        columns = [getattr(index, name) for name in row_fields]
        conn.executemany(
            f"INSERT INTO ix_rows VALUES ({marks})", ((i, *vals) for i, vals in enumerate(zip(*columns, strict=True)))
        )
    for seq, (name, kind) in enumerate(layout):
        value = getattr(index, name)
        size = len(value) if kind != "value" else 0
        conn.execute("INSERT INTO ix_layout VALUES (?, ?, ?, ?)", (name, kind, size, seq))
        if kind == "ints":
            cap = LIST_CAPS.get(name, LIST_CAP)
            conn.executemany(
                "INSERT INTO ix_map VALUES (?, ?, ?, ?, NULL)",
                ((name, k, "i", _cap_packed(array("i", v).tobytes(), cap, codes)) for k, v in value.items()),
            )
        elif kind == "weights":
            conn.executemany(
                "INSERT INTO ix_map VALUES (?, ?, ?, ?, ?)",
                ((name, k, *_pack_ints(list(v)), array("d", v.values()).tobytes()) for k, v in value.items()),
            )
        elif kind == "json":
            conn.executemany("INSERT INTO ix_map VALUES (?, ?, 'json', ?, NULL)", _json_rows(name, value))
        elif kind == "value":
            conn.execute("INSERT INTO ix_value VALUES (?, ?)", (name, json.dumps(encode(value), ensure_ascii=False)))
    _write_exact(conn, layout, group or ())


def _write_exact(conn: sqlite3.Connection, layout: list[tuple[str, str]], groups: Iterable[str]) -> None:
    """The SQL index of each ``exact`` field (see :data:`EXACT`), once ``ix_rows`` is written, and
    what its reader needs: the columns, the groups and the cap."""
    import json

    for name, kind in layout:
        if kind == "exact":
            text, group = EXACT[name]
            conn.execute(f'CREATE INDEX "ix_rows_{name}" ON ix_rows("c_{text}", "c_{group}")')
            spec = {"text": text, "group": group, "groups": sorted(set(groups)), "cap": LIST_CAPS.get(name, LIST_CAP)}
            conn.execute("INSERT INTO ix_value VALUES (?, ?)", (name, json.dumps(spec, ensure_ascii=False)))


SPLIT = "$rows"
"""The key of the JSON value standing for a mapping stored as rows of its own (see :func:`_json_rows`)."""
SPLIT_BYTES = 65536
"""A JSON mapping value longer than this is stored as rows of its own (see :func:`_json_rows`)."""


def _json_rows(name: str, value: Mapping[Any, Any]) -> Iterator[tuple[str, Any, str]]:
    """``(field, key, JSON text)`` rows of a JSON mapping field of the index. A value that is itself a
    mapping of more than :data:`EAGER_MAP` entries or :data:`SPLIT_BYTES` of JSON (the concept
    lexicon's item → description table, the items of each description) is stored as rows of its
    own, under the field ``name/key``, and read one key at a time; its row says where
    (``{"$rows": field, "size": n}``)."""
    import json

    for k, v in value.items():
        text = json.dumps(encode(v), ensure_ascii=False)
        if isinstance(v, Mapping) and (len(v) > EAGER_MAP or len(text) > SPLIT_BYTES):
            sub = f"{name}/{k}"
            yield name, k, json.dumps({SPLIT: sub, "size": len(v)})
            yield from ((sub, kk, json.dumps(encode(vv), ensure_ascii=False)) for kk, vv in v.items())
        else:
            yield name, k, text


BATCH = 2000
"""Items per batch of the streamed build (cards and index written, then forgotten)."""


class Restart(Exception):
    """A parallel build cannot finish as it started (a part that does not read as a part of the
    items list, items not in 序号 order, a knowledge base other than the one read ahead, a worker
    that failed): the caller builds again in one process."""


class _Batch:
    """What a batch of items adds to the store, computed apart from the database (in either process
    of a parallel build): the items' cards, their names, the index's rows and candidate-list
    parts, and the batch index's other fields."""

    __slots__ = ("cards", "groups", "ints", "layout", "names", "rows", "size", "values")

    def __init__(
        self,
        cards: list[tuple[Any, ...]],
        names: list[tuple[str, int]],
        rows: list[tuple[Any, ...]],
        ints: list[tuple[Any, ...]],
        values: dict[str, Any],
        groups: list[str],
        size: int,
        layout: list[tuple[str, str]],
    ) -> None:
        self.cards, self.names, self.rows, self.ints = cards, names, rows, ints
        self.values, self.groups, self.size, self.layout = values, groups, size, layout


def _compute_batch(
    texts: Sequence[str],
    core: KnowledgeBase,
    offset: int,
    layout: list[tuple[str, str]] | None,
) -> _Batch:
    """The cards, names and index of the items whose rows are ``texts`` (in 序号 order), as
    :meth:`StoreWriter.finish` writes them; ``core`` is the knowledge base without items (what a
    card looks at besides its item) and ``offset`` the first index position of the batch. The index's
    ``concepts`` field is left out (the writer stores the lexicon once)."""
    import json

    decode = decoder(_item_type())
    return batch_of(tuple(decode(json.loads(text)) for text in texts), core, offset, layout)


def batch_of(
    items: tuple[Item, ...],
    core: KnowledgeBase,
    offset: int | None,
    layout: list[tuple[str, str]] | None,
) -> _Batch:
    """:func:`_compute_batch` of items already built. With ``offset`` ``None`` the index positions are
    counted from the batch's first one and its rows carry no position: :meth:`StoreWriter.apply_part`
    shifts them when it writes the batch (a part read while the parts before it are not yet counted)."""
    import dataclasses

    from rsguide.search.engine import build_index

    kb = dataclasses.replace(core, items=items)
    card_rows = _cards(kb)
    names = [(_fold(text), it.number) for it in items for text in (it.name, it.heading, *it.aliases) if text]
    index = build_index(kb)
    if layout is None:
        layout = index_layout(index)
    row_fields = [name for name, kind in layout if kind == "rows"]
    rows: list[tuple[Any, ...]] = []
    groups: list[str] = []
    size = 0
    if row_fields:
        columns = [getattr(index, name) for name in row_fields]
        size = len(columns[0])
        if offset is None:
            rows = list(zip(*columns, strict=True))
        else:
            rows = [(offset + i, *vals) for i, vals in enumerate(zip(*columns, strict=True))]
        if "fields" in row_fields:
            groups = index.fields
    ints: list[tuple[Any, ...]] = []
    values: dict[str, Any] = {}
    base = offset or 0
    for name, kind in layout:
        value = getattr(index, name)
        if kind == "ints":
            ints.extend(
                (name, k, base, _pack_ints([base + p for p in v] if base else v)[1], None) for k, v in value.items()
            )
        elif kind == "weights":
            ints.extend(
                (name, k, base, _pack_ints(list(v))[1], array("d", v.values()).tobytes()) for k, v in value.items()
            )
        elif kind in ("json", "value") and name != "concepts":
            values[name] = value
    return _Batch(card_rows, names, rows, ints, values, groups, size, layout)


def _cards(kb: KnowledgeBase) -> list[tuple[Any, ...]]:
    """``(序号, plain, JSON text, blocks)`` of each item of ``kb`` (see :func:`_card`)."""
    return [(it.number, *_card(kb, it)) for it in kb.items]


class _FirstLimit(dict[str, int]):
    """The limit of a candidate list of each field before it is first capped (bytes: twice its cap)."""

    def __missing__(self, name: str) -> int:
        self[name] = limit = 8 * LIST_CAPS.get(name, LIST_CAP)
        return limit


class StoreWriter:
    """A store written while the knowledge base is read, in bounded memory.

    :meth:`add` takes each item as it is read and validated (its row is kept in a temporary table);
    :meth:`finish`, once the whole knowledge base has validated, reads the items back in 序号
    order a batch at a time and writes their cards, names and search index (each batch's index is
    built as :func:`rsguide.search.build_index` builds it and its positions shifted; candidate lists
    are joined across batches and capped at the end). Nothing but the index's position → field list
    grows with the number of items. Produces the same store as :func:`write_store`.

    A parallel build (:mod:`rsguide.kb.parallel`) hands over whole batches instead, computed from
    parts of ``items.yaml`` in file order, through :meth:`apply_part`; given ``early`` (the knowledge
    base without items that the parts were rendered with), :meth:`finish` raises :class:`Restart`
    when the knowledge base read turns out to differ from it.
    """

    def __init__(self, path: str, early: KnowledgeBase | None = None) -> None:
        self.conn = _create(path, "PRAGMA temp_store=FILE", "PRAGMA cache_size=-32000")  # 32 MB of pages at most
        conn = self.conn
        conn.execute("CREATE TEMP TABLE staged(seq INTEGER PRIMARY KEY, number INTEGER NOT NULL, json TEXT NOT NULL)")
        self._pending: list[tuple[int, str]] = []
        self._count = 0
        self._early = early
        self._parts = False  # batches came through apply_part
        self._last = 0  # the last 序号 written by apply_part
        self._layout: list[tuple[str, str]] | None = None
        self._firsts: dict[str, Any] = {}
        self._codes = bytearray()  # the index's field of each position, one byte each (for the caps)
        self._code_of: dict[str, int] = {}  # the field of each byte
        # Each key's candidate list (packed int32, and its weights), the batches' parts end to end,
        # capped as it grows (capping a list's beginning, then the whole, keeps what capping the
        # whole keeps) whenever it passes its limit (bytes: twice the cap, or the list last capped).
        self._lists: dict[tuple[str, Any], bytearray] = {}
        self._weights: dict[tuple[str, Any], bytearray] = {}
        self._limits: dict[tuple[str, Any], int] = {}
        self._first_limit = _FirstLimit()
        self._offset = 0

    def add(self, item: Item) -> None:
        """Keep one item (as its JSON row) for :meth:`finish`."""
        self._pending.append((item.number, dumps(item)))
        if len(self._pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._count += len(self._pending)
        self.conn.executemany("INSERT INTO staged(number, json) VALUES (?, ?)", self._pending)
        self._pending = []

    def apply_part(self, b: _Batch, texts: Sequence[str], first: int) -> None:
        """Write the batch of a part of the items (:func:`batch_of` without an offset; ``texts`` its
        items' JSON rows, ``first`` its first 序号), after every part before it."""
        if first <= self._last or (self._layout is not None and b.layout != self._layout):
            raise Restart("items not in 序号 order" if first <= self._last else "index layouts differ")
        self._parts = True
        self._count += len(texts)
        off = self._offset
        b.rows = [(off + i, *vals) for i, vals in enumerate(b.rows)]
        self._apply(b, texts, shift=off)
        self._last = int(b.cards[-1][0]) if b.cards else self._last

    def close(self) -> None:
        """Close the database (the caller removes an unfinished file)."""
        self.conn.close()

    def _apply(self, b: _Batch, texts: Sequence[str], shift: int = 0) -> None:
        """Write one batch (see :func:`_compute_batch`; ``texts`` its items' JSON rows; ``shift``: how
        far its candidate lists' positions are to be moved up)."""
        conn = self.conn
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?)",
            ((number, text, *card) for (number, *card), text in zip(b.cards, texts, strict=True)),
        )
        conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", b.names)
        if self._layout is None:
            self._layout = b.layout
            row_fields = [name for name, kind in b.layout if kind == "rows"]
            _create_rows(conn, row_fields)
            self._marks = ", ".join("?" * (len(row_fields) + 1))
        if b.rows:
            conn.executemany(f"INSERT INTO ix_rows VALUES ({self._marks})", b.rows)
        self._codes += _group_codes(b.groups, self._code_of)
        kinds = dict(self._layout)
        self._keep_lists(b.ints, shift)
        for name, value in b.values.items():
            self._value(name, kinds[name], value)
        self._offset += b.size

    def _value(self, name: str, kind: str, value: Any) -> None:
        """A JSON field of the index, written once while it is the same in every batch (synonyms,
        the concept lexicon)."""
        import json

        firsts = self._firsts
        if name in firsts and (firsts[name] is value or firsts[name] == value):
            return
        if kind == "value":
            if name in firsts:
                raise ValueError(f"index field {name} differs between batches")
            self.conn.execute(
                "INSERT INTO ix_value VALUES (?, ?)", (name, json.dumps(encode(value), ensure_ascii=False))
            )
        else:
            self.conn.executemany(
                "INSERT OR IGNORE INTO ix_map VALUES (?, ?, 'json', ?, NULL)", _json_rows(name, value)
            )
        firsts.setdefault(name, value)

    def finish(self, core: KnowledgeBase, key: str) -> None:
        """Write everything else of the knowledge base ``core`` (without items) and the index."""
        import dataclasses

        from rsguide.search.concepts import compile_lexicon
        from rsguide.search.engine import SearchIndex

        if self._pending:
            self._flush()
        conn = self.conn
        bare = dataclasses.replace(core, items=(), concepts=None)
        if self._early is not None and self._early != bare:
            raise Restart("the knowledge base differs from the one read ahead")
        _write_parts(conn, core)
        lexicon = compile_lexicon(core.concepts)
        self._value("concepts", dict(index_layout(SearchIndex(concepts=lexicon)))["concepts"], lexicon)
        if not self._parts:
            cursor = conn.execute("SELECT json FROM staged ORDER BY number, seq")
            while True:
                rows = cursor.fetchmany(BATCH)
                if not rows and self._layout is not None:
                    break
                texts = [text for (text,) in rows]
                self._apply(_compute_batch(texts, bare, self._offset, self._layout), texts)
                if not rows:
                    break
        layout = self._layout
        assert layout is not None
        self._merge(layout)
        _write_exact(conn, layout, self._code_of)
        sizes = dict(conn.execute("SELECT field, count(*) FROM ix_map GROUP BY field").fetchall())
        for name, kind in layout:
            if kind == "exact":  # how many texts: the SQL index counts them
                (sizes[name],) = conn.execute(f'SELECT count(DISTINCT "c_{EXACT[name][0]}") FROM ix_rows').fetchone()
        for seq, (name, kind) in enumerate(layout):
            size = self._offset if kind == "rows" else 0 if kind == "value" else int(sizes.get(name, 0))
            conn.execute("INSERT INTO ix_layout VALUES (?, ?, ?, ?)", (name, kind, size, seq))
        meta = {"format": FORMAT, "key": key, "items": str(self._count)}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.execute("COMMIT")
        conn.execute("DROP TABLE temp.staged")

    def _keep_lists(self, ints: list[tuple[Any, ...]], shift: int) -> None:
        """Add a batch's candidate-list parts (``(field, key, seq, packed, weights)``) to each key's list,
        positions moved up by ``shift`` (all of the batch's at once: a part has thousands of short lists)."""
        lists, weights, limits = self._lists, self._weights, self._limits
        codes = self._codes if self._codes else None
        view: memoryview | None = None
        if shift:
            moved = array("i", b"".join(value for _name, _k, _seq, value, w in ints if w is None))
            view = memoryview(array("i", [shift + p for p in moved])).cast("B")
        at = 0
        for name, k, _seq, value, w in ints:
            key = (name, k)
            if w is not None:  # {item: weight}: item numbers, nothing to move or cap
                got = lists.get(key)
                if got is None:
                    lists[key], weights[key] = bytearray(value), bytearray(w)
                else:
                    got += value
                    weights[key] += w
                continue
            if view is not None:
                value, at = view[at : at + len(value)], at + len(value)
            got = lists.get(key)
            if got is None:
                lists[key] = got = bytearray(value)
            else:
                got += value
            if len(got) > limits.get(key, self._first_limit[name]):  # cap now: memory stays within twice
                cap = LIST_CAPS.get(name, LIST_CAP)  # the stored list
                capped = _cap_packed(bytes(got), cap, codes)
                lists[key] = bytearray(capped)
                limits[key] = 8 * max(cap, len(capped) // 4)

    def _merge(self, layout: list[tuple[str, str]]) -> None:
        """Join each key's candidate lists of all batches, cap them, and store them (in key order)."""
        kinds = dict(layout)
        codes = bytes(self._codes) if self._codes else None
        lists, weights = self._lists, self._weights

        def joined() -> Iterator[tuple[Any, ...]]:
            for key in sorted(lists, key=lambda nk: (nk[0], isinstance(nk[1], str), nk[1])):
                name, k = key
                keys = bytes(lists.pop(key))
                if kinds[name] == "ints":
                    cap = LIST_CAPS.get(name, LIST_CAP)
                    if len(keys) // 4 <= cap:  # nothing to cap: the batches' int32 arrays, end to end
                        yield name, k, "i", keys, None
                    else:
                        yield name, k, "i", _cap_packed(keys, cap, codes), None
                else:
                    yield name, k, "i", keys, bytes(weights.pop(key))

        self.conn.executemany("INSERT INTO ix_map VALUES (?, ?, ?, ?, ?)", joined())


def _create_rows(conn: sqlite3.Connection, row_fields: list[str]) -> None:
    if row_fields:
        cols = ", ".join(f'"c_{name}"' for name in row_fields)
        conn.execute(f"CREATE TABLE ix_rows(pos INTEGER PRIMARY KEY, {cols})")


def _fold(text: str) -> str:
    from rsguide.search.normalize import fold

    return fold(text)


def _item_type() -> Any:
    from rsguide.model import Item

    return Item


# ---------------------------------------------------------------------------------------------
# Reading


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection to a finished store (stores never change once renamed into place)."""
    uri = "file:" + path.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    return conn


class Store:
    """An opened compiled knowledge base: explicit, typed reads of one row at a time."""

    def __init__(self, path: str, key: str) -> None:
        self.path = path
        self.conn = connect(path)
        meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT or meta.get("key") != key:
            self.conn.close()
            raise ValueError("not a store of this knowledge base")
        self.item_count = int(meta["items"])
        self._core: KnowledgeBase | None = None
        self._numbers: list[int] | None = None

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    # items

    def item_json(self, number: int) -> str | None:
        """The item's row (JSON text), or ``None``."""
        row = self.conn.execute("SELECT json FROM items WHERE number = ?", (number,)).fetchone()
        return row[0] if row else None

    def item(self, number: int) -> Item | None:
        """The item with this 序号, or ``None``."""
        text = self.item_json(number)
        if text is None:
            return None
        item = item_from_json(text)
        if item.number != number:
            raise ValueError("corrupt item record")
        return item

    def item_category(self, number: int) -> int | None:
        """The category of the item with this 序号, read from its row without decoding the item."""
        text = self.item_json(number)
        if text is None:
            return None
        import json

        row = json.loads(text)
        if not isinstance(row, dict) or row.get("number") != number or type(row.get("category")) is not int:
            raise ValueError("corrupt item record")
        category: int = row["category"]
        return category

    def items(self) -> Iterator[Item]:
        """Every item in 序号 order, decoded one at a time."""
        for (text,) in self.conn.execute("SELECT json FROM items ORDER BY number"):
            yield item_from_json(text)

    def card(self, number: int, form: str = "plain") -> str | None:
        """The stored card of an item (``plain``, ``json_text`` or ``blocks``), or ``None``."""
        return read_card(self.conn, number, form)

    def numbers(self) -> list[int]:
        """Every 序号, ascending."""
        if self._numbers is None:
            self._numbers = [n for (n,) in self.conn.execute("SELECT number FROM items ORDER BY number")]
        return self._numbers

    @property
    def last_number(self) -> int:
        """The highest 序号 (0 when there are no items)."""
        row = self.conn.execute("SELECT max(number) FROM items").fetchone()
        return int(row[0] or 0)

    def exact_number(self, key: str) -> int | None:
        """The 序号 whose folded name, heading or alias is ``key``."""
        return exact_number(self.conn, key)

    def names(self) -> dict[str, int]:
        """The whole name table: folded name, heading or alias → 序号."""
        return dict(self.conn.execute("SELECT key, number FROM names").fetchall())

    # the rest of the knowledge base

    def core(self, *, concepts: bool = True) -> KnowledgeBase:
        """The knowledge base without its items (categories, offices, rules, synonyms …); without
        its concept data too when ``concepts`` is false (a province's descriptions of every item
        are not decoded for a look-up that never reads them)."""
        if concepts and self._core is not None:
            return self._core
        from rsguide.model import KnowledgeBase

        names = [n for (n,) in self.conn.execute("SELECT DISTINCT name FROM parts")]
        kwargs: dict[str, Any] = {"items": ()}
        for name in names:
            if name in field_map(KnowledgeBase) and (concepts or name != "concepts"):  # type: ignore[operator]
                kwargs[name] = self.part(name)
        core = KnowledgeBase(**kwargs)
        if concepts:
            self._core = core
        return core

    def part(self, name: str) -> Any:
        """One field of the knowledge base without its items (``categories``, ``offices`` …), decoded
        alone: only its own types are resolved, so a command that needs the categories does not pay
        for the rules, the offices or the concept data."""
        import json

        if self._core is not None:
            return getattr(self._core, name)
        tp = _part_type(name)
        rows = [
            json.loads(text)
            for (text,) in self.conn.execute("SELECT json FROM parts WHERE name = ? ORDER BY seq", (name,))
        ]
        if not rows:
            from rsguide.model import KnowledgeBase

            f = field_map(KnowledgeBase)[name]  # type: ignore[index]
            return f.default_factory() if callable(f.default_factory) else f.default
        return decoder(tp)(rows if getattr(tp, "__origin__", None) is tuple else rows[0])

    def knowledge_base(self) -> KnowledgeBase:
        """The whole knowledge base (every item decoded)."""
        return replace(self.core(), items=tuple(self.items()))

    def index(self) -> SearchIndex:
        """The search index; its fields read the database on demand."""
        import json

        from rsguide.search.engine import SearchIndex

        index = SearchIndex.__new__(SearchIndex)
        layout = self.conn.execute("SELECT field, kind, size FROM ix_layout ORDER BY seq").fetchall()
        row_fields = [name for name, kind, _ in layout if kind == "rows"]
        rows = _Rows(self.conn, row_fields, next((size for _, kind, size in layout if kind == "rows"), 0))
        for name, kind, size in layout:
            value: Any
            if kind == "rows":
                value = RowColumn(rows, row_fields.index(name))
            elif kind == "value":
                row = self.conn.execute("SELECT json FROM ix_value WHERE field = ?", (name,)).fetchone()
                value = json.loads(row[0]) if row else None
            elif kind == "exact":
                row = self.conn.execute("SELECT json FROM ix_value WHERE field = ?", (name,)).fetchone()
                value = ExactTexts(self.conn, json.loads(row[0]), size)
            elif kind == "json" and size <= EAGER_MAP:
                value = {}
                pairs = self.conn.execute("SELECT key, value FROM ix_map WHERE field = ?", (name,)).fetchall()
                # the values parsed in one call (the same values: each is one JSON text of the array)
                for (k, _), parsed in zip(pairs, json.loads("[" + ",".join(v for _, v in pairs) + "]"), strict=True):
                    item = _tuples(parsed)
                    if isinstance(item, dict) and SPLIT in item:  # a large mapping: rows of its own
                        item = LazyMap(self.conn, item[SPLIT], "json", item["size"])
                    value[k] = item
            else:
                value = LazyMap(self.conn, name, kind, size)
            object.__setattr__(index, name, value)
        return index


def _part_type(name: str) -> Any:
    """The type of the knowledge base's field ``name``, resolving only that annotation."""
    import rsguide.model as model

    f = field_map(model.KnowledgeBase)[name]  # type: ignore[index]
    if not f.init or name == "items":
        raise KeyError(name)
    annotation = f.type
    if not isinstance(annotation, str):
        return annotation
    names: dict[str, Any] = {}
    if "ConceptData" in annotation:
        from rsguide.search.concepts import ConceptData

        names["ConceptData"] = ConceptData
    if "ItemEligibility" in annotation:
        from rsguide.kb.eligibility import ItemEligibility

        names["ItemEligibility"] = ItemEligibility
    return eval(annotation, vars(model), names)  # a dataclass annotation of our own module


def _tuples(value: Any) -> Any:
    """JSON lists as tuples (nested ones too)."""
    if type(value) is not list:
        return value
    if any(type(v) is list for v in value):
        return tuple(_tuples(v) for v in value)
    return tuple(value)  # a flat list (a candidate list of thousands of numbers) in one step


CARD_FORMS = ("plain", "json_text", "blocks")


def read_card(conn: sqlite3.Connection, number: int, form: str) -> str | None:
    """The stored card of item ``number``: ``plain`` or ``json_text`` (as printed), or ``blocks``
    (the view as JSON text); ``None`` when there is no such item."""
    if form not in CARD_FORMS:
        raise ValueError(form)
    row = conn.execute(f"SELECT {form} FROM items WHERE number = ?", (number,)).fetchone()
    if row is None:
        return None
    value = row[0]
    text = value if isinstance(value, str) else zlib.decompress(value).decode()  # see _card
    if form == "json_text":  # stored compact (see _card): printed indented, as render.to_json writes it
        import json

        from rsguide.output.render import to_json

        return to_json(json.loads(text)) + "\n"
    return text


def exact_number(conn: sqlite3.Connection, key: str) -> int | None:
    """The 序号 whose folded name, heading or alias is ``key``."""
    row = conn.execute("SELECT number FROM names WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else None


def _unpack(code: str, blob: bytes) -> array[Any]:
    a = array(code)
    a.frombytes(blob)
    return a


class _Rows:
    """The parallel lists of the index (text, item, field …), read a row at a time, or all at once
    for a small knowledge base."""

    def __init__(self, conn: sqlite3.Connection, fields: list[str], size: int) -> None:
        self.conn = conn
        self.size = size
        self.cols = ", ".join(f'"c_{name}"' for name in fields)
        self.cache: dict[int, tuple[Any, ...]] = {}
        self.all: list[tuple[Any, ...]] | None = None

    def prefetch(self, positions: Iterable[int]) -> None:
        """Read the rows of ``positions`` not read yet, a few hundred per query (a small index: all
        its rows at once when more than half of them are asked for)."""
        if self.all is not None:
            return
        missing = [p for p in dict.fromkeys(positions) if p not in self.cache]
        if self.size <= EAGER_ROWS and 2 * (len(self.cache) + len(missing)) > self.size:
            self.all = self.conn.execute(f"SELECT {self.cols} FROM ix_rows ORDER BY pos").fetchall()
            return
        if len(self.cache) + len(missing) > 200_000:
            self.cache.clear()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for pos, *row in self.conn.execute(
                f"SELECT pos, {self.cols} FROM ix_rows WHERE pos IN ({marks})", chunk
            ).fetchall():
                self.cache[pos] = tuple(row)

    def get(self, pos: int) -> tuple[Any, ...]:
        if self.all is None and self.size <= EAGER_ROWS:
            self.all = self.conn.execute(f"SELECT {self.cols} FROM ix_rows ORDER BY pos").fetchall()
        if self.all is not None:
            return self.all[pos]
        row = self.cache.get(pos)
        if row is None:
            row = self.conn.execute(f"SELECT {self.cols} FROM ix_rows WHERE pos = ?", (pos,)).fetchone()
            if row is None:
                raise IndexError(pos)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[pos] = row
        return row


class RowColumn(Sequence["Any"]):
    """One list field of the index (``texts``, ``owner`` …) as a read-only sequence."""

    def __init__(self, rows: _Rows, column: int) -> None:
        self._rows = rows
        self._column = column

    def __len__(self) -> int:
        return self._rows.size

    def __getitem__(self, pos: Any) -> Any:
        if type(pos) is int:
            row = self._rows.cache.get(pos)  # the search's candidates, read ahead (see :meth:`prefetch`)
            if row is not None:
                return row[self._column]
        if isinstance(pos, slice):
            return [self[i] for i in range(*pos.indices(len(self)))]
        if pos < 0:
            pos += self._rows.size
        if not 0 <= pos < self._rows.size:
            raise IndexError(pos)
        return self._rows.get(pos)[self._column]

    def prefetch(self, positions: Iterable[int]) -> None:
        """Read the rows of these positions now, in a few queries (the search's candidates)."""
        self._rows.prefetch(positions)

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows.conn.execute(f"SELECT {self._rows.cols} FROM ix_rows ORDER BY pos"):
            yield row[self._column]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


class PackedWeights(Mapping[int, float]):
    """``{item: weight}`` of one gram, kept as two packed arrays (its length costs nothing)."""

    def __init__(self, keys: array[int], weights: array[float]) -> None:
        self._keys = keys
        self._weights = weights
        self._dict: dict[int, float] | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def items(self) -> Iterable[tuple[int, float]]:  # type: ignore[override]
        return zip(self._keys, self._weights, strict=True)

    def __getitem__(self, key: int) -> float:
        if self._dict is None:
            self._dict = dict(zip(self._keys, self._weights, strict=True))
        return self._dict[key]


class _OnDemand(Mapping["Any", "Any"]):
    """A mapping of the index whose values are read (:meth:`_load`) when first asked for and kept
    (at most 50,000 of them); ``None`` from :meth:`_load` is no such key."""

    _cache: dict[Any, Any]
    _size: int

    def _load(self, key: Any) -> Any:
        raise NotImplementedError

    def __getitem__(self, key: Any) -> Any:
        if key in self._cache:
            value = self._cache[key]
        else:
            value = self._load(key)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = value
        if value is None:
            raise KeyError(key)
        return value

    def __len__(self) -> int:
        return self._size


class LazyMap(_OnDemand):
    """A mapping field of the index read one key at a time."""

    def __init__(self, conn: sqlite3.Connection, field: str, kind: str, size: int) -> None:
        self._conn = conn
        self._field = field
        self._kind = kind
        self._size = size
        self._cache = {}

    def _load(self, key: Any) -> Any:
        import json

        row = self._conn.execute(
            "SELECT code, value, weights FROM ix_map WHERE field = ? AND key = ?", (self._field, key)
        ).fetchone()
        if row is None:
            return None
        code, blob, weights = row
        if self._kind == "ints":
            return _unpack(code, blob)
        if self._kind == "weights":
            return PackedWeights(_unpack(code, blob), _unpack("d", weights))
        return _tuples(json.loads(blob))

    def sizes(self, keys: Iterable[Any]) -> dict[Any, int]:
        """How many entries the packed values of these keys have (the keys that have one), without
        reading the values (a gram shared by most of 100,000 items is not read to be skipped)."""
        if self._kind not in ("ints", "weights"):
            raise TypeError(f"{self._field} does not hold packed values")
        keys = list(dict.fromkeys(keys))
        found: dict[Any, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for key, code, size in self._conn.execute(
                f"SELECT key, code, length(value) FROM ix_map WHERE field = ? AND key IN ({marks})",
                (self._field, *chunk),
            ):
                found[key] = size // array(code).itemsize
        return found

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Read the values of these keys now, a few hundred per query (JSON mappings: item names)."""
        if self._kind != "json":
            return
        import json

        missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
        if len(self._cache) + len(missing) > 50_000:
            self._cache.clear()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found = dict(
                self._conn.execute(
                    f"SELECT key, value FROM ix_map WHERE field = ? AND key IN ({marks})", (self._field, *chunk)
                ).fetchall()
            )
            for k in chunk:
                self._cache[k] = _tuples(json.loads(found[k])) if k in found else None

    def __contains__(self, key: object) -> bool:
        try:
            self[key]
        except (KeyError, sqlite3.InterfaceError):
            return False
        return True

    def __iter__(self) -> Iterator[Any]:
        for (key,) in self._conn.execute("SELECT key FROM ix_map WHERE field = ?", (self._field,)):
            yield key


class ExactTexts(_OnDemand):
    """An ``exact`` field of the index (see :data:`EXACT`): ``{text: positions}`` read through the
    SQL index on ``ix_rows`` — the first ``cap`` positions of each group, in position order, as the
    in-memory index gives them once capped."""

    def __init__(self, conn: sqlite3.Connection, spec: dict[str, Any], size: int) -> None:
        self._conn = conn
        self._text, self._groups, self._cap = f'"c_{spec["text"]}"', list(spec["groups"]), int(spec["cap"])
        self._group = f'"c_{spec["group"]}"'
        self._size = size
        self._cache = {}

    def _load(self, key: Any) -> list[int] | None:
        if not isinstance(key, str):
            return None
        conn, cap = self._conn, self._cap
        # Most texts have fewer positions than the cap in all: one query reads them all.
        found = [
            pos for (pos,) in conn.execute(f"SELECT pos FROM ix_rows WHERE {self._text} = ? LIMIT ?", (key, cap + 1))
        ]
        if len(found) > cap:
            query = f"SELECT pos FROM ix_rows WHERE {self._text} = ? AND {self._group} = ? ORDER BY pos LIMIT ?"
            found = []
            for group in self._groups:
                found += [pos for (pos,) in conn.execute(query, (key, group, cap))]
        return sorted(found) if found else None

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._conn.execute(f"SELECT DISTINCT {self._text} FROM ix_rows ORDER BY {self._text}"):
            yield key
