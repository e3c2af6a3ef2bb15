"""Loading the knowledge base: YAML files → raw mappings → validated, frozen dataclasses.

Every problem is collected (file, line, entry, key, message) and reported together in one
:class:`~rsguide.errors.DataError`; nothing half-valid reaches the commands.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rsguide.errors import DataError, Issue
from rsguide.kb.paths import DATA_FILES, data_files, packaged_data_dir, resolve_data_dir  # noqa: F401 (re-exported)
from rsguide.kb.yamlio import LineDict, read_yaml, read_yaml_stream
from rsguide.model import (
    CHANNELS,
    CORRECTION_KINDS,
    FORMS,
    OFFICE_KINDS,
    TIME_LIMIT_KINDS,
    Bureau,
    Case,
    Category,
    Correction,
    Item,
    KnowledgeBase,
    Material,
    MaterialGroup,
    Office,
    Phone,
    ProhibitedCase,
    ProhibitedRule,
    RuleSubject,
    SituationWords,
    TimeLimit,
    ToleratedMaterial,
    yaml_spec,
)
from rsguide.model import (
    Path as ItemPath,
)

if TYPE_CHECKING:
    from rsguide.kb.eligibility import ItemEligibility, ItemFacts
    from rsguide.search.concepts import ConceptData

# ── the reader: type checks on raw mappings, with the line of every problem ──

_TYPE_NAMES = {
    "str": "文本",
    "int": "整数",
    "posint": "正整数",
    "bool": "true 或 false",
    "strs": "文本列表",
    "list": "列表",
    "map": "映射",
    "any": "值",
}


_BLANKS = " \n\u3000"
"""What is trimmed around text: spaces and line breaks, not a TAB (a leading TAB kept in the data is
what makes a spreadsheet read ``\t=1+1`` as text; see :func:`rsguide.sanitize.csv_cell`)."""


def _coerce(kind: str, value: Any) -> tuple[bool, Any]:
    if kind == "str":
        if isinstance(value, bool):
            return False, None
        if isinstance(value, (str, int, float)):
            return True, str(value).strip(_BLANKS)
        return False, None
    if kind in ("int", "posint"):
        if isinstance(value, bool) or not isinstance(value, int):
            return False, None
        return (value > 0 if kind == "posint" else True), value
    if kind == "bool":
        return isinstance(value, bool), value
    if kind == "strs":
        if isinstance(value, str):
            return True, (value.strip(_BLANKS),)
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            return True, tuple(str(v).strip(_BLANKS) for v in value)
        return False, None
    if kind == "list":
        return isinstance(value, list), value
    if kind == "map":
        return isinstance(value, dict), value
    return True, value


Spec = dict[str, tuple[str, bool]]


class _Reader:
    """Collects issues of one file while its mappings are read."""

    def __init__(self, file: str, issues: list[Issue]) -> None:
        self.file = file
        self.issues = issues

    def issue(self, line: int | None, entry: str | None, key: str | None, message: str) -> None:
        self.issues.append(Issue(self.file, line or None, entry, key, message))

    def fields(self, raw: Any, entry: str, spec: Spec, line: int = 0) -> dict[str, Any] | None:
        """Check ``raw`` against ``spec``: unknown keys, missing keys, types."""
        if not isinstance(raw, dict):
            self.issue(line, entry, None, f"应为映射（键: 值），实为{_kind_of(raw)}")
            return None
        lines = raw.line_of if isinstance(raw, LineDict) else (lambda _k: line)
        out: dict[str, Any] = {"_line": raw.line if isinstance(raw, LineDict) else line}
        out["_lines"] = _KeyLines(lines)
        for key in raw:
            if key not in spec:
                known = "、".join(spec)
                self.issue(lines(key), entry, _key_text(key), f"未知的键（可用的键：{known}）")
        get = raw.get
        for key, (kind, required) in spec.items():
            value = get(key)
            if value is None or value == "":
                if required:
                    self.issue(lines(key), entry, key, "缺少必填项")
                continue
            if kind == "str" and value.__class__ is str:  # the common case of _coerce, without the call
                out[key] = value.strip(_BLANKS)
                continue
            ok, coerced = _coerce(kind, value)
            if not ok:
                self.issue(lines(key), entry, key, f"应为{_TYPE_NAMES[kind]}，实为 {_short(value)}")
                continue
            out[key] = coerced
        return out

    def each(self, values: Any, entry: str, key: str, line: int) -> list[tuple[Any, int]]:
        """The elements of a list with their lines (for lists of mappings)."""
        if values is None:
            return []
        if not isinstance(values, list):
            self.issue(line, entry, key, "应为列表")
            return []
        return [(v, v.line if isinstance(v, LineDict) else line) for v in values]


class _KeyLines:
    """``f["_lines"][key]``: the line of a key of the mapping just read, looked up when asked."""

    __slots__ = ("_of",)

    def __init__(self, of: Callable[[Any], int]) -> None:
        self._of = of

    def __getitem__(self, key: str) -> int:
        return self._of(key)


def _kind_of(value: Any) -> str:
    """What a YAML value is, in the words of the data file's maintainer (never a Python type name)."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, (bytes, bytearray)):
        return "二进制数据"
    import datetime

    if isinstance(value, (datetime.date, datetime.datetime)):
        return "日期"
    return "其他值"


def _short(value: Any) -> str:
    """At most 40 characters naming a bad value, as the data file writes it (never a Python repr of
    bytes, None or True), without ever building the text of a large one."""
    if isinstance(value, list):
        return f"列表（{len(value)} 项）"
    if isinstance(value, dict):
        return f"映射（{len(value)} 个键）"
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return f"真假值（{'true' if value else 'false'}）"
    if isinstance(value, (bytes, bytearray)):
        return f"二进制数据（{len(value)} 字节）"
    if isinstance(value, str) and len(value) > 40:
        value = value[:40]
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _key_text(key: Any) -> str:
    """A mapping's key as the maintainer wrote it (``null``, ``true``, ``1``)."""
    return key if isinstance(key, str) else _short(key)


def _choice(r: _Reader, value: str | None, choices: tuple[str, ...], line: int, entry: str, key: str) -> bool:
    if value is not None and value not in choices:
        r.issue(line, entry, key, f"“{value}”不在可选值之内（{'、'.join(choices)}）")
        return False
    return True


def _choice_of(r: _Reader, f: dict[str, Any], name: str, choices: tuple[str, ...], entry: str, key: str) -> None:
    """:func:`_choice` for the field ``name`` of mapping ``f`` read by :meth:`_Reader.fields` (its line
    looked up only when the value is wrong)."""
    value = f.get(name)
    if value is not None and value not in choices:
        _choice(r, value, choices, f["_lines"][name], entry, key)


# ── items.yaml ──

_ITEMS_TOP: Spec = {
    "version": ("int", False),
    "categories": ("list", True),
    "conditions": ("map", False),
    "items": ("list", True),
}
_CATEGORY: Spec = yaml_spec(Category)
_ITEM: Spec = {
    "number": ("posint", True),
    "name": ("str", True),
    "heading": ("str", False),
    "aliases": ("strs", False),
    "category": ("posint", True),
    "page": ("posint", False),
    "intro": ("str", False),
    "conditions": ("strs", False),
    "legal_basis": ("str", False),
    "cases": ("list", False),
    "materials": ("list", False),
    "paths": ("list", False),
    "time_limit_text": ("str", False),
    "time_limits": ("list", False),
    "tips": ("strs", False),
    "phones": ("list", False),
    "notes": ("strs", False),
}
_CASE: Spec = yaml_spec(Case)
_GROUP: Spec = yaml_spec(MaterialGroup)
_MATERIAL: Spec = yaml_spec(Material)
_PATH: Spec = yaml_spec(ItemPath)
_TIME_LIMIT: Spec = yaml_spec(TimeLimit)
_PHONE: Spec = yaml_spec(Phone)
TOLERANCES = ("可容缺受理", "告知承诺")


@dataclass
class _RawItems:
    categories: list[Category]
    conditions: dict[str, str]
    items: list[Item]  # empty when the items were handed to a sink instead
    lines: dict[int, int]  # item number → line
    category_lines: list[int]  # line of each category, in order
    refs: list[tuple[Any, ...]]  # per item, in file order: what the cross-file checks need (_item_refs)
    ref_lines: list[int]  # the line of each of them (a duplicated 序号 has two)


_REF_CODES = {"materials.case": 0, "when": 1, "paths.case": 2, "place": 3, "time_limits.case": 4, "phones.case": 5}


def _item_refs(item: Item) -> tuple[Any, ...]:
    """What :func:`_check_references` needs of an item, small enough to keep for every item of a
    province: (number, category, number of cases, case ids, flat (code, name) pairs in check order)."""
    from sys import intern

    flat: list[Any] = []
    for g in item.materials:
        if g.case is not None:
            flat += (0, intern(g.case))
        for m in g.items:
            for tag in m.when:
                flat += (1, intern(tag))
    for p in item.paths:
        if p.case is not None:
            flat += (2, intern(p.case))
        for place in p.places:
            flat += (3, intern(place))
    for t in item.time_limits:
        if t.case is not None:
            flat += (4, intern(t.case))
    for ph in item.phones:
        if ph.case is not None:
            flat += (5, intern(ph.case))
    return (item.number, item.category, len(item.cases), tuple(intern(c.id) for c in item.cases), tuple(flat))


def _item_of(ri: _Reader, raw: Any, top_line: int) -> tuple[Item, int] | None:
    """The item of one element of ``items:`` and its line (``None`` when it is not one; the
    problems go to ``ri``)."""
    line = raw.line if isinstance(raw, LineDict) else top_line
    entry = f"第{raw.get('number')}项" if isinstance(raw, dict) and raw.get("number") is not None else "事项"
    f = ri.fields(raw, entry, _ITEM, line)
    if f is None or "number" not in f or "name" not in f or "category" not in f:
        return None
    return _build_item(ri, f, entry), f["_line"]


class ItemPart:
    """The items of a part of ``items.yaml`` (see :func:`read_item_part`), with what the checks of the
    whole knowledge base need of them, in file order."""

    __slots__ = ("chars", "items", "nodes", "ref_lines", "refs", "top")

    def __init__(
        self, items: list[Item], refs: list[tuple[Any, ...]], ref_lines: list[int], top: Any, nodes: int, chars: int
    ) -> None:
        self.items, self.refs, self.ref_lines, self.top = items, refs, ref_lines, top
        self.nodes, self.chars = nodes, chars


def read_item_part(path: Path, start: int, end: int, first_line: int) -> ItemPart:
    """The items of the bytes ``start`` to ``end`` of ``items.yaml``, a part cut between elements of
    its ``items:`` list (:mod:`rsguide.kb.parts`), built and checked as :func:`load` builds them, in
    strictly rising 序号. The first part (``start`` 0) also gives the file's top mapping, whose last key
    must be ``items:``; any other part holds elements of that list and nothing else. Anything else — a
    problem in an item, 序号 not rising, a part that is not such a part — raises
    :class:`~rsguide.kb.yamlio.PartError`: the whole file is then read as ever, which says what is wrong."""
    from rsguide.kb.yamlio import PartError, read_yaml_part

    problems: list[Issue] = []
    ri = _Reader(str(path), problems)
    items: list[Item] = []
    refs: list[tuple[Any, ...]] = []
    ref_lines: list[int] = []

    def element(raw: Any, top_line: int) -> None:
        got = _item_of(ri, raw, top_line)
        if got is None or problems:
            raise PartError("an item with a problem")
        item, line = got
        if items and item.number <= items[-1].number:
            raise PartError("序号 not rising")
        items.append(item)
        refs.append(_item_refs(item))
        ref_lines.append(line)

    top, nodes, chars = read_yaml_part(path, "items", element, start, end, first_line)
    keys = list(top)
    if not items or top.get("items") != [] or keys[-1] != "items" or (start > 0 and len(keys) != 1):
        raise PartError("not a part of the items list")
    return ItemPart(items, refs, ref_lines, top if start == 0 else None, nodes, chars)


ReadParts = Callable[
    [Path, Callable[[Item], None], "set[int]", Callable[[], None]], tuple[Any, list[tuple[Any, ...]], list[int]]
]
"""Reads ``items.yaml`` in parts (see :func:`load_streaming`): given the path, the watcher of items,
the 序号 it must see and what to do in this process while the worker starts (read concepts.yaml),
returns the file's top mapping and every item's refs and line, in file order."""


def _read_items(
    path: Path,
    issues: list[Issue],
    sink: Callable[[Item], None] | None = None,
    watch: Callable[[Item], None] | None = None,
    parts: tuple[ReadParts, set[int], Callable[[], None]] | None = None,
) -> _RawItems | None:
    """Read and check ``items.yaml``. The items are read one at a time; each valid one is handed to
    ``sink`` when given (and not kept), else collected in the result; ``watch`` sees every item built.
    With ``parts`` (a reader of parts, the 序号 ``watch`` needs and what to do meanwhile) the file is
    read by that reader."""
    items: list[Item] = []
    lines: dict[int, int] = {}
    refs: list[tuple[Any, ...]] = []
    ref_lines: list[int] = []
    item_issues: list[Issue] = []  # reported after the file's own and its top-level issues, as ever
    ri = _Reader(str(path), item_issues)

    def element(raw: Any, top_line: int) -> None:
        got = _item_of(ri, raw, top_line)
        if got is None:
            return
        item, line = got
        if watch is not None:
            watch(item)
        lines.setdefault(item.number, line)
        refs.append(_item_refs(item))
        ref_lines.append(line)
        if sink is None:
            items.append(item)
        elif not item_issues:  # once anything is wrong the knowledge base is not built: stop writing
            sink(item)

    if parts is not None:
        read_parts, wanted, meanwhile = parts
        data, refs, ref_lines = read_parts(path, watch or (lambda _item: None), wanted, meanwhile)
        for ref, line in zip(refs, ref_lines, strict=True):
            lines.setdefault(ref[0], line)
    else:
        data, found = read_yaml_stream(path, "items", element)
        issues.extend(found)
        if data is None:
            return None
    r = _Reader(str(path), issues)
    top = r.fields(data, None, _ITEMS_TOP, 1)  # type: ignore[arg-type]
    if top is None:
        return None
    categories, category_lines, conditions = _top_parts(r, top)
    # A list of items that was not streamed (not a YAML sequence): read here, as any other value.
    for raw, line in r.each(top.get("items"), "items", "items", top["_line"]):
        element(raw, line)
    issues.extend(item_issues)
    return _RawItems(categories, conditions, items, lines, category_lines, refs, ref_lines)


def _top_parts(r: _Reader, top: dict[str, Any]) -> tuple[list[Category], list[int], dict[str, str]]:
    """The categories (with their lines) and the condition tags of ``items.yaml``'s top mapping."""
    categories: list[Category] = []
    category_lines: list[int] = []
    for raw, line in r.each(top.get("categories"), "categories", "categories", top["_line"]):
        f = r.fields(raw, "类别", _CATEGORY, line)
        if f and "id" in f and "name" in f:
            categories.append(Category(f["id"], f["name"]))
            category_lines.append(f["_line"])
    conditions: dict[str, str] = {}
    for tag, desc in (top.get("conditions") or {}).items():
        conditions[str(tag)] = "" if desc is None else str(desc)
    return categories, category_lines, conditions


HEAD_BYTES = 1 << 20
"""How much of ``items.yaml`` :func:`read_core_early` looks at for the lines before ``items:``."""


def read_core_early(data_dir: str | os.PathLike[str] | None) -> KnowledgeBase | None:
    """What an item's card and search texts need besides the item — categories and condition tags
    (the part of ``items.yaml`` before its top-level ``items:`` line), offices, rules and synonyms —
    read before the items, so that a large build can render cards while the items are still being
    read. ``None`` when any of it is missing or has an issue, or ``items:`` is not a top-level line
    within the first :data:`HEAD_BYTES` (the build then renders cards after reading, as ever).

    This is a guess to be confirmed: the build compares it with the knowledge base that
    :func:`load_streaming` returns and renders again when they differ. It reports nothing (the
    validating read does)."""
    import yaml

    root = resolve_data_dir(data_dir)
    issues: list[Issue] = []
    try:
        with open(root / "items.yaml", "rb") as fh:
            head = fh.read(HEAD_BYTES)
        end = head.find(b"\nitems:")
        if end < 0 or head.startswith(b"\xef\xbb\xbf"):
            return None
        data = yaml.load(head[: end + 1].decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if not isinstance(data, dict) or "categories" not in data:
            return None
        r = _Reader("items.yaml", issues)
        top = r.fields(data, None, {k: v for k, v in _ITEMS_TOP.items() if k != "items"}, 1)  # type: ignore[arg-type]
        if top is None:
            return None
        categories, _lines, conditions = _top_parts(r, top)
        office_data = _read_offices(root / "offices.yaml", issues)
        rules = _read_rules(root / "rules.yaml", issues)
        synonyms = _read_synonyms(root / "synonyms.yaml", issues) if (root / "synonyms.yaml").is_file() else {}
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return None
    if issues or office_data is None or rules is None:
        return None
    return KnowledgeBase(
        categories=tuple(categories),
        conditions=conditions,
        items=(),
        offices=tuple(office_data[0]),
        subjects=tuple(rules.subjects),
        prohibited=tuple(rules.prohibited),
        tolerated=tuple(rules.tolerated),
        synonyms=synonyms,
        concepts=None,
        bureau=office_data[2],
    )


def _build_item(r: _Reader, f: dict[str, Any], entry: str) -> Item:
    line = f["_line"]
    cases = []
    for raw, ln in r.each(f.get("cases"), entry, "cases", line):
        c = r.fields(raw, entry, _CASE, ln)
        if c and "id" in c:
            cases.append(Case(c["id"], c.get("name") or c["id"], c.get("description")))
    groups = []
    for raw, ln in r.each(f.get("materials"), entry, "materials", line):
        g = r.fields(raw, entry, _GROUP, ln)
        if g is None:
            continue
        _choice_of(r, g, "channel", CHANNELS, entry, "materials.channel")
        mats = []
        for mraw, mln in r.each(g.get("items"), entry, "materials.items", ln):
            m = r.fields(mraw, entry, _MATERIAL, mln)
            if m is None or "name" not in m or "text" not in m:
                continue
            _choice_of(r, m, "form", FORMS, entry, "materials.items.form")
            _choice_of(r, m, "tolerance", TOLERANCES, entry, "materials.items.tolerance")
            mats.append(
                Material(
                    name=m["name"],
                    text=m["text"],
                    label=m.get("label"),
                    form=m.get("form"),
                    copies=m.get("copies"),
                    remark=m.get("remark"),
                    when=m.get("when", ()),
                    tolerance=m.get("tolerance"),
                    source=m.get("source"),
                    unit=m.get("unit", "份"),
                    tolerated_copy=m.get("tolerated_copy"),
                )
            )
        none_required = g.get("none_required", False)
        if none_required and mats:
            r.issue(ln, entry, "materials.none_required", "写了 none_required: true 又列出了材料")
        if not none_required and not mats:
            r.issue(ln, entry, "materials.items", "材料组没有材料（若无需材料请写 none_required: true）")
        groups.append(
            MaterialGroup(
                channel=g.get("channel"),
                case=g.get("case"),
                text=g.get("text"),
                remark=g.get("remark"),
                note=g.get("note"),
                none_required=none_required,
                items=tuple(mats),
            )
        )
    paths = []
    for raw, ln in r.each(f.get("paths"), entry, "paths", line):
        p = r.fields(raw, entry, _PATH, ln)
        if p is None or "channel" not in p or "text" not in p:
            continue
        _choice_of(r, p, "channel", CHANNELS, entry, "paths.channel")
        paths.append(
            ItemPath(
                channel=p["channel"],
                text=p["text"],
                case=p.get("case"),
                label=p.get("label"),
                places=p.get("places", ()),
                url=p.get("url"),
                generic=p.get("generic", ()),
                district_reference=p.get("district_reference", False),
            )
        )
    limits = []
    for raw, ln in r.each(f.get("time_limits"), entry, "time_limits", line):
        t = r.fields(raw, entry, _TIME_LIMIT, ln)
        if t is None or "text" not in t or "kind" not in t:
            continue
        _choice_of(r, t, "kind", TIME_LIMIT_KINDS, entry, "time_limits.kind")
        for ch in t.get("channels", ()):
            if ch not in CHANNELS:
                _choice(r, ch, CHANNELS, t["_lines"]["channels"], entry, "time_limits.channels")
        if t["kind"] == "working_days" and "days" not in t:
            r.issue(ln, entry, "time_limits.days", "kind 为 working_days 时必须写 days（正整数）")
        if t["kind"] != "working_days" and "days" in t:
            r.issue(ln, entry, "time_limits.days", "只有 kind 为 working_days 时才能写 days")
        limits.append(
            TimeLimit(
                t["text"],
                t["kind"],
                t.get("channels", ()),
                t.get("case"),
                t.get("days"),
                t.get("condition"),
                t.get("qualifier"),
            )
        )
    phones = []
    for raw, ln in r.each(f.get("phones"), entry, "phones", line):
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            phones.append(Phone(str(raw)))
            continue
        ph = r.fields(raw, entry, _PHONE, ln)
        if ph and "number" in ph:
            phones.append(Phone(ph["number"], ph.get("label"), ph.get("case")))
    return Item(
        number=f["number"],
        name=f["name"],
        category=f["category"],
        page=f.get("page"),
        heading=f.get("heading"),
        aliases=f.get("aliases", ()),
        intro=f.get("intro"),
        conditions=f.get("conditions", ()),
        legal_basis=f.get("legal_basis"),
        cases=tuple(cases),
        materials=tuple(groups),
        paths=tuple(paths),
        time_limit_text=f.get("time_limit_text"),
        time_limits=tuple(limits),
        tips=f.get("tips", ()),
        phones=tuple(phones),
        notes=f.get("notes", ()),
    )


# ── offices.yaml ──

_OFFICES_TOP: Spec = {"version": ("int", False), "bureau": ("map", False), "offices": ("list", True)}
_BUREAU: Spec = yaml_spec(Bureau)
_OFFICE: Spec = yaml_spec(Office)


def _read_bureau(r: _Reader, raw: Any, line: int) -> Bureau | None:
    """The issuing bureau of ``offices.yaml`` (optional: papers then name no bureau)."""
    if raw is None:
        return None
    f = r.fields(raw, "bureau", _BUREAU, line)
    if f is None or "name" not in f:
        return None
    return Bureau(**{k: v for k, v in f.items() if not k.startswith("_")})


def _read_offices(path: Path, issues: list[Issue]) -> tuple[list[Office], dict[str, int], Bureau | None] | None:
    data, found = read_yaml(path)
    issues.extend(found)
    if data is None:
        return None
    r = _Reader(str(path), issues)
    top = r.fields(data, None, _OFFICES_TOP, 1)  # type: ignore[arg-type]
    if top is None:
        return None
    offices: list[Office] = []
    lines: dict[str, int] = {}
    for raw, line in r.each(top.get("offices"), "offices", "offices", top["_line"]):
        entry = f"id={raw.get('id')}" if isinstance(raw, dict) and raw.get("id") else "地点"
        f = r.fields(raw, entry, _OFFICE, line)
        if f is None or not {"id", "kind", "name"} <= f.keys():
            continue
        _choice(r, f["kind"], OFFICE_KINDS, f["_lines"]["kind"], entry, "kind")
        kwargs = {k: v for k, v in f.items() if not k.startswith("_")}
        offices.append(Office(**kwargs))
        lines.setdefault(f["id"], f["_line"])
    return offices, lines, _read_bureau(r, top.get("bureau"), top["_lines"]["bureau"])


# ── rules.yaml ──

_RULES_TOP: Spec = {
    "version": ("int", False),
    "subjects": ("list", False),
    "prohibited": ("list", False),
    "tolerated": ("list", False),
    "words": ("map", False),  # shared word lists, used through YAML anchors in ``match``
}
_SUBJECT: Spec = yaml_spec(RuleSubject)
_PROHIBITED: Spec = {
    "number": ("posint", True),
    "subject": ("str", True),
    "item": ("posint", False),
    "rule_subject": ("str", False),
    "cases": ("list", True),
}
_PROHIBITED_CASE: Spec = {"text": ("str", True), "number": ("posint", False), "match": ("map", False)}
_MATCH: Spec = {
    "question": ("str", False),
    "establish": ("any", False),
    "rule_out": ("any", False),
    "affirm": ("any", False),
    "scope": ("map", False),
}
_SCOPE: Spec = {
    "heads": ("any", False),
    "establish": ("any", False),
    "rule_out": ("any", False),
    "complement": ("bool", False),
}


def _words(r: _Reader, value: Any, line: int, entry: str, key: str) -> tuple[str, ...]:
    """A list of words; nested lists (YAML aliases of shared word lists) are flattened."""
    out: list[str] = []
    stack = [value] if value is not None else []
    while stack:
        v = stack.pop(0)
        if isinstance(v, list):
            stack[0:0] = v
        elif isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
            out.append(str(v).strip())
        else:
            r.issue(line, entry, key, f"应为文本列表，实为 {_short(v)}")
    return tuple(dict.fromkeys(out))


def _situation_words(r: _Reader, raw: Any, entry: str, line: int) -> SituationWords | None:
    m = r.fields(raw, entry, _MATCH, line)
    if m is None:
        return None
    scope = r.fields(m["scope"], entry, _SCOPE, m["_line"]) if "scope" in m else {}
    scope = scope or {}
    return SituationWords(
        question=m.get("question"),
        establish=_words(r, m.get("establish"), m["_lines"]["establish"], entry, "match.establish"),
        rule_out=_words(r, m.get("rule_out"), m["_lines"]["rule_out"], entry, "match.rule_out"),
        heads=_words(r, scope.get("heads"), m["_line"], entry, "match.scope.heads"),
        scope_establish=_words(r, scope.get("establish"), m["_line"], entry, "match.scope.establish"),
        scope_rule_out=_words(r, scope.get("rule_out"), m["_line"], entry, "match.scope.rule_out"),
        complement=bool(scope.get("complement", False)),
        affirm=_words(r, m.get("affirm"), m["_lines"]["affirm"], entry, "match.affirm"),
    )


_TOLERATED: Spec = {
    "number": ("posint", True),
    "subject": ("str", True),
    "item": ("posint", False),
    "rule_subject": ("str", False),
    "material": ("str", True),
    "source": ("str", True),
    "correction_text": ("str", True),
    "correction": ("map", True),
}
_CORRECTION: Spec = {"kind": ("str", True), "days": ("posint", False)}


@dataclass
class _RawRules:
    subjects: list[RuleSubject]
    prohibited: list[ProhibitedRule]
    tolerated: list[ToleratedMaterial]
    lines: dict[str, int]  # "prohibited:3" / "tolerated:2" / "subject:id" → line


def _read_rules(path: Path, issues: list[Issue]) -> _RawRules | None:
    data, found = read_yaml(path)
    issues.extend(found)
    if data is None:
        return None
    r = _Reader(str(path), issues)
    top = r.fields(data, None, _RULES_TOP, 1)  # type: ignore[arg-type]
    if top is None:
        return None
    out = _RawRules([], [], [], {})
    for raw, line in r.each(top.get("subjects"), "subjects", "subjects", top["_line"]):
        entry = f"subject {raw.get('id')}" if isinstance(raw, dict) else "subject"
        f = r.fields(raw, entry, _SUBJECT, line)
        if f and {"id", "name"} <= f.keys():
            out.subjects.append(RuleSubject(f["id"], f["name"], f.get("aliases", ()), f.get("notes", ())))
            out.lines[f"subject:{f['id']}"] = f["_line"]
    for raw, line in r.each(top.get("prohibited"), "prohibited", "prohibited", top["_line"]):
        entry = f"禁办第{raw.get('number')}条" if isinstance(raw, dict) else "禁办"
        f = r.fields(raw, entry, _PROHIBITED, line)
        if f is None or not {"number", "subject"} <= f.keys():
            continue
        cases = []
        for craw, cln in r.each(f.get("cases"), entry, "cases", f["_line"]):
            c = r.fields(craw, entry, _PROHIBITED_CASE, cln)
            if c and "text" in c:
                words = _situation_words(r, c["match"], entry, c["_line"]) if "match" in c else None
                cases.append(ProhibitedCase(c["text"], c.get("number"), words))
        out.prohibited.append(
            ProhibitedRule(f["number"], f["subject"], tuple(cases), f.get("item"), f.get("rule_subject"))
        )
        out.lines[f"prohibited:{f['number']}"] = f["_line"]
    for raw, line in r.each(top.get("tolerated"), "tolerated", "tolerated", top["_line"]):
        entry = f"容缺第{raw.get('number')}条" if isinstance(raw, dict) else "容缺"
        f = r.fields(raw, entry, _TOLERATED, line)
        if f is None or not {"number", "subject", "material", "source", "correction_text", "correction"} <= f.keys():
            continue
        c = r.fields(f["correction"], entry, _CORRECTION, f["_line"])
        if c is None or "kind" not in c:
            continue
        _choice(r, c["kind"], CORRECTION_KINDS, c["_lines"]["kind"], entry, "correction.kind")
        if c["kind"] == "working_days" and "days" not in c:
            r.issue(c["_line"], entry, "correction.days", "kind 为 working_days 时必须写 days（正整数）")
        out.tolerated.append(
            ToleratedMaterial(
                number=f["number"],
                subject=f["subject"],
                material=f["material"],
                source=f["source"],
                correction_text=f["correction_text"],
                correction=Correction(c["kind"], c.get("days")),
                item=f.get("item"),
                rule_subject=f.get("rule_subject"),
            )
        )
        out.lines[f"tolerated:{f['number']}"] = f["_line"]
    return out


# ── synonyms.yaml (optional) ──

_SYN_TOP: Spec = {"version": ("int", False), "synonyms": ("map", True)}


def _read_synonyms(path: Path, issues: list[Issue]) -> dict[str, tuple[str, ...]]:
    data, found = read_yaml(path)
    issues.extend(found)
    if data is None:
        return {}
    r = _Reader(str(path), issues)
    top = r.fields(data, None, _SYN_TOP, 1)  # type: ignore[arg-type]
    if top is None or "synonyms" not in top:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    table = top["synonyms"]
    for word, targets in table.items():
        ok, values = _coerce("strs", targets)
        line = table.line_of(word) if isinstance(table, LineDict) else None
        if not isinstance(word, str) or not word.strip():
            r.issue(line, _key_text(word), None, f"同义词的键应为文字，实为{_kind_of(word)}")
            continue
        if not ok or not values:
            r.issue(line, str(word), None, "应为一个词或词的列表")
            continue
        out[str(word)] = values
    return out


# ── cross-file checks ──


def _check_references(
    paths: dict[str, str],
    items: _RawItems,
    offices: list[Office],
    office_lines: dict[str, int],
    rules: _RawRules,
    issues: list[Issue],
) -> None:
    fi, fo, fr = paths["items"], paths["offices"], paths["rules"]
    seen_cat: set[int] = set()
    for c, cline in zip(items.categories, items.category_lines, strict=True):
        if c.id in seen_cat:
            issues.append(Issue(fi, cline, f"类别{c.id}", "id", "类别 id 重复"))
        seen_cat.add(c.id)
    office_ids: set[str] = set()
    for o in offices:
        if o.id in office_ids:
            issues.append(Issue(fo, office_lines.get(o.id), f"id={o.id}", "id", "id 重复"))
        office_ids.add(o.id)
    numbers: dict[int, int] = {}
    case_keys = [k for k in _REF_CODES if k.endswith(".case")]
    line: int | None
    for (number, category, n_cases, case_tuple, flat), line in zip(items.refs, items.ref_lines, strict=True):
        entry = f"第{number}项"
        if number in numbers:
            issues.append(Issue(fi, line, entry, "number", f"序号重复（与第 {numbers[number]} 行的事项相同）"))
        else:
            numbers[number] = line or 0
        if category not in seen_cat:
            issues.append(Issue(fi, line, entry, "category", f"类别 {category} 不存在"))
        case_ids = set(case_tuple)
        if len(case_ids) != n_cases:
            issues.append(Issue(fi, line, entry, "cases", "办理情形 id 重复"))
        for i in range(0, len(flat), 2):
            code, name = flat[i], flat[i + 1]
            if code == 1:
                if name not in items.conditions:
                    issues.append(
                        Issue(fi, line, entry, "materials.items.when", f"条件标签“{name}”未在 conditions 中定义")
                    )
            elif code == 3:
                if name not in office_ids:
                    issues.append(Issue(fi, line, entry, "paths.places", f"地点“{name}”在 offices.yaml 中不存在"))
            elif name not in case_ids:
                known = "、".join(case_ids) or "（本事项没有定义 cases）"
                key = case_keys[[0, 2, 4, 5].index(code)]
                issues.append(Issue(fi, line, entry, key, f"办理情形“{name}”未在 cases 中定义（已有：{known}）"))
    subject_ids = {s.id for s in rules.subjects}
    for kind, rows in (("prohibited", rules.prohibited), ("tolerated", rules.tolerated)):
        label = "禁办" if kind == "prohibited" else "容缺"
        seen: set[int] = set()
        for row in rows:
            line = rules.lines.get(f"{kind}:{row.number}")
            entry = f"{label}第{row.number}条"
            if row.number in seen:
                issues.append(Issue(fr, line, entry, "number", "序号重复"))
            seen.add(row.number)
            if (row.item is None) == (row.rule_subject is None):
                issues.append(Issue(fr, line, entry, "item", "item 与 rule_subject 须且只须写一个"))
            if row.item is not None and row.item not in numbers:
                issues.append(Issue(fr, line, entry, "item", f"事项 {row.item} 不存在"))
            if row.rule_subject is not None and row.rule_subject not in subject_ids:
                issues.append(
                    Issue(fr, line, entry, "rule_subject", f"rule_subject“{row.rule_subject}”未在 subjects 中定义")
                )


def load(data_dir: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Load and validate a knowledge base; raises :class:`DataError` listing every problem."""
    kb, _warnings = load_with_warnings(data_dir)
    return kb


def load_with_warnings(data_dir: str | os.PathLike[str] | None = None) -> tuple[KnowledgeBase, list[Issue]]:
    """Like :func:`load`, and also returns the warnings a data maintainer should see."""
    kb, paths, items, office_lines, early = _load(data_dir, None)
    return kb, early + _warnings(kb, paths, items.lines, office_lines)


def load_streaming(
    data_dir: str | os.PathLike[str] | None, sink: Callable[[Item], None], parts: ReadParts | None = None
) -> KnowledgeBase:
    """Load and validate a knowledge base whose items are handed to ``sink`` one at a time, in file
    order, as they are read (none is kept: memory does not grow with the number of items). Returns
    the knowledge base without its items. Raises :class:`DataError` with the same issues as
    :func:`load`; once an item has an issue no further item is handed over, and after a
    :class:`DataError` the caller discards what it was given.

    With ``parts``, ``items.yaml`` is read by that reader instead (the parallel build,
    :mod:`rsguide.kb.parallel`: it hands the items to the store itself, and raises when it cannot
    read the file in parts); ``sink`` is not called."""
    kb, _paths, _items, _lines, _early = _load(data_dir, sink, parts)
    return kb


def _load(
    data_dir: str | os.PathLike[str] | None, sink: Callable[[Item], None] | None, parts: ReadParts | None = None
) -> tuple[KnowledgeBase, dict[str, str], _RawItems, dict[str, int], list[Issue]]:
    """The knowledge base, the paths of its files, the items' raw parts, the offices' lines, and the
    warnings found while reading (eligibility.yaml's)."""
    root = resolve_data_dir(data_dir)
    if not root.is_dir():
        what = "不是目录（--data 要给出放着 items.yaml 等文件的目录）" if root.exists() else "知识库目录不存在"
        raise DataError([Issue(str(root), None, None, None, what)])
    issues: list[Issue] = []
    paths = {name.removesuffix(".yaml"): str(root / name) for name in DATA_FILES}
    eligibility_issues: list[Issue] = []
    eligibility_warnings: list[Issue] = []
    eligibility = _EligibilityReader(root, eligibility_issues, eligibility_warnings)
    concepts_path = root / "concepts.yaml"
    concepts_read: list[tuple[Any, list[Issue]]] = []

    def read_concepts_early() -> None:
        if concepts_path.is_file():
            from rsguide.kb.yamlio import read_yaml

            concepts_read.append(read_yaml(concepts_path))

    items = _read_items(
        root / "items.yaml",
        issues,
        sink,
        eligibility.watch,
        None if parts is None else (parts, eligibility.wanted, read_concepts_early),
    )
    office_data = _read_offices(root / "offices.yaml", issues)
    rules = _read_rules(root / "rules.yaml", issues)
    synonyms = _read_synonyms(root / "synonyms.yaml", issues) if (root / "synonyms.yaml").is_file() else {}
    if items is None or office_data is None or rules is None:
        raise DataError(issues)
    concepts = None
    if concepts_path.is_file():
        from rsguide.search.concepts import read_concepts

        read = concepts_read[0] if concepts_read else None
        concepts = read_concepts(concepts_path, issues, (ref[0] for ref in items.refs), read)
    conditions = eligibility.finish(concepts)
    issues.extend(eligibility_issues)
    offices, office_lines, bureau = office_data
    _check_references(paths, items, offices, office_lines, rules, issues)
    if issues:
        raise DataError(issues)
    kb = KnowledgeBase(
        categories=tuple(items.categories),
        conditions=items.conditions,
        items=tuple(sorted(items.items, key=lambda i: i.number)),
        offices=tuple(offices),
        subjects=tuple(rules.subjects),
        prohibited=tuple(rules.prohibited),
        tolerated=tuple(rules.tolerated),
        synonyms=synonyms,
        concepts=concepts,
        bureau=bureau,
        eligibility=conditions,
    )
    return kb, paths, items, office_lines, eligibility_warnings


class _EligibilityReader:
    """``eligibility.yaml`` (optional): read before the items, so that the items it names are kept
    (their name, own words and case ids) as they stream past; checked against them and the concepts."""

    def __init__(self, root: Path, issues: list[Issue], warnings: list[Issue]) -> None:
        from rsguide.kb.eligibility import FILE, RawEligibility, read_eligibility

        self.issues, self.warnings = issues, warnings
        self.raw: RawEligibility | None = read_eligibility(root / FILE, issues) if (root / FILE).is_file() else None
        self.wanted = self.raw.numbers if self.raw is not None else set()
        self.facts: dict[int, ItemFacts] = {}

    def watch(self, item: Item) -> None:
        """Keep what the check needs of an item the file names (the first of a duplicated 序号)."""
        if item.number in self.wanted and item.number not in self.facts:
            from rsguide.kb.eligibility import item_facts

            self.facts[item.number] = item_facts(item.name, item.intro, item.conditions, (c.id for c in item.cases))

    def finish(self, concepts: ConceptData | None) -> tuple[ItemEligibility, ...]:
        """The checked conditions (``()`` without the file)."""
        if self.raw is None:
            return ()
        from rsguide.kb.eligibility import check_eligibility

        names = None if concepts is None else [*(c.name for c in concepts.concepts), *concepts.situations]
        return check_eligibility(self.raw, self.facts, names, self.issues, self.warnings)


# ── warnings for `rsguide validate` ──

_AREA_CODE = re.compile(r"^0\d{2,3}-\d{7,8}$")


def _warnings(
    kb: KnowledgeBase, paths: dict[str, str], item_lines: dict[int, int], office_lines: dict[str, int]
) -> list[Issue]:
    from rapidfuzz import fuzz

    out: list[Issue] = []
    fi, fo = paths["items"], paths["offices"]
    for o in kb.offices:
        for phone in o.phones:
            if not _AREA_CODE.match(phone):
                out.append(Issue(fo, office_lines.get(o.id), f"id={o.id}", "phones", f"电话“{phone}”没有区号"))
    for item in kb.items:
        line = item_lines.get(item.number)
        entry = f"第{item.number}项"
        if not item.paths:
            out.append(Issue(fi, line, entry, "paths", "没有任何办理渠道"))
        if not item.materials:
            out.append(Issue(fi, line, entry, "materials", "没有列出材料（若无需材料请写 none_required: true）"))
        if not item.time_limits:
            out.append(Issue(fi, line, entry, "time_limits", "没有办理时限"))
        for ph in item.phones:
            if not _AREA_CODE.match(ph.number):
                out.append(Issue(fi, line, entry, "phones", f"电话“{ph.number}”没有区号"))
    addressed = [(o, o.address) for o in kb.offices if o.address]
    for i, (a, a_address) in enumerate(addressed):
        for b, b_address in addressed[i + 1 :]:
            if a_address in b_address or b_address in a_address:
                continue
            if fuzz.partial_ratio(a_address, b_address) >= 85:
                out.append(
                    Issue(
                        fo,
                        office_lines.get(b.id),
                        f"id={b.id}",
                        "address",
                        f"地址“{b.address}”与 {a.id} 的“{a.address}”几乎相同，请核对",
                    )
                )
    return out
