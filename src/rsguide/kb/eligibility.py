"""The item conditions ``check --situation`` reads a description against (``eligibility.yaml``).

An optional file of the knowledge base, like ``concepts.yaml``: each condition quotes the source word
for word from an item's 申请条件 or 事项说明, and names the concepts of ``concepts.yaml`` whose mention
contradicts it, satisfies it or leaves it open (see docs/data-format.md「eligibility.yaml」). It is
read with the bounded reader (:func:`rsguide.kb.yamlio.read_yaml`) and checked against the items and
the concepts of the same knowledge base; every problem is an :class:`~rsguide.errors.Issue` with file
and line. The judging itself is :mod:`rsguide.check.eligibility`.
"""

from __future__ import annotations

from rsguide.errors import Issue
from rsguide.records import dataclass

TYPE_CHECKING = False  # typing and pathlib are not imported at run time (check starts faster)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from pathlib import Path
    from typing import Any

FILE = "eligibility.yaml"

LEVELS = ("博士", "硕士", "本科", "专科", "中专", "高中")
"""The 学历 levels an ``education`` line may name (what :func:`rsguide.check.eligibility.read_education` reads)."""

YEARS_OF = ("毕业", "缴费", "工作")
"""What a ``years`` condition counts (what :func:`rsguide.check.eligibility.read_years` reads)."""


@dataclass(frozen=True)
class Alternative:
    """One 学历 line of a case: the level, and the years since graduation and of work it asks."""

    quote: str
    level: str
    years: float | None = None
    work_years: float | None = None


@dataclass(frozen=True)
class Condition:
    """A condition of an item, in the source's words, with what in a description bears on it."""

    quotes: tuple[str, ...]
    case: str | None = None
    contradicted_by: tuple[str, ...] = ()
    satisfied_by: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    years_of: str | None = None
    at_least: float | None = None
    education: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class ItemEligibility:
    """The conditions of one item (its 序号 and name, as in items.yaml)."""

    number: int
    name: str
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class ItemFacts:
    """What the check of ``eligibility.yaml`` needs of an item: its name, its own words (事项说明
    and 申请条件) and its case ids."""

    name: str
    text: str
    cases: tuple[str, ...]


def item_facts(name: str, intro: str | None, conditions: Iterable[str], cases: Iterable[str]) -> ItemFacts:
    """:class:`ItemFacts` of an item."""
    return ItemFacts(name, "\n".join([intro or "", *conditions]), tuple(cases))


@dataclass
class _Entry:
    number: int
    name: str
    line: int | None
    conditions: list[tuple[Condition, int | None, str]]  # with its line and entry label (第4项条件2)


@dataclass
class RawEligibility:
    """``eligibility.yaml`` read and checked on its own; :func:`check_eligibility` checks it against
    the items and the concepts."""

    file: str
    entries: list[_Entry]

    @property
    def numbers(self) -> set[int]:
        """The 序号 of the items it names."""
        return {e.number for e in self.entries}


_TOP = ("version", "items")
_ENTRY = ("item", "name", "conditions")
_CONDITION = ("quote", "case", "contradicted_by", "satisfied_by", "about", "years", "education")
_YEARS = ("of", "at_least")
_ALTERNATIVE = ("quote", "level", "years", "work_years")


def _line(mapping: Any, key: Any = None) -> int | None:
    from rsguide.kb.yamlio import LineDict

    if not isinstance(mapping, LineDict):
        return None
    return mapping.line_of(key) if key is not None else mapping.line


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _years(value: Any) -> tuple[bool, float | None]:
    """Whether ``value`` is a number of years (0 to 100, or absent), and the number."""
    if value is None:
        return True, None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        return False, None
    return True, float(value)


def read_eligibility(path: Path, issues: list[Issue]) -> RawEligibility:
    """Read ``eligibility.yaml`` with the bounded reader and check its shape; problems (file, line,
    entry, key, message in Chinese) are appended to ``issues``."""
    from rsguide.kb.yamlio import read_yaml

    file = str(path)
    out = RawEligibility(file, [])
    data, found = read_yaml(path)
    issues.extend(found)
    if data is None:
        return out

    def issue(line: int | None, entry: str | None, key: str | None, message: str) -> None:
        issues.append(Issue(file, line, entry, key, message))

    def names(spec: dict[Any, Any], key: str, line: int | None, entry: str) -> tuple[str, ...]:
        value = spec.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            issue(_line(spec, key) or line, entry, key, "应为概念名或概念名的列表")
            return ()
        return tuple(v.strip() for v in value)

    if not isinstance(data, dict):
        issue(1, None, None, "应为映射（键: 值），顶层有 items")
        return out
    _unknown_keys(issue, data, _TOP, 1, None)
    raw_items = data.get("items")
    if raw_items is None:
        return out
    if not isinstance(raw_items, list):
        issue(_line(data, "items"), None, "items", "应为列表：每项 {item: 序号, name: 名称, conditions: […]}")
        return out
    seen: dict[int, int | None] = {}
    for raw in raw_items:
        line = _line(raw) or _line(data, "items")
        if not isinstance(raw, dict):
            issue(line, "事项", None, "应为映射：{item: 序号, name: 名称, conditions: […]}")
            continue
        number = raw.get("item")
        entry = f"第{number}项" if isinstance(number, int) and not isinstance(number, bool) else "事项"
        _unknown_keys(issue, raw, _ENTRY, line, entry)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            issue(_line(raw, "item"), entry, "item", f"应为事项序号（正整数），实为 {number!r}")
            continue
        name = _text(raw.get("name"))
        if name is None:
            issue(_line(raw, "name"), entry, "name", "应为事项名称（与 items.yaml 中该项的 name 相同）")
            continue
        if number in seen:
            issue(line, entry, "item", f"事项 {number} 重复（第一次在第 {seen[number]} 行）")
            continue
        seen[number] = line
        conds = raw.get("conditions")
        if not isinstance(conds, list) or not conds:
            issue(_line(raw, "conditions"), entry, "conditions", "应为至少一条条件的列表")
            continue
        kept: list[tuple[Condition, int | None, str]] = []
        for i, spec in enumerate(conds, 1):
            cline = _line(spec) or _line(raw, "conditions")
            centry = f"{entry}条件{i}"
            if not isinstance(spec, dict):
                issue(cline, centry, None, "应为映射：{quote: 源文件原文, contradicted_by: […] …}")
                continue
            _unknown_keys(issue, spec, _CONDITION, cline, centry)
            condition = _condition(spec, cline, centry, issue, names)
            if condition is not None:
                kept.append((condition, cline, centry))
        out.entries.append(_Entry(number, name, line, kept))
    return out


def _unknown_keys(
    issue: Callable[[int | None, str | None, str | None, str], None],
    mapping: dict[Any, Any],
    known: tuple[str, ...],
    line: int | None,
    entry: str | None,
    *,
    prefix: str = "",
    key_lines: bool = True,
) -> None:
    """One issue for each key of ``mapping`` not in ``known`` (named ``prefix`` + key), at the key's own
    line (``key_lines``) or at ``line``."""
    for key in mapping:
        if key not in known:
            at = (_line(mapping, key) if key_lines else None) or line
            issue(at, entry, f"{prefix}{key}", f"未知的键（可用的键：{'、'.join(known)}）")


def _condition(
    spec: dict[Any, Any],
    line: int | None,
    entry: str,
    issue: Callable[[int | None, str | None, str | None, str], None],
    names: Callable[[dict[Any, Any], str, int | None, str], tuple[str, ...]],
) -> Condition | None:
    case = spec.get("case")
    if case is not None and _text(case) is None:
        issue(_line(spec, "case") or line, entry, "case", "应为该事项的办理情形 id（文本）")
        return None
    case = _text(case)
    alternatives: list[Alternative] = []
    raw_edu = spec.get("education")
    if raw_edu is not None:
        if not isinstance(raw_edu, list) or not raw_edu:
            issue(_line(spec, "education") or line, entry, "education", "应为学历条件的列表：{quote, level, years, work_years}")
            return None
        for a in raw_edu:
            aline = _line(a) or _line(spec, "education") or line
            if not isinstance(a, dict):
                issue(aline, entry, "education", "每条应为映射：{quote: 原文, level: 学历, years: 年, work_years: 年}")
                return None
            _unknown_keys(issue, a, _ALTERNATIVE, aline, entry, prefix="education.", key_lines=False)
            quote, level = _text(a.get("quote")), a.get("level")
            (years_ok, years), (work_ok, work) = _years(a.get("years")), _years(a.get("work_years"))
            if quote is None:
                issue(aline, entry, "education.quote", "应为源文件原文（文本）")
                return None
            if level not in LEVELS:
                issue(aline, entry, "education.level", f"应为 {'、'.join(LEVELS)} 之一，实为 {level!r}")
                return None
            if not (years_ok and work_ok):
                issue(aline, entry, "education.years", "years、work_years 应为年数（0 到 100 的数）")
                return None
            alternatives.append(Alternative(quote, level, years, work))
        if "quote" in spec:
            issue(_line(spec, "quote") or line, entry, "quote", "有 education 时原文写在每条学历条件的 quote 中")
            return None
    quote = _text(spec.get("quote"))
    if not alternatives and quote is None:
        issue(_line(spec, "quote") or line, entry, "quote", "应为源文件原文（文本；或改写 education）")
        return None
    years_of: str | None = None
    at_least: float | None = None
    raw_years = spec.get("years")
    if raw_years is not None:
        yline = _line(spec, "years") or line
        if not isinstance(raw_years, dict):
            issue(yline, entry, "years", "应为映射：{of: 毕业/缴费/工作, at_least: 年数}")
            return None
        _unknown_keys(issue, raw_years, _YEARS, yline, entry, prefix="years.", key_lines=False)
        of, (least_ok, least) = raw_years.get("of"), _years(raw_years.get("at_least"))
        if of not in YEARS_OF:
            issue(yline, entry, "years.of", f"应为 {'、'.join(YEARS_OF)} 之一，实为 {of!r}")
            return None
        if not least_ok or least is None:
            issue(yline, entry, "years.at_least", "应为年数（0 到 100 的数）")
            return None
        years_of, at_least = str(of), least
    contradicted = names(spec, "contradicted_by", line, entry)
    satisfied = names(spec, "satisfied_by", line, entry)
    about = names(spec, "about", line, entry)
    if not (alternatives or years_of or contradicted or satisfied or about):
        issue(line, entry, None, "没有可判断的内容：须有 contradicted_by、satisfied_by、about、years 或 education")
        return None
    return Condition(
        quotes=tuple(a.quote for a in alternatives) or (quote or "",),
        case=case,
        contradicted_by=contradicted,
        satisfied_by=satisfied,
        about=about,
        years_of=years_of,
        at_least=at_least,
        education=tuple(alternatives),
    )


def check_eligibility(
    raw: RawEligibility,
    items: Mapping[int, ItemFacts],
    concepts: Iterable[str] | None,
    issues: list[Issue],
    warnings: list[Issue],
) -> tuple[ItemEligibility, ...]:
    """The conditions of ``raw`` checked against the knowledge base. Errors (``issues``): an item that
    does not exist, a quote that is not the item's own words (申请条件 or 事项说明), a case that is
    not one of the item's, a concept not defined in ``concepts.yaml`` (``concepts``: its concept and
    situation names; ``None`` without the file: then no name is checked, and none is ever read in a
    description, since there is no concept layer). A warning (``warnings``): an item named otherwise
    than in items.yaml; its conditions are not used (the 序号 may now be another item), and a
    renamed item does not stop the knowledge base."""
    known = None if concepts is None else set(concepts)
    out: list[ItemEligibility] = []
    for e in raw.entries:
        entry = f"第{e.number}项"
        facts = items.get(e.number)
        if facts is None:
            issues.append(Issue(raw.file, e.line, entry, "item", f"事项 {e.number} 不存在"))
            continue
        if facts.name != e.name:
            message = f"名称“{e.name}”与 items.yaml 中第{e.number}项的“{facts.name}”不同，该项的条件不用"
            warnings.append(Issue(raw.file, e.line, entry, "name", message))
            continue
        kept: list[Condition] = []
        for c, line, centry in e.conditions:

            def issue(line: int | None, key: str | None, message: str) -> None:
                issues.append(Issue(raw.file, line, centry, key, message))  # noqa: B023 (used at once)

            ok = True
            for q in c.quotes:
                if q not in facts.text:
                    issue(line, "quote", f"“{q}”不是该事项申请条件或事项说明的原文（须逐字引用）")
                    ok = False
            if c.case is not None and c.case not in facts.cases:
                where = f"（该事项的情形：{'、'.join(facts.cases)}）" if facts.cases else "（该事项没有办理情形）"
                issue(line, "case", f"办理情形“{c.case}”不存在{where}")
                ok = False
            for key, values in (
                ("contradicted_by", c.contradicted_by),
                ("satisfied_by", c.satisfied_by),
                ("about", c.about),
            ):
                for v in values:
                    if known is not None and v not in known:
                        issue(line, key, f"概念“{v}”未在 concepts.yaml 的 concepts/situations 中定义")
                        ok = False
            if ok:
                kept.append(c)
        out.append(ItemEligibility(e.number, e.name, tuple(kept)))
    return tuple(out)
