"""The concept layer: what a citizen's words mean, as data (``concepts.yaml``).

Everyday words, Northeast speech included (``整丢了``, ``厂子黄了``, ``旮沓``), map to domain concepts
of four kinds — *topic* (失业保险金, 档案, 社保卡 …), *detail* (离职, 异地, 丢失 …), *action*
(领取待遇, 转入, 挂失 …) and *who* (单位, 毕业生, 机关事业 …). Items are described by their core and
related concepts, and topics that are *not* on the list (医保, 公积金, 劳动仲裁 …) are data too.

The public API is small and pure (no Rich, no Typer, no I/O beyond :func:`read_concepts`):

- :func:`read_concepts` reads and validates a ``concepts.yaml`` (used by :mod:`rsguide.kb.loader`);
- :func:`compile_lexicon` turns the validated data into a plain, JSON-serialisable mapping
  (kept in the search index, see :mod:`rsguide.search.engine`), and :class:`Lexicon` wraps it;
- :func:`parse` reads a text into a :class:`Parsed`: the concepts, the negated concepts
  (不/没/非/不是/没有 …) and the spans matched, by longest match over the lexicon;
- :func:`agreement` scores an item's concepts against a parsed query (0–1);
- :meth:`Parsed.understood` says what was understood ("失业 · 领取待遇").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import pairwise

from rsguide.errors import Issue
from rsguide.lazyre import LazyPattern
from rsguide.records import dataclass, field, replace
from rsguide.search.normalize import normalize

TYPE_CHECKING = False  # pathlib and typing are not imported at run time (search starts faster)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

KINDS: dict[str, float] = {"topic": 3.0, "detail": 2.0, "action": 1.5, "who": 1.0}
"""Concept kinds and their weight in :func:`agreement`."""

NEGATORS = ("不是", "不属于", "并非", "非")
"""Words that say "this is not X" and negate any concept but an action right after them."""
ABSENCE = ("没有", "没", "未", "无", "不", "别")
"""Words that say "X did not happen": they negate only a *detail* (没裁员, 不续签 …); "还没有社保卡"
asks for one, and "没办退休" wants to. A word of the lexicon that itself contains a negator, such as
``没到账`` or ``干不了活``, is matched whole first and is not negated."""

WISH_NEGATORS = ("不是要", "不是想", "不需要", "不打算", "不用", "不要", "不想", "不必")
"""Words that say "I do not want to do X" (我不是要领钱, 不用把档案调走): they negate the next *action*
of the clause within :data:`WISH_SCOPE` characters, with words between (把档案)."""
WISH_SCOPE = 6

QUESTIONS = ("有没有", "有没", "是不是", "是否", "能不能", "会不会", "可不可", "要不要", "算不算", "给不给")
"""Questions built of a negator (有没有, 是不是): what follows is asked about, not denied."""

MISSING_CORE_SHARE = 0.5
"""How much an item's core concept that the query does not mention counts against the item."""

NO_CORE_SHARE = 0.8
"""An item none of whose core concepts the query says keeps this share of its agreement."""

ALSO_SHARE = 0.9
"""A related (``also``) concept the query says counts this share of its weight; a core one counts whole."""

NEGATED_PENALTY = 1.0
"""How much a negated concept that is core to an item counts against it (times its weight)."""

FOCUS_BONUS = 0.25
"""Extra weight (share of its own) of a concept said in the clause that carries the request — the
last clause with concepts of a sentence of several (``社保卡整丢了，先给我挂上``): what comes before
is the story, what the citizen asks for comes last."""

DOCUMENTS = frozenset({"证明", "参保证明", "缴费记录"})
"""Concepts that name a paper the citizen asks for (a certificate, a record of contributions)."""

PURPOSE_BEFORE = ("需要", "要求", "要", "得")
PURPOSE_AFTER = ("去办", "去申请", "拿去", "用于", "用来", "好去")
"""What a paper is *for* is not what is asked: in 落户需要个人社保缴费记录 (X 需要 <paper>) and
参保证明去办资质 (<paper> 去办 X), X is the purpose, told by another office; an out-of-scope word there
does not make the question one that is not on the list."""

CLAUSE_PUNCTUATION = LazyPattern(r"[，,。.？?！!；;]+")
"""Punctuation between clauses: no word of the lexicon is matched across it."""

CLAUSE_BREAKS = LazyPattern(r"[，,。.？?！!；;、\s]+")
"""Punctuation and spaces between the clauses of a sentence (before normalisation removes them)."""


# ── the validated data (what kb.load keeps) ──


@dataclass(frozen=True)
class Concept:
    """One concept: its name (shown to the clerk), kind and the words that say it."""

    name: str
    kind: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class ItemConcepts:
    """How one item is described: core concepts define it, related ones only add."""

    core: tuple[str, ...]
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutOfScope:
    """A topic that is not on the list: any of ``words``, or all concepts of ``all_of`` together,
    unless one of the ``unless`` concepts is present too."""

    topic: str
    words: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Implication:
    """What concepts said together mean: when all of ``when`` are present (and none of ``unless``),
    the concepts of ``add`` are understood too and those of ``drop`` are not (失业 + 领取待遇 ⇒
    失业保险金; 缴费记录 + 参保 ⇒ the payments are what the record is of, not a wish to enrol)."""

    when: tuple[str, ...]
    add: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConceptData:
    """The contents of a validated ``concepts.yaml``."""

    concepts: tuple[Concept, ...] = ()
    items: Mapping[int, ItemConcepts] = field(default_factory=dict)
    out_of_scope: tuple[OutOfScope, ...] = ()
    situations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    neutral: tuple[str, ...] = ()
    implies: tuple[Implication, ...] = ()
    dialect: Mapping[str, str] = field(default_factory=dict)
    """Regional or colloquial word → the standard word it means (咋整 → 怎么办, 旮沓 → 地方): applied
    before parsing, so every concept's standard words serve the Northeast ones too."""
    function_words: tuple[str, ...] = ()
    """Words that carry no topic (我, 这, 了, 怎么, 一下 …): understood, but meaning nothing for the
    search; what is neither a concept, a function word nor a name is *unknown* content."""


# ── reading concepts.yaml ──


def _strs(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        return tuple(str(v).strip() for v in value)
    return None


def read_concepts(
    path: Path, issues: list[Issue], item_numbers: Iterable[int] | None = None, read: tuple[Any, list[Issue]] | None = None
) -> ConceptData:
    """Read and validate ``concepts.yaml``; problems are appended to ``issues`` (file, line, entry, key).

    ``item_numbers`` (when given) are the numbers of the knowledge base: an item described here
    must exist there. ``read`` is what :func:`rsguide.kb.yamlio.read_yaml` gave for the file, when
    it was read beforehand (a parallel build reads it while its worker starts on the items).
    """
    from rsguide.kb.yamlio import LineDict, read_yaml

    data, found = read if read is not None else read_yaml(path)
    issues.extend(found)
    if data is None:
        return ConceptData()
    file = str(path)

    def line_of(mapping: Any, key: Any) -> int | None:
        return mapping.line_of(key) if isinstance(mapping, LineDict) else None

    def issue(line: int | None, entry: str | None, key: str | None, message: str) -> None:
        issues.append(Issue(file, line, entry, key, message))

    if not isinstance(data, dict):
        issue(1, None, None, "应为映射（键: 值）")
        return ConceptData()
    known_top = (
        "version",
        "concepts",
        "items",
        "out_of_scope",
        "situations",
        "neutral",
        "implies",
        "dialect",
        "function_words",
    )
    for key in data:
        if key not in known_top:
            issue(line_of(data, key), None, str(key), f"未知的键（可用的键：{'、'.join(known_top)}）")

    concepts: list[Concept] = []
    raw_concepts = data.get("concepts") or {}
    if not isinstance(raw_concepts, dict):
        issue(line_of(data, "concepts"), None, "concepts", "应为映射：概念名 → {kind, words}")
        raw_concepts = {}
    for name, spec in raw_concepts.items():
        line = line_of(raw_concepts, name)
        entry = f"概念“{name}”"
        if not isinstance(spec, dict):
            issue(line, entry, None, "应为映射：{kind: …, words: […]}")
            continue
        for key in spec:
            if key not in ("kind", "words"):
                issue(line_of(spec, key) or line, entry, str(key), "未知的键（可用的键：kind、words）")
        kind = spec.get("kind")
        if kind not in KINDS:
            issue(line_of(spec, "kind") or line, entry, "kind", f"应为 {'、'.join(KINDS)} 之一，实为 {kind!r}")
            continue
        words = _strs(spec.get("words"))
        if not words or not all(words):
            issue(line_of(spec, "words") or line, entry, "words", "应为一个词或词的列表")
            continue
        concepts.append(Concept(str(name), str(kind), words))
    names = {c.name for c in concepts}

    situations: dict[str, tuple[str, ...]] = {}
    raw_sit = data.get("situations") or {}
    if not isinstance(raw_sit, dict):
        issue(line_of(data, "situations"), None, "situations", "应为映射：情形名 → {words}")
        raw_sit = {}
    for name, spec in raw_sit.items():
        words = _strs(spec.get("words")) if isinstance(spec, dict) else None
        if not words or not all(words):
            issue(line_of(raw_sit, name), f"情形“{name}”", "words", "应为 {words: [词, …]}")
            continue
        if str(name) in names:
            issue(line_of(raw_sit, name), f"情形“{name}”", None, "与概念同名")
            continue
        situations[str(name)] = words
    usable = names | set(situations)

    def check_names(values: tuple[str, ...], line: int | None, entry: str, key: str, pool: set[str]) -> None:
        for v in values:
            if v not in pool:
                issue(line, entry, key, f"概念“{v}”未在 concepts{'/situations' if pool is usable else ''} 中定义")

    items: dict[int, ItemConcepts] = {}
    raw_items = data.get("items") or {}
    if not isinstance(raw_items, dict):
        issue(line_of(data, "items"), None, "items", "应为映射：序号 → {core, also}")
        raw_items = {}
    numbers = set(item_numbers) if item_numbers is not None else None
    for number, spec in raw_items.items():
        line = line_of(raw_items, number)
        entry = f"第{number}项"
        if isinstance(number, bool) or not isinstance(number, int):
            issue(line, entry, None, "键应为事项序号（整数）")
            continue
        if numbers is not None and number not in numbers:
            issue(line, entry, None, f"事项 {number} 不存在")
            continue
        if not isinstance(spec, dict):
            issue(line, entry, None, "应为映射：{core: […], also: […]}")
            continue
        for key in spec:
            if key not in ("core", "also"):
                issue(line, entry, str(key), "未知的键（可用的键：core、also）")
        core = _strs(spec.get("core"))
        also = _strs(spec.get("also") or [])
        if not core or also is None:
            issue(line, entry, "core", "core 应为至少一个概念的列表，also 应为概念列表")
            continue
        check_names(core + also, line, entry, "core/also", names)
        items[number] = ItemConcepts(core, also)

    out: list[OutOfScope] = []
    raw_out = data.get("out_of_scope") or []
    if not isinstance(raw_out, list):
        issue(line_of(data, "out_of_scope"), None, "out_of_scope", "应为列表")
        raw_out = []
    for i, spec in enumerate(raw_out, 1):
        line = spec.line if isinstance(spec, LineDict) else None
        entry = f"清单外第{i}条"
        if not isinstance(spec, dict) or not isinstance(spec.get("topic"), str):
            issue(line, entry, "topic", "应为映射，且有 topic（业务名称）")
            continue
        for key in spec:
            if key not in ("topic", "words", "all", "unless"):
                issue(line, entry, str(key), "未知的键（可用的键：topic、words、all、unless）")
        words = _strs(spec.get("words") or [])
        all_of = _strs(spec.get("all") or [])
        unless = _strs(spec.get("unless") or [])
        if words is None or all_of is None or unless is None or not (words or all_of):
            issue(line, entry, None, "须有 words（词列表）或 all（概念列表）；unless 为概念列表")
            continue
        check_names(all_of + unless, line, entry, "all/unless", usable)
        out.append(OutOfScope(spec["topic"].strip(), words, all_of, unless))

    implies: list[Implication] = []
    raw_imp = data.get("implies") or []
    if not isinstance(raw_imp, list):
        issue(line_of(data, "implies"), None, "implies", "应为列表")
        raw_imp = []
    for i, spec in enumerate(raw_imp, 1):
        line = spec.line if isinstance(spec, LineDict) else None
        entry = f"推断第{i}条"
        if not isinstance(spec, dict):
            issue(line, entry, None, "应为映射：{when: […], add: […], drop: […], unless: […]}")
            continue
        for key in spec:
            if key not in ("when", "add", "drop", "unless"):
                issue(line, entry, str(key), "未知的键（可用的键：when、add、drop、unless）")
        when = _strs(spec.get("when") or [])
        add = _strs(spec.get("add") or [])
        drop = _strs(spec.get("drop") or [])
        unless = _strs(spec.get("unless") or [])
        if not when or add is None or drop is None or unless is None or not (add or drop):
            issue(line, entry, None, "须有 when（概念列表）与 add 或 drop（概念列表）；unless 为概念列表")
            continue
        check_names(when + unless, line, entry, "when/unless", usable)
        check_names(add, line, entry, "add", usable)  # a situation may be added (存疑)
        check_names(drop, line, entry, "drop", names)
        implies.append(Implication(when, add, drop, unless))

    neutral = _strs(data.get("neutral") or []) or ()
    dialect: dict[str, str] = {}
    raw_dialect = data.get("dialect") or {}
    if not isinstance(raw_dialect, dict):
        issue(line_of(data, "dialect"), None, "dialect", "应为映射：方言/口语说法 → 标准说法")
        raw_dialect = {}
    for spoken, standard in raw_dialect.items():
        if not isinstance(spoken, str) or not isinstance(standard, str) or not spoken.strip():
            issue(line_of(raw_dialect, spoken), f"方言“{spoken}”", None, "应为 说法: 标准说法（都是字符串）")
            continue
        dialect[spoken.strip()] = standard.strip()
    function_words = _strs(data.get("function_words") or [])
    if function_words is None:
        issue(line_of(data, "function_words"), None, "function_words", "应为词的列表")
        function_words = ()
    return ConceptData(tuple(concepts), items, tuple(out), situations, neutral, tuple(implies), dialect, function_words)


# ── the compiled lexicon (plain data, stored in the search index) ──


def compile_lexicon(data: ConceptData | None) -> dict[str, Any]:
    """The plain (JSON-serialisable) form of ``data`` that :func:`parse` and :func:`agreement` use.

    Words are normalised like queries (:func:`rsguide.search.normalize.normalize`). Out-of-scope words
    become concepts named ``"!" + topic``; situation words are matched in a pass of their own.
    """
    words: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    situations: dict[str, list[str]] = {}
    if data is None:
        data = ConceptData()

    def add(table: dict[str, list[str]], word: str, name: str) -> None:
        key = normalize(word)
        if key and name not in table.setdefault(key, []):
            table[key].append(name)

    for c in data.concepts:
        kinds[c.name] = c.kind
        for w in c.words:
            add(words, w, c.name)
    out = []
    for o in data.out_of_scope:
        for w in o.words:
            add(words, w, "!" + o.topic)
        out.append({"topic": o.topic, "words": list(o.words), "all": list(o.all_of), "unless": list(o.unless)})
    # A word that says a topic inside a longer phrase (调档函, 提档案, 上社保) means that topic too,
    # unless the phrase names a topic of its own (失业保险金 is not also 失业保险).
    topic_words = sorted(
        ((w, names[0]) for w, names in words.items() if names and kinds.get(names[0]) == "topic" and len(w) >= 2),
        key=lambda pair: -len(pair[0]),
    )
    # An out-of-scope word kept on the list by its ``unless`` (工伤鉴定 of a 伤残待遇 question) still
    # says the topic inside it (工伤).
    for word, names in words.items():
        if any(kinds.get(n) == "topic" for n in names):
            continue
        for inner, topic in topic_words:
            if inner != word and inner in word and topic not in names:
                names.append(topic)
                break
    for w in data.neutral:
        words.setdefault(normalize(w), [])
    for name, ws in data.situations.items():
        for w in ws:
            add(situations, w, name)
    dialect = {normalize(k): normalize(v) for k, v in data.dialect.items() if normalize(k)}
    function = {normalize(w): True for w in data.function_words if normalize(w)}
    # Items described alike share one description (a province describes thousands of items the same
    # way): agreement is computed once per description, and its members are read only as needed.
    descriptions: dict[str, dict[str, list[str]]] = {}
    seen: dict[tuple[frozenset[str], frozenset[str]], str] = {}
    described: dict[str, int] = {}
    members: dict[str, list[int]] = {}
    for n, ic in sorted(data.items.items()):
        sets = (frozenset(ic.core), frozenset(ic.also))
        d = seen.get(sets)
        if d is None:
            d = seen[sets] = str(len(descriptions))
            descriptions[d] = {"core": list(ic.core), "also": list(ic.also)}
        described[str(n)] = int(d)
        members.setdefault(d, []).append(n)
    by_concept: dict[str, list[int]] = {}
    for d, desc in descriptions.items():
        for name in dict.fromkeys((*desc["core"], *desc["also"])):
            by_concept.setdefault(name, []).append(int(d))
    telling_who = sorted({c for desc in descriptions.values() for c in desc["core"] if kinds.get(c) == "who"})
    return {
        "words": words,
        "longest": max((len(w) for w in words), default=0),
        "situations": situations,
        "situations_longest": max((len(w) for w in situations), default=0),
        "kinds": kinds,
        "descriptions": descriptions,
        "described": described,
        "members": members,
        "concept_descriptions": by_concept,
        "telling_who": telling_who,
        "out_of_scope": out,
        "implies": [
            {"when": list(r.when), "add": list(r.add), "drop": list(r.drop), "unless": list(r.unless)}
            for r in data.implies
        ],
        "dialect": dialect,
        "dialect_longest": max((len(w) for w in dialect), default=0),
        "function": function,
        "function_longest": max((len(w) for w in function), default=0),
    }


class _Described(Mapping[int, tuple[frozenset[str], frozenset[str]]]):
    """Item → its description (core and related concepts as sets), read through the lexicon's
    item → description table (a stored index reads one row per item asked for)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon

    def __getitem__(self, number: int) -> tuple[frozenset[str], frozenset[str]]:
        d = self._lexicon.description_of(number)
        if d is None:
            raise KeyError(number)
        return self._lexicon.description(d)

    def __iter__(self) -> Iterator[int]:
        return (int(n) for n in self._lexicon.described)

    def __len__(self) -> int:
        return len(self._lexicon.described)

    def prefetch(self, numbers: Iterable[int]) -> None:
        """Read the descriptions of these items now, in a few queries (a stored index)."""
        prefetch = getattr(self._lexicon.described, "prefetch", None)
        if prefetch is not None:
            prefetch([str(n) for n in numbers])


class Lexicon:
    """A compiled lexicon (see :func:`compile_lexicon`), with the item descriptions as sets.

    Items described alike share a *description* (a number): the parsed concepts select
    descriptions (:meth:`candidate_descriptions`), agreement is scored once per description, and
    its items (:meth:`members`) are read only as far as needed."""

    def __init__(self, plain: Mapping[str, Any]) -> None:
        self.plain = plain
        self.words: Mapping[str, list[str]] = plain.get("words", {})
        self.longest: int = plain.get("longest", 0)
        self.situations: Mapping[str, list[str]] = plain.get("situations", {})
        self.situations_longest: int = plain.get("situations_longest", 0)
        self.kinds: Mapping[str, str] = plain.get("kinds", {})
        self.out_of_scope: list[Mapping[str, Any]] = plain.get("out_of_scope", [])
        self.descriptions: Mapping[str, Mapping[str, list[str]]] = plain.get("descriptions", {})
        self.described: Mapping[str, int] = plain.get("described", {})
        self._members: Mapping[str, Sequence[int]] = plain.get("members", {})
        self.concept_descriptions: Mapping[str, list[int]] = plain.get("concept_descriptions", {})
        self._sets: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self.items: _Described = _Described(self)
        """Item → (core, related) concepts."""
        self.implies: list[Mapping[str, list[str]]] = plain.get("implies", [])
        self.dialect: Mapping[str, str] = plain.get("dialect", {})
        self.dialect_longest: int = plain.get("dialect_longest", 0)
        self.function: Mapping[str, bool] = plain.get("function", {})
        self.function_longest: int = plain.get("function_longest", 0)
        self._joint: dict[str, Any] | None = None
        self._joint_longest = 0
        self.telling_who: frozenset[str] = frozenset(plain.get("telling_who", ()))
        """Who-concepts that define some item (机关事业): they tell items apart wherever they are said."""

    def description(self, d: int) -> tuple[frozenset[str], frozenset[str]]:
        """Description ``d`` as (core, related) concept sets."""
        found = self._sets.get(d)
        if found is None:
            desc = self.descriptions[str(d)]
            found = self._sets[d] = (frozenset(desc["core"]), frozenset(desc["also"]))
        return found

    def description_of(self, number: int) -> int | None:
        """The description of item ``number``, or ``None`` when the item is not described."""
        d = self.described.get(str(number))
        return None if d is None else int(d)

    def members(self, d: int) -> Sequence[int]:
        """The items described by description ``d``, ascending."""
        return self._members.get(str(d), ())

    def candidate_descriptions(self, parsed: Parsed) -> list[int]:
        """The descriptions with at least one of the parsed concepts (the only ones that can agree)."""
        found: dict[int, None] = {}
        for c in parsed.concepts:
            found.update(dict.fromkeys(self.concept_descriptions.get(c, ())))
        return sorted(found)

    def __bool__(self) -> bool:
        return bool(self.words)

    def weight(self, concept: str) -> float:
        """The weight of a concept (by its kind)."""
        return KINDS.get(self.kinds.get(concept, ""), 1.0)


# ── parsing ──


@dataclass(frozen=True)
class Match:
    """One span of the text that the lexicon understood."""

    word: str
    start: int
    end: int
    concepts: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Parsed:
    """What a text says, in concepts."""

    text: str
    matches: tuple[Match, ...]
    concepts: tuple[str, ...]
    """In-scope concepts, in the order they first occur, negated ones excluded."""
    negated: tuple[str, ...]
    situations: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    """Out-of-scope topics the text points to (after ``unless``)."""
    original: str = ""
    """The normalised text before the dialect layer (``text`` is after it: 咋整 → 怎么办)."""
    unknown: tuple[str, ...] = ()
    """Runs of the text that are neither a lexicon word nor a function word: content the parser did
    not understand (a topic it has no word for, such as 公租房 before it was listed)."""
    focus: tuple[str, ...] = ()
    """The concepts of the clause that carries the request (see :func:`focus_of`): they weigh more."""

    def understood(self, limit: int = 4) -> str:
        """The concepts understood, for the clerk: ``失业 · 领取待遇`` (negated ones as ``非…``)."""
        parts = list(self.concepts[:limit]) + [f"非{c}" for c in self.negated[:2]]
        return " · ".join(parts)

    def ranked(self, lexicon: Lexicon) -> Parsed:
        """The same, with the concepts ordered by kind (topic, detail, action, who) for display."""
        order = sorted(self.concepts, key=lambda c: -lexicon.weight(c))
        return replace(self, concepts=tuple(order))

    @property
    def unknown_chars(self) -> int:
        """How many characters of the text were not understood (see :attr:`unknown`)."""
        return sum(len(u) for u in self.unknown)

    @property
    def covered(self) -> int:
        """How many characters of the text the lexicon matched (negated and neutral words included)."""
        return sum(m.end - m.start for m in self.matches)


def longest_matches(text: str, table: Mapping[str, Any] | frozenset[str], longest: int) -> list[tuple[int, int, str]]:
    """The words of ``table`` found in ``text`` by longest match, left to right, without overlaps:
    ``(start, end, word)`` spans. The one tokenizer of everything that reads Chinese words
    (:func:`parse`, and the 禁办 situations of ``check --situation``)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            word = text[i : i + size]
            if word in table:
                out.append((i, i + size, word))
                i += size
                break
        else:
            i += 1
    return out


def _repair(text: str, found: list[tuple[int, int, str]], lexicon: Lexicon) -> list[tuple[int, int, str]]:
    """Longest match from the left can swallow the head of a noun: 办社保|卡 must read 办|社保卡,
    and 从事|业单位 must read 从|事业单位. Where a phrase that is not a noun (办社保, 从事) is followed,
    right after it or after one unread character, by a word that, together with the phrase's tail,
    makes a longer noun — a topic or a who (社保卡, 事业单位) — the noun wins."""
    words = lexicon.words
    kinds = lexicon.kinds

    def topic(word: str) -> bool:
        names = words.get(word) or []
        return bool(names) and kinds.get(names[0]) in ("topic", "who")

    out = list(found)
    i = 0
    while i + 1 < len(out):
        s1, e1, w1 = out[i]
        s2, e2, _w2 = out[i + 1]
        first = words.get(w1) or []
        if e1 <= s2 <= e1 + 1 and e1 - s1 >= 2 and first and not first[0].startswith("!") and not topic(w1):
            for k in range(s1 + 1, e1):
                joined = text[k:e2]
                if len(joined) > e2 - s2 and topic(joined):
                    head = text[s1:k]
                    repl = [(s1, k, head)] if head in words else []
                    out[i : i + 2] = [*repl, (k, e2, joined)]
                    break
        i += 1
    return out


def standardise(text: str, lexicon: Lexicon) -> str:
    """Regional and colloquial words replaced by the standard ones (``dialect`` of ``concepts.yaml``):
    俺这社保卡咋整 → 我这社保卡怎么办. Longest match, left to right, over the lexicon's words and the
    dialect words together: a word the lexicon knows as it is (整丢, 厂子黄了) is kept."""
    if not lexicon.dialect:
        return text
    if lexicon._joint is None:
        joint: dict[str, Any] = dict.fromkeys(lexicon.words)
        for spoken, standard in lexicon.dialect.items():
            if spoken not in joint:
                joint[spoken] = standard
        lexicon._joint = joint
        lexicon._joint_longest = max(lexicon.longest, lexicon.dialect_longest)
    joint = lexicon._joint
    out: list[str] = []
    last = 0
    for start, end, word in longest_matches(text, joint, lexicon._joint_longest):
        standard = joint[word]
        if standard is not None:
            out.append(text[last:start])
            out.append(standard)
            last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _unknown(text: str, matches: list[Match], lexicon: Lexicon) -> tuple[str, ...]:
    """The runs of ``text`` that neither a lexicon match nor a function word (nor a digit) covers."""
    known = bytearray(len(text))
    for m in matches:
        known[m.start : m.end] = b"\x01" * (m.end - m.start)
    runs: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if known[i]:
            i += 1
            continue
        j = i
        while j < n and not known[j]:
            j += 1
        segment = text[i:j]
        covered = bytearray(len(segment))
        for s, e, _w in longest_matches(segment, lexicon.function, lexicon.function_longest):
            covered[s:e] = b"\x01" * (e - s)
        run = ""
        for k, ch in enumerate(segment):
            if covered[k] or ch.isdigit() or ch.isascii():
                if run:
                    runs.append(run)
                run = ""
            else:
                run += ch
        if run:
            runs.append(run)
        i = j
    return tuple(runs)


PAST = "过"
"""The experiential aspect (补过, 办过, 转过): the action after it was done before; with a negator (没办过) it was not."""
STATE_DENIED = LazyPattern(
    "(?:没|不)(?:在|再)(?:领|享受)|没领着|不(?:想|打算|用|是要|是想|需要|要)?领(?!取)|没(?:想|打算|要)领(?!取)"
    "|没(?:在|进过?)(?=单位|公司|厂|企业)|够不上领|不够领"
)
"""An ongoing state denied (没在领失业金, 不再领了, 没在单位上过班) or a claim refused (我不领失业金): what is said in it or
right after it is not the applicant's (a query's concepts there are negated). "没领" alone is "not yet"
and asks to claim it."""


CONCESSIVE = ("倒是", "倒还", "虽然", "虽说", "尽管")
"""Words that grant what follows in their clause (卡倒是还能用): it is not what the asker needs done."""


def _conceded(text: str, clause_start: int, start: int) -> bool:
    """Whether a :data:`CONCESSIVE` word comes before ``start`` in the same clause."""
    window = text[clause_start:start]
    return any(c in window for c in CONCESSIVE)


DONE = ("做完", "办完", "都做了", "已经做了", "下来了", "出来了", "鉴定出来", "认定了", "评完", "鉴定完")
"""Words that say a procedure named just before them is over (工伤认定和伤残鉴定都做完了): it is
what happened, not what is asked (what comes after it is)."""


def _done(text: str, clause_start: int, end: int, clause_end: int) -> bool:
    """Whether the clause reports the procedure ending at ``end`` as done (a :data:`DONE` word after it
    in the clause, or 已经 before it)."""
    after = text[end:clause_end]
    return any(d in after for d in DONE) or "已经" in text[clause_start:end]


def _state_denied(text: str, start: int) -> bool:
    """Whether the match starting at ``start`` lies in or right after a :data:`STATE_DENIED` phrase."""
    window = text[max(0, start - 7) : start + 2]
    if "没" not in window and "不" not in window:
        return False  # most text: no negator near, no pattern to run (or compile)
    for m in STATE_DENIED.compiled().finditer(text, max(0, start - 7), start + 2):
        asked = any(text[: m.start() + 1].endswith(q) for q in QUESTIONS) or (
            m.start() > 0 and text[m.start() - 1] == m.group()[-1]  # 领不领: asked, not refused
        )
        if m.start() < start <= m.end() + 1 and not asked:
            return True
    return False


OTHERS = LazyPattern(
    "^(?:我|俺)?(?:家)?(?:老公|丈夫|爱人|媳妇|老婆|妻子|对象|孩子|儿子|闺女|女儿|妈|爸|母亲|父亲|哥|姐|弟|妹|老伴)"
)
"""A clause whose subject is the speaker's relative (我老公在机关上班): what it says is about them."""
SPEAKER_SELF = ("我自己", "我本人", "俺自己", "我自个", "俺自个", "本人")
"""A clause that begins so contrasts the speaker with a relative just named."""
KEEP_OF_OTHERS = ("家属",)
"""Concepts that say there is a relative at all: kept."""
EXCLUSIVE = (("机关事业", "企业"), ("本地户口", "外地户口"))
"""Concepts of which a person has one: said of a relative and of the speaker, the speaker's counts."""


TOWARD = ("转到", "转去", "挪到", "迁到", "调到", "转往", "挪去")
TOWARDS_ELSEWHERE = "转往外地"
"""The situation of a move whose destination is another place: a :data:`TOWARD` word right before a
place of concept 异地 (转到沈阳). 转回鞍山, 转到鞍山 are moves home."""


def _towards_elsewhere(matches: list[Match]) -> bool:
    """Whether a :data:`TOWARD` word is followed at once by a place elsewhere (异地)."""
    return any(
        a.word in TOWARD and b.start == a.end and "异地" in b.concepts and not b.negated
        for a, b in pairwise(matches)
    )


def _said_of_others(parts: list[str], bounds: list[int], matches: list[Match]) -> list[str]:
    """Concepts of :data:`EXCLUSIVE` pairs said only in clauses about a relative while the other of the
    pair is said in a clause that is not (the speaker's own): these are to be dropped."""
    if len(parts) < 2:
        return []  # one clause: nothing said of someone else beside the speaker
    about_others = [bool(OTHERS.match(part)) for part in parts]
    where: dict[str, set[bool]] = {}
    for m in matches:
        if m.negated:
            continue
        clause = max(i for i, b in enumerate(bounds[:-1]) if b <= m.start)
        for c in m.concepts:
            where.setdefault(c, set()).add(about_others[clause])
    dropped = []
    if any(part.startswith(SPEAKER_SELF) for part in parts):
        # 我媳妇刚生完孩子，我自己被公司裁了: what only the relative's clauses say is theirs, not the request.
        dropped += [c for c, places in where.items() if places == {True} and c not in KEEP_OF_OTHERS]
    for a, b in EXCLUSIVE:
        for mine, theirs in ((a, b), (b, a)):
            if where.get(theirs) == {True} and False in where.get(mine, set()) and theirs not in dropped:
                dropped.append(theirs)
    return dropped


def _negated_at(text: str, start: int, kind: str = "detail") -> bool:
    before = text[max(0, start - 3) : start]
    if any(before.endswith(q) for q in QUESTIONS):
        return False  # 有没有经济补偿 asks about it
    if kind != "action" and any(before.endswith(neg) for neg in NEGATORS):
        return True
    return kind == "detail" and any(before.endswith(neg) for neg in ABSENCE)


def _purpose(text: str, start: int, end: int, matches: list[Match]) -> bool:
    """Whether the words at ``start:end`` say what a paper asked for is *for* (see :data:`DOCUMENTS`):
    they come before a 需要/要 that a paper follows, or after a 去办/用于 that a paper precedes."""
    papers = [m for m in matches if not m.negated and DOCUMENTS.intersection(m.concepts)]
    for m in papers:
        if m.start >= end and any(text.find(w, end, m.start) >= 0 for w in PURPOSE_BEFORE):
            return True
        if m.end <= start and any(0 <= text.find(w, m.end, end) < start for w in PURPOSE_AFTER):
            return True  # the marker may share a character with the word (去办|办营业执照)
    return False


def _wish_negated(text: str, lo: int, start: int) -> bool:
    """Whether a :data:`WISH_NEGATORS` word ends at most :data:`WISH_SCOPE` characters before
    ``start``, in ``text[lo:start]`` (the same clause), with no question word (要不要) before it."""
    window = text[lo:start]
    for neg in WISH_NEGATORS:
        at = window.rfind(neg)
        if at >= 0 and len(window) - (at + len(neg)) <= WISH_SCOPE:
            if any(window[: at + len(neg)].endswith(q) for q in QUESTIONS):
                continue
            return True
    return False


def _clauses(text: str, original: str, lexicon: Lexicon) -> list[str]:
    """The clauses of ``text`` (split at punctuation), each normalised and standardised; the whole
    text as one clause when its parts do not add up to ``original`` (normalisation across a break)."""
    if CLAUSE_PUNCTUATION.search(text):
        parts = [p for p in (normalize(c) for c in CLAUSE_PUNCTUATION.split(text)) if p]
        if "".join(parts) == original:
            return [standardise(p, lexicon) for p in parts]
    return [standardise(original, lexicon)]


def parse(text: str, lexicon: Lexicon) -> Parsed:
    """Parse ``text`` into concepts: longest match, left to right, over the lexicon's words.

    A concept right after a negator (不/没/非/不是/没有/未/无/别) is negated: it is reported in
    :attr:`Parsed.negated`, not in :attr:`Parsed.concepts`.
    """
    original = normalize(text)
    parts = _clauses(text, original, lexicon)
    q = "".join(parts)
    found: list[tuple[int, int, str]] = []
    offset = 0
    for part in parts:  # a word never spans two clauses (本溪户口，在鞍山 is not 户口在鞍山)
        found += [(s + offset, e + offset, w) for s, e, w in longest_matches(part, lexicon.words, lexicon.longest)]
        offset += len(part)
    matches: list[Match] = []
    concepts: list[str] = []
    negated: list[str] = []
    out_spans: list[tuple[int, int, str, str]] = []
    bounds = [0]
    for part in parts:
        bounds.append(bounds[-1] + len(part))
    for start, end, word in _repair(q, found, lexicon):
        names = tuple(lexicon.words[word])
        negs = [_negated_at(q, start, "detail" if n.startswith("!") else lexicon.kinds.get(n, "")) for n in names]
        clause_start = max(b for b in bounds if b <= start)
        if _wish_negated(q, max(clause_start, start - WISH_SCOPE - 3), start):
            negs = [neg or lexicon.kinds.get(n) == "action" for n, neg in zip(names, negs, strict=True)]
        if _conceded(q, clause_start, start):
            continue  # 卡倒是还能用: granted, not the trouble
        if _state_denied(q, start):
            negs = [True] * len(names)  # 没在领失业金: not receiving it, and so not the receiver's items
        if q.startswith(PAST, end) and not any(q[:start].endswith(n) or n in word for n in ABSENCE):
            # 社保卡去年补过一次: an action done before is background, not the request (没办过 asks for it).
            names = tuple(n for n in names if lexicon.kinds.get(n) != "action")
            negs = [False] * len(names)
            if not names:
                continue
        matches.append(Match(word, start, end, names, any(negs)))
        for name, neg in zip(names, negs, strict=True):
            if name.startswith("!"):
                if not neg and not _done(q, clause_start, end, min(b for b in bounds if b > start)):
                    out_spans.append((start, end, name[1:], word))
            elif neg:
                if name not in negated:
                    negated.append(name)
            elif name not in concepts:
                concepts.append(name)
    situations: list[str] = []
    offset = 0
    for part in parts:
        for start, _end, word in longest_matches(part, lexicon.situations, lexicon.situations_longest):
            if not _negated_at(q, start + offset, "detail"):
                situations.extend(s for s in lexicon.situations[word] if s not in situations)
        offset += len(part)
    negated = [c for c in negated if c not in concepts]
    if _towards_elsewhere(matches) and TOWARDS_ELSEWHERE not in situations:
        situations.append(TOWARDS_ELSEWHERE)  # 转到沈阳去领: the destination is elsewhere
    for dropped in _said_of_others(parts, bounds, matches):
        if dropped in concepts:
            concepts.remove(dropped)  # 我老公在机关上班，我自己在企业上班: the speaker's 企业, not the husband's 机关
    said_out = {w for s, e, _t, w in out_spans if not _purpose(q, s, e, matches)}
    present = set(concepts) | set(situations)
    # What the words mean together (two passes: an added concept may complete another rule).
    for _round in range(2):
        for imp in lexicon.implies:
            if all(c in present for c in imp["when"]) and not any(c in present for c in imp["unless"]):
                for c in imp["add"]:
                    if c not in lexicon.kinds:  # a situation (存疑 of 职称 + 外省)
                        if c not in situations:
                            situations.append(c)
                    elif c not in concepts and c not in negated:
                        concepts.append(c)
                for c in imp["drop"]:
                    if c in concepts:
                        concepts.remove(c)
                present = set(concepts) | set(situations)  # later rules see what this one added
        present = set(concepts) | set(situations)
    out: list[str] = []
    for rule in lexicon.out_of_scope:
        topic = rule["topic"]
        # A rule's own words (two rules of one topic may have different ``unless``).
        hit = any(w in said_out for w in rule["words"]) or (rule["all"] and all(c in present for c in rule["all"]))
        if hit and not any(c in present for c in rule["unless"]) and topic not in out:
            out.append(topic)
    unknown = _unknown(q, matches, lexicon)
    return Parsed(q, tuple(matches), tuple(concepts), tuple(negated), tuple(situations), tuple(out), original, unknown)


def focus_of(raw: str, parsed: Parsed, lexicon: Lexicon) -> Parsed:
    """``parsed`` with its :attr:`Parsed.focus`: the concepts of the last clause of ``raw`` (split at
    punctuation) that says any, when an earlier clause says others too. A single clause has no focus."""
    clauses = [c for c in CLAUSE_BREAKS.split(raw) if c]
    if len(clauses) < 2:
        return parsed
    said = set(parsed.concepts)
    for i in range(len(clauses) - 1, 0, -1):
        found = parse(clauses[i], lexicon).concepts
        focus = tuple(c for c in found if c in said)
        if focus and not any(lexicon.kinds.get(c) in ("topic", "action") for c in focus):
            continue  # a circumstance (他在外地) is not the request: look at the clause before
        if focus:
            before = set(parse("".join(clauses[:i]), lexicon).concepts)
            if before - set(focus):
                return replace(parsed, focus=focus)
            return parsed
    return parsed



REQUEST_VERBS = ("领", "办", "申请", "开通", "加上", "转")
"""Verbs that make a clause naming an item's topic a request (想领那个失业的钱) for :func:`background_only`."""
IDENTITY = ("我是", "我开", "我当", "我干", "我在干", "俺是", "俺开", "本人是", "他是", "她是", "我们是个", "咱是")
"""How a clause that says who the applicant is begins (我是个体户): never background."""


RELATIVES = ("妈", "爸", "母", "父", "姐", "哥", "弟", "妹", "家", "爱人", "媳妇", "老婆", "老公", "对象", "孩子", "儿", "闺女", "女儿", "们", "亲戚", "朋友", "同事")
"""After 我: someone else (我妈, 我们公司) — a clause about them may be background to the speaker's request."""


def _about_speaker(clause: str) -> bool:
    """Whether ``clause`` says something about the speaker (我是个体户, 我退休以后被返聘了, 本人…),
    not about a relative or the speaker's company (我妈住院了)."""
    if clause.startswith(IDENTITY):
        return True
    for marker in ("我", "俺", "本人"):
        at = clause.find(marker)
        while at >= 0:
            rest = clause[at + len(marker) :]
            if not rest.startswith(RELATIVES):
                return True
            at = clause.find(marker, at + 1)
    return False


def background_only(raw: str, parsed: Parsed, lexicon: Lexicon) -> bool:
    """Whether every out-of-scope topic of ``parsed`` is said only as background: the last clause of
    ``raw`` that says a topic or an action asks, with a topic and an action (or a verb of
    :data:`REQUEST_VERBS`), for something on the list and
    names nothing outside it (她在住院来不了，想领失业的钱; 原来只做培训，现在想加上职业中介业务).
    What concepts say together (an ``all`` rule) is background only when the asking clause says none of
    them (媳妇怀孕了，我俩都在上班 | 想查我交的养老), not when the request is one of them (函授 … 直接确定).
    A question that is itself outside the list (失业了，医保咋交) keeps its answer: not on the list."""
    if not parsed.out_of_scope:
        return False
    present = set(parsed.concepts) | set(parsed.situations)
    combined = [
        rule["all"]
        for rule in lexicon.out_of_scope
        if rule["all"] and rule["topic"] in parsed.out_of_scope and all(c in present for c in rule["all"])
    ]
    clauses = [c for c in CLAUSE_BREAKS.split(raw) if c]
    if len(clauses) < 2:
        return False
    for i in range(len(clauses) - 1, -1, -1):
        clause = clauses[i]
        last = parse(clause, lexicon)
        kinds = {lexicon.kinds.get(c) for c in last.concepts}
        if last.out_of_scope:
            return False
        if "topic" in kinds and ("action" in kinds or any(v in clause for v in REQUEST_VERBS)):
            asked = set(last.concepts) | set(last.situations)
            if any(asked.intersection(together) for together in combined):
                return False  # the request itself is part of what is off the list (函授 … 直接确定职称)
            # Who the applicant is (我是个体户，想交社保; 我退休以后被返聘了) is never background.
            return not any(_about_speaker(c) and parse(c, lexicon).out_of_scope for c in clauses[:i])
        if kinds & {"topic", "action"}:
            return False  # the asking clause says too little to outweigh the rest
    return False


# ── scoring ──


def agreement(parsed: Parsed, item: tuple[frozenset[str], frozenset[str]], lexicon: Lexicon) -> float:
    """How well an item's concepts agree with a parsed query, 0–1.

    The weight of the query's concepts the item has (core or related), over the weight of all
    the query's concepts (who-concepts only where the item names them, or where they define other
    items) plus a share of the item's core concepts the query does not mention;
    negated concepts that are core to the item count against it.
    """
    core, also = item
    kinds = lexicon.kinds
    # Who applies (单位, 毕业生 …) counts where the item says it is for them, or where it defines
    # other items (机关事业 vs 企业); "单位" said about a certificate tells nothing about it.
    said = tuple(
        c for c in parsed.concepts if kinds.get(c) != "who" or c in core or c in also or c in lexicon.telling_who
    )
    if not said:
        return 0.0
    focus = parsed.focus

    def w(c: str) -> float:
        return lexicon.weight(c) * (1.0 + FOCUS_BONUS) if c in focus else lexicon.weight(c)

    total = sum(w(c) for c in said)
    shared = sum(w(c) if c in core else w(c) * ALSO_SHARE for c in said if c in core or c in also)
    if not any(kinds.get(c) != "who" for c in said if c in core or c in also):
        return 0.0  # who alone (员工, 单位) does not say which item
    missing = sum(w(c) for c in core if c not in said)
    against = sum(w(c) for c in parsed.negated if c in core) * NEGATED_PENALTY
    a = max(0.0, (shared - against) / (total + MISSING_CORE_SHARE * missing))
    if not any(c in core for c in said):
        a *= NO_CORE_SHARE  # only side details agree (退役军人 for 失业保险关系转移): not what defines the item
    return a
