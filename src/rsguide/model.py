"""The knowledge base as frozen records (dataclasses made by :mod:`rsguide.records`).

Commands never see raw YAML mappings: :mod:`rsguide.kb.loader` validates the files and builds these.
Chinese terms of the source stay Chinese in the data; field names are English.
"""

from __future__ import annotations

from rsguide.records import MISSING, dataclass, field, fields

TYPE_CHECKING = False  # typing is not imported at run time (search, materials and check start faster)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Literal, TypeVar

    from rsguide.kb.eligibility import ItemEligibility
    from rsguide.search.concepts import ConceptData

CHANNELS: tuple[str, ...] = ("窗口办", "网上办", "掌上办", "自助办")
"""The closed set of channels (办理路径), in the order the source lists them."""

OFFICE_KINDS: tuple[str, ...] = (
    "district_window",
    "venue",
    "generic",
    "bank",
    "platform",
    "app",
    "machine",
)
TIME_LIMIT_KINDS: tuple[str, ...] = ("immediate", "working_days", "text")
IMMEDIATE_WORDS: tuple[str, ...] = ("即来即办", "即时办理", "即时办结")
"""The source's words for a limit met on the spot; the first found in a limit's text is its summary."""
PLACE_KINDS: tuple[str, ...] = ("named", "generic", "reference")
"""How a path names its place: a named window or office, the source's generic wording, or a reference list."""
REFERENCE_LABEL = "本市县（市）区办事窗口，供参考"
"""The label of the district windows shown next to generic wording that refers to district level."""
REFERENCE_NOTE = "源文件未指明具体窗口"
CORRECTION_KINDS: tuple[str, ...] = ("working_days", "on_site_check", "commitment")
FORMS: tuple[str, ...] = ("原件", "复印件", "原件及复印件")

if TYPE_CHECKING:
    TimeLimitKind = Literal["immediate", "working_days", "text"]
else:
    TimeLimitKind = str  # what the store's decoder resolves the annotation to


# ── each field declared once: its Chinese label and how the data files write it ──


def declared(label: str, yaml: str, *, default: Any = MISSING, required: bool | None = None) -> Any:
    """A field with its Chinese ``label`` (tables, CSV, diff) and its ``yaml`` kind in the data files
    (str, strs, posint, bool …); the knowledge-base reader, the JSON shapes, the flat tables and
    ``rsguide diff`` read these declarations instead of spelling the fields out again."""
    metadata: dict[str, Any] = {"label": label, "yaml": yaml}
    if required is not None:  # the file may leave out what the reader fills in (a case's name is its id)
        metadata["required"] = required
    if default is MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


def yaml_spec(cls: type) -> dict[str, tuple[str, bool]]:
    """The reader's spec of an entity: field → (kind, required), in declaration order."""
    return {
        f.name: (
            str(f.metadata["yaml"]),
            bool(f.metadata.get("required", f.default is MISSING and f.default_factory is MISSING)),
        )
        for f in fields(cls)
        if "yaml" in f.metadata
    }


def labels(cls: type) -> dict[str, str]:
    """The Chinese label of every declared field of an entity."""
    return {f.name: str(f.metadata["label"]) for f in fields(cls) if "label" in f.metadata}


_DECLARED: dict[type, tuple[str, ...]] = {}
"""The declared fields' names of each entity class :func:`plain` has seen."""


def plain(obj: Any) -> dict[str, Any]:
    """An entity's declared fields as JSON-able data, in declaration order (tuples become lists)."""
    cls = obj.__class__
    names = _DECLARED.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(obj) if "yaml" in f.metadata)
        _DECLARED[cls] = names
    return {name: list(value) if isinstance(value := getattr(obj, name), tuple) else value for name in names}


@dataclass(frozen=True, slots=True)
class Category:
    """One of the categories (事项类别) of the list."""

    id: int = declared("类别序号", "posint")
    name: str = declared("类别", "str")


@dataclass(frozen=True, slots=True)
class Case:
    """A sub-case (办理情形) of an item, e.g. 转入 / 转出."""

    id: str = declared("情形id", "str")
    name: str = declared("办理情形", "str", required=False)
    description: str | None = declared("说明", "str", default=None)


@dataclass(frozen=True, slots=True)
class Material:
    """A required document (要件)."""

    name: str = declared("材料", "str")
    text: str = declared("材料原文", "str")
    label: str | None = declared("编号", "str", default=None)
    form: str | None = declared("原件/复印件", "str", default=None)
    copies: int | None = declared("份数", "posint", default=None)
    remark: str | None = declared("备注", "str", default=None)
    when: tuple[str, ...] = declared("仅当", "strs", default=())
    tolerance: str | None = declared("容缺/承诺", "str", default=None)
    source: str | None = declared("来源", "str", default=None)
    unit: str = declared("单位", "str", default="份")
    """The unit of ``copies`` as the source writes it (份, 张)."""
    tolerated_copy: str | None = declared("可容缺的复印件", "str", default=None)
    """The 容缺 list's words for a copy of this document that may be missing (身份证复印件); the document
    itself is not tolerated and must be presented."""

    @property
    def copies_text(self) -> str:
        """“2份”, “3张”, or ``""`` where the source gives no number."""
        return f"{self.copies}{self.unit}" if self.copies else ""


@dataclass(frozen=True, slots=True)
class MaterialGroup:
    """The materials for one channel and case; ``None`` means every channel or case."""

    channel: str | None = declared("渠道", "str", default=None)
    case: str | None = declared("办理情形", "str", default=None)
    text: str | None = declared("材料组说明", "str", default=None)
    remark: str | None = declared("材料组备注", "str", default=None)
    note: str | None = declared("材料组注", "str", default=None)
    none_required: bool = declared("无需材料", "bool", default=False)
    items: tuple[Material, ...] = declared("材料", "list", default=())


@dataclass(frozen=True, slots=True)
class Path:
    """Where and how an item is handled on one channel (办理路径)."""

    channel: str = declared("渠道", "str")
    text: str = declared("路径原文", "str")
    case: str | None = declared("办理情形", "str", default=None)
    label: str | None = declared("路径用词", "str", default=None)
    places: tuple[str, ...] = declared("地点", "strs", default=())
    url: str | None = declared("网址", "str", default=None)
    generic: tuple[str, ...] = declared("地点泛称", "strs", default=())
    """The source's generic wording of the place (市、区（县）级公共就业服务机构), verbatim parts of ``text``."""
    district_reference: bool = declared("指向区县窗口", "bool", default=False)
    """The generic wording refers to district level: list the district windows as a labelled reference."""


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A machine-readable time limit (办理时限); empty ``channels`` means every channel."""

    text: str = declared("办理时限条目原文", "str")
    kind: TimeLimitKind = declared("办理时限类型", "str")
    channels: tuple[str, ...] = declared("渠道", "strs", default=())
    case: str | None = declared("办理情形", "str", default=None)
    days: int | None = declared("办理时限（工作日）", "posint", default=None)
    condition: str | None = declared("前提", "str", default=None)
    """What the source makes the limit depend on, verbatim (符合条件)."""
    qualifier: str | None = declared("时限说明", "str", default=None)
    """What the source says the limit covers, verbatim (从申请到发生邮寄)."""

    @property
    def summary(self) -> str:
        """The limit in short, with the source's condition and qualifier: 符合条件，即时办结;
        5个工作日（从申请到发生邮寄）; 即来即办; or the source's words where there is no number."""
        if self.kind == "immediate":
            base = next((w for w in IMMEDIATE_WORDS if w in self.text), "即时办结")
        elif self.kind == "working_days" and self.days:
            base = f"{self.days}个工作日"
        else:
            return self.text
        if self.condition:
            base = f"{self.condition}，{base}"
        if self.qualifier:
            base += f"（{self.qualifier}）"
        return base


@dataclass(frozen=True, slots=True)
class Phone:
    """A consultation phone (咨询电话) the item names, with what it is for.

    The source gives these in the item's 温馨提示, not as the phone of a window; a window's own phone
    is :attr:`Office.phones`."""

    number: str = declared("电话", "str")
    label: str | None = declared("说明", "str", default=None)
    case: str | None = declared("办理情形", "str", default=None)
    """The case the number is for, where the source says so (0412-2216349 for 师范类、医学类)."""


@dataclass(frozen=True, slots=True)
class Item:
    """A service item (事项) of the list with its guide."""

    number: int
    name: str
    category: int
    page: int | None = None
    heading: str | None = None
    aliases: tuple[str, ...] = ()
    intro: str | None = None
    conditions: tuple[str, ...] = ()
    legal_basis: str | None = None
    cases: tuple[Case, ...] = ()
    materials: tuple[MaterialGroup, ...] = ()
    paths: tuple[Path, ...] = ()
    time_limit_text: str | None = None
    time_limits: tuple[TimeLimit, ...] = ()
    tips: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def channels(self) -> tuple[str, ...]:
        """Channels the item offers (those with a path), in the canonical order."""
        offered = {p.channel for p in self.paths}
        return tuple(c for c in CHANNELS if c in offered)

    def time_limits_for(self, channel: str | None, case: str | None) -> tuple[TimeLimit, ...]:
        """The time limits that may apply on ``channel`` in ``case`` (``None``: any)."""
        return tuple(
            t
            for t in self.time_limits
            if (channel is None or not t.channels or channel in t.channels)
            and (case is None or t.case is None or t.case == case)
        )

    def case(self, case_id: str) -> Case | None:
        """The case with this id, or ``None``."""
        return next((c for c in self.cases if c.id == case_id), None)

    @property
    def condition_tags(self) -> tuple[str, ...]:
        """Condition tags used by the item's materials, in first-use order."""
        seen: dict[str, None] = {}
        for group in self.materials:
            for m in group.items:
                for tag in m.when:
                    seen.setdefault(tag, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    """A place, platform, app or machine the guide names."""

    id: str = declared("id", "str")
    kind: str = declared("类型", "str")
    number: int | None = declared("序号", "posint", default=None)
    name: str = declared("名称", "str")
    aliases: tuple[str, ...] = declared("别名", "strs", default=())
    district: str | None = declared("区县", "str", default=None)
    address: str | None = declared("地址", "str", default=None)
    phones: tuple[str, ...] = declared("电话", "strs", default=())
    windows: str | None = declared("窗口", "str", default=None)
    url: str | None = declared("网址", "str", default=None)
    text: str | None = declared("说明", "str", default=None)
    see_district_windows: bool = declared("见县（市）区窗口", "bool", default=False)
    notes: tuple[str, ...] = declared("备注", "strs", default=())


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """One place of a path, with how the source names it (:data:`PLACE_KINDS`).

    ``named``: an office with its details; ``generic``: the source's wording, no address;
    ``reference``: the district windows, only as a labelled reference for generic wording.
    """

    kind: str
    text: str
    offices: tuple[Office, ...] = ()


@dataclass(frozen=True, slots=True)
class Bureau:
    """The bureau that issues the papers (告知单, 通知书): its name as the source gives it."""

    name: str = declared("名称", "str")
    short_name: str | None = declared("简称", "str", default=None)
    """The short form the source also uses (鞍山市人社局), where it gives one."""
    notes: tuple[str, ...] = declared("备注", "strs", default=())


@dataclass(frozen=True, slots=True)
class RuleSubject:
    """A subject of the 禁办 / 容缺 lists that is not one of the items."""

    id: str = declared("id", "str")
    name: str = declared("名称", "str")
    aliases: tuple[str, ...] = declared("别名", "strs", default=())
    notes: tuple[str, ...] = declared("备注", "strs", default=())


@dataclass(frozen=True, slots=True)
class SituationWords:
    """How a clerk's words establish or rule out one 禁办情形 (``match`` in rules.yaml).

    ``establish``/``rule_out`` settle the 情形 on their own (negated, they say the opposite);
    ``scope_*`` words count only in a clause that also names one of ``heads`` (外省 says nothing
    about a 职称 in 从外省调来). A negated ``scope_rule_out`` word settles nothing unless
    ``complement`` says the two lists are each other's opposite.
    """

    question: str | None = None
    establish: tuple[str, ...] = ()
    rule_out: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    scope_establish: tuple[str, ...] = ()
    scope_rule_out: tuple[str, ...] = ()
    complement: bool = False
    affirm: tuple[str, ...] = ()
    """Words that establish the 情形 when said and settle nothing when negated: 统考 (the major is an exam
    major) — but 没参加过统考 says nothing about the major."""


@dataclass(frozen=True, slots=True)
class ProhibitedCase:
    """One 禁办情形."""

    text: str
    number: int | None = None
    words: SituationWords | None = field(default=None, compare=False)
    """How check reads a clerk's words about this 情形: vocabulary, not a fact of the source (not exported)."""


@dataclass(frozen=True, slots=True)
class ProhibitedRule:
    """A row of the 违规禁办事项清单: a subject (an item or a rule subject) and its 情形."""

    number: int
    subject: str
    cases: tuple[ProhibitedCase, ...]
    item: int | None = None
    rule_subject: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """When a tolerated material must be supplied (补正时间), machine-readable."""

    kind: str
    days: int | None = None


@dataclass(frozen=True, slots=True)
class ToleratedMaterial:
    """A row of the 容缺办理事项清单."""

    number: int
    subject: str
    material: str
    source: str
    correction_text: str
    correction: Correction
    item: int | None = None
    rule_subject: str | None = None


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything rsguide knows, validated."""

    categories: tuple[Category, ...]
    conditions: dict[str, str]
    items: tuple[Item, ...]
    offices: tuple[Office, ...]
    subjects: tuple[RuleSubject, ...] = ()
    prohibited: tuple[ProhibitedRule, ...] = ()
    tolerated: tuple[ToleratedMaterial, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concepts: ConceptData | None = field(default=None, compare=False, repr=False)
    """The concept layer (``concepts.yaml``, optional; see :mod:`rsguide.search.concepts`): search vocabulary, not
    knowledge, so not part of equality (an export round trip does not carry it)."""
    bureau: Bureau | None = None
    """The issuing bureau (``bureau`` in offices.yaml); ``None`` when the data does not name one."""
    eligibility: tuple[ItemEligibility, ...] = field(default=(), compare=False, repr=False)
    """The conditions ``check --situation`` reads a description against (``eligibility.yaml``, optional;
    see :mod:`rsguide.kb.eligibility`); not part of equality (an export round trip does not carry it)."""
    _by_number: dict[int, Item] = field(init=False, repr=False, compare=False)
    _by_office: dict[str, Office] = field(init=False, repr=False, compare=False)
    _names: dict[str, int] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_number", {i.number: i for i in self.items})
        object.__setattr__(self, "_by_office", {o.id: o for o in self.offices})
        object.__setattr__(self, "_names", None)

    def name_table(self) -> dict[str, int]:
        """Folded names, headings and aliases → 序号 (the first item wins on a clash)."""
        if self._names is None:
            from rsguide.search.normalize import fold

            table: dict[str, int] = {}
            for item in self.items:
                for text in (item.name, item.heading, *item.aliases):
                    if text:
                        table.setdefault(fold(text), item.number)
            object.__setattr__(self, "_names", table)
        assert self._names is not None
        return self._names

    def exact_number(self, key: str) -> int | None:
        """The 序号 whose name, heading or alias folds to ``key`` (see :func:`~rsguide.search.normalize.fold`)."""
        return self.name_table().get(key)

    @property
    def last_number(self) -> int:
        """The highest 序号."""
        return max(self._by_number, default=0)

    def item(self, number: int) -> Item | None:
        """The item with this 序号, or ``None``."""
        return self._by_number.get(number)

    def item_category(self, number: int) -> int | None:
        """The category of the item with this 序号, or ``None``."""
        item = self._by_number.get(number)
        return item.category if item is not None else None

    def office(self, office_id: str) -> Office | None:
        """The office with this id, or ``None``."""
        return self._by_office.get(office_id)

    def district_windows(self) -> tuple[Office, ...]:
        """The district and county windows (县（市）区办事窗口), in the source's order."""
        return tuple(o for o in self.offices if o.kind == "district_window")

    def path_places(self, path: Path) -> tuple[PlaceRef, ...]:
        """The places of ``path`` in the order the source writes them: named offices and generic
        wording, then the district windows as a reference where the wording refers to district level."""
        found: list[tuple[int, int, PlaceRef]] = []
        for n, text in enumerate(path.generic):
            pos = path.text.find(text)
            found.append((pos if pos >= 0 else len(path.text), n, PlaceRef("generic", text)))
        for n, pid in enumerate(path.places):
            office = self.office(pid)
            if office is None:
                continue
            keys = [office.name, *office.aliases, office.address or "", office.url or ""]
            hits = [path.text.find(k) for k in keys if k and k in path.text]
            found.append(
                (
                    min(hits) if hits else len(path.text),
                    len(path.generic) + n,
                    PlaceRef("named", office.name, (office,)),
                )
            )
        out = [ref for _pos, _n, ref in sorted(found, key=lambda x: (x[0], x[1]))]
        legacy = any((o := self.office(pid)) is not None and o.see_district_windows for pid in path.places)
        if path.district_reference or legacy:
            out.append(PlaceRef("reference", REFERENCE_LABEL, self.district_windows()))
        return tuple(out)

    def category(self, category_id: int) -> Category | None:
        """The category with this id, or ``None``."""
        return next((c for c in self.categories if c.id == category_id), None)

    def subject(self, subject_id: str) -> RuleSubject | None:
        """The rule subject with this id, or ``None``."""
        return next((s for s in self.subjects if s.id == subject_id), None)

    def prohibited_for(self, *, item: int | None = None, subject: str | None = None) -> list[ProhibitedRule]:
        """The 禁办 rows about an item (by 序号) or a rule subject (by id)."""
        return rules_about(self.prohibited, item=item, subject=subject)

    def tolerated_for(self, *, item: int | None = None, subject: str | None = None) -> list[ToleratedMaterial]:
        """The 容缺 rows about an item (by 序号) or a rule subject (by id)."""
        return rules_about(self.tolerated, item=item, subject=subject)


if TYPE_CHECKING:
    R = TypeVar("R", "ProhibitedRule", "ToleratedMaterial")


def rules_about(rows: Iterable[R], *, item: int | None = None, subject: str | None = None) -> list[R]:
    """The 禁办 or 容缺 rows about an item (by 序号) or a rule subject (by id)."""
    return [r for r in rows if (item is not None and r.item == item) or (subject is not None and r.rule_subject == subject)]
