"""Reading the clerk's description of the applicant against the item's 申请条件.

``check --situation`` used to read the description only against the 禁办 list; a description that
contradicts the item's own conditions ("主动辞职" for 失业保险金申领, "户口在鞍山" for 异地转出) got
可以受理. The conditions a description can contradict are data of the knowledge base
(``eligibility.yaml``, read and checked by :mod:`rsguide.kb.eligibility`: each quoted word for word
from the item's own text); a knowledge base without the file has none. The description is read with the concept layer of search (:func:`rsguide.search.
concepts.parse`: 主动离职, 在职, 本地户口/外地户口 …), with the check reader's clause-level negation
and uncertainty (:func:`rsguide.check.situations.read`), and with a small reader of numbers of years
(毕业1年, 毕业满3年, 缴费半年, 不到一年).

Each condition the description speaks about is *contradicted* (the words say the applicant does not
meet it) or *open* (the words touch it but do not settle it); conditions it does not speak about
are not reported, and then nothing changes. Either finding makes the verdict 待确认, never 可以受理.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from rsguide.lazyre import LazyPattern
from rsguide.numerals import from_chinese
from rsguide.records import dataclass, field

TYPE_CHECKING = False  # typing and pathlib are not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, Literal

    from rsguide.kb.eligibility import Condition, ItemEligibility
    from rsguide.model import Item
    from rsguide.search.concepts import Lexicon

    Kind = Literal["contradicted", "open"]
else:
    Kind = str


@dataclass(frozen=True)
class ConditionFinding:
    """What the description says about one condition."""

    kind: Kind
    quotes: tuple[str, ...]
    """The source's words of the condition (several for the 学历 lines of a case)."""
    understood: str
    """What was read in the description (主动离职；缴费0.5年)."""
    case: str | None = None

    @property
    def text(self) -> str:
        """The line the clerk reads."""
        quoted = "；".join(f"“{q}”" for q in self.quotes)
        where = f"（{self.case}）" if self.case else ""
        if self.kind == "contradicted":
            return f"申请条件{where}{quoted}，而描述中说的是：{self.understood}，与条件不符，请核对后再受理"
        return f"申请条件{where}{quoted}，描述中说到：{self.understood}，未能判断是否符合，请向申请人核对"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (docs/json.md)."""
        return {
            "judgement": self.kind,
            "case": self.case,
            "conditions": list(self.quotes),
            "understood": self.understood,
        }


# ── the data ──


def conditions_of(item: Item, eligibility: Iterable[ItemEligibility]) -> tuple[Condition, ...]:
    """The conditions of ``item`` a description can contradict, from the knowledge base's
    ``eligibility.yaml`` (``eligibility``: :attr:`rsguide.model.KnowledgeBase.eligibility`, checked
    when it was loaded: every quote is the item's own words). None for an item the file does not
    name, or names under another name."""
    for entry in eligibility:
        if entry.number == item.number:
            return entry.conditions if entry.name == item.name else ()
    return ()


# ── reading numbers of years ──

_NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十]+|半)"
_LESS = r"(不到|不满|未满|没满|没到|不足|还不到|还没到|还没满|差)?"
_UNIT = r"(多)?(个)?(年|月)(半)?"
_CLAUSE = LazyPattern(r"[，,。；;！!？?\n]")
_LEVELS = (
    ("博士", "博士"),
    ("硕士", "硕士"),
    ("研究生", "硕士"),
    ("本科", "本科"),
    ("大专", "专科"),
    ("专科", "专科"),
    ("中专", "中专"),
    ("高中", "高中"),
)
_TRIGGERS = {
    "毕业": ("毕业",),
    "缴费": ("缴费", "交费", "缴纳", "缴了", "交了", "缴过", "交过", "参保", "上了", "交失业", "缴失业"),
    "工作": ("从事", "工作", "干了", "上班", "工龄"),
}


def _number(text: str) -> float | None:
    if text == "半":
        return 0.5
    if text[0].isdigit():
        return float(text)
    n = from_chinese(text.replace("两", "二"))
    return float(n) if n is not None else None


@dataclass(frozen=True)
class Years:
    """A number of years read from a description: ``value`` years, or fewer than it (``less``)."""

    value: float
    less: bool = False
    words: str = ""

    def short_of(self, needed: float) -> bool:
        """Whether these years are fewer than ``needed``."""
        return self.value <= needed if self.less else self.value < needed


def read_years(clause: str, of: str) -> Years | None:
    """``缴费半年`` → 0.5; ``毕业满3年`` → 3; ``毕业不到一年`` → fewer than 1; ``3年前毕业`` → 3."""
    for trigger in _TRIGGERS[of]:
        for hit in re.finditer(re.escape(trigger), clause):
            rest = clause[hit.end() : hit.end() + 12]
            m = re.search(_LESS + r"(?:已经|已|刚|刚刚|才|只|只有|满|够|了|有|过)*" + _NUM + _UNIT, rest)
            if m and m.start() <= 6:
                value = _number(m[2])
                if value is None:
                    continue
                if m[5] == "月":
                    value /= 12
                elif m[6]:
                    value += 0.5
                return Years(value, bool(m[1]), clause[hit.start() : hit.end() + m.end()])
    if of == "毕业":
        m = re.search(_NUM + r"(个)?(年|月)前(?:就|已经)?毕业", clause)
        if m and (value := _number(m[1])) is not None:
            return Years(value / 12 if m[3] == "月" else value, False, m[0])
        m = re.search(r"(刚毕业|应届|今年毕业|今年刚毕业)", clause)
        if m:
            return Years(0.0, False, m[0])
    return None


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(unicodedata.normalize("NFKC", text)) if c.strip()]


@dataclass
class Education:
    """The 学历 levels a description names, each with the years since graduation said beside it."""

    levels: list[tuple[str, Years | None, str]] = field(default_factory=list)
    work: Years | None = None


def read_education(text: str) -> Education:
    """全日制大专毕业1年 → (专科, 1 year); 硕士研究生 → 硕士 (研究生 alone too)."""
    out = Education()
    for clause in _clauses(text):
        for word, level in _LEVELS:
            at = clause.find(word)
            if at < 0 or any(level == lv for lv, _y, _w in out.levels):
                continue
            if word == "研究生" and "硕士" in clause:
                continue
            if word == "专科" and "大专" in clause:
                continue
            out.levels.append((level, read_years(clause[at:], "毕业"), word))
        work = read_years(clause, "工作")
        if work is not None and out.work is None:
            out.work = work
    if len(out.levels) == 1 and out.levels[0][1] is None:  # 全日制硕士，毕业2年: the years of the one level
        years = next((y for c in _clauses(text) if (y := read_years(c, "毕业")) is not None), None)
        out.levels[0] = (out.levels[0][0], years, out.levels[0][2])
    return out


# ── judging ──


def _words_of(lexicon: Lexicon, names: Iterable[str]) -> list[str]:
    wanted = set(names)
    words = [w for w, ns in lexicon.words.items() if wanted & set(ns)]
    words += [w for w, ns in lexicon.situations.items() if wanted & set(ns)]
    return words


def _said(text: str, names: Sequence[str], lexicon: Lexicon, self_words: dict[str, str]) -> tuple[list[str], list[str]]:
    """The concepts of ``names`` the description says (certain) and those it only touches (uncertain);
    ``self_words`` gets, per concept said, how to show it (主动离职（辞职）)."""
    from rsguide.check.situations import read
    from rsguide.search.concepts import parse

    parsed = parse(text, lexicon)
    present = set(parsed.concepts) | set(parsed.situations)
    certain: list[str] = []
    unsure: list[str] = []
    for name in names:
        if name not in present:
            continue
        mentions = [m for c in read(text, _words_of(lexicon, [name])) for m in c.mentions]
        if mentions and all(m.negated for m in mentions if not m.uncertain) and any(not m.uncertain for m in mentions):
            continue  # 不是主动辞职: said, and denied
        words = "、".join(dict.fromkeys(m.word for m in mentions if not m.negated))
        shown = f"{name}（{words}）" if words and words != name else name
        if mentions and all(m.uncertain for m in mentions):
            unsure.append(name)
        elif not mentions and any(c.uncertain for c in read(text, ())):
            unsure.append(name)  # implied (户口在沈阳 ⇒ 外地户口) in an uncertain description
        else:
            certain.append(name)
            self_words[name] = shown
    return certain, unsure


def _judge(c: Condition, text: str, lexicon: Lexicon | None) -> ConditionFinding | None:
    understood: list[str] = []
    contra = sat = touched = False
    if lexicon is not None and (c.contradicted_by or c.satisfied_by or c.about):
        names = [*c.contradicted_by, *c.satisfied_by, *c.about]
        shown: dict[str, str] = {}
        certain, unsure = _said(text, names, lexicon, shown)
        contra = any(n in certain for n in c.contradicted_by)
        sat = any(n in certain for n in c.satisfied_by)
        touched = bool(unsure) or any(n in certain for n in c.about)
        understood += [shown.get(n, n) for n in certain if n not in c.about or not (contra or sat)]
        understood += [f"{n}（不确定）" for n in unsure]
    if c.years_of and c.at_least is not None:
        for clause in _clauses(text):
            years = read_years(clause, c.years_of)
            if years is not None:
                understood.append(years.words)
                if years.short_of(c.at_least):
                    contra = True
                else:
                    sat = True
                break
    if contra and not sat:
        return ConditionFinding("contradicted", c.quotes, "；".join(understood), c.case)
    if contra or (touched and not sat):
        return ConditionFinding("open", c.quotes, "；".join(understood), c.case)
    return None


def _judge_education(c: Condition, edu: Education) -> ConditionFinding | None:
    if not edu.levels:
        return None
    said = "、".join(w + (f"（{y.words}）" if y else "") for _lv, y, w in edu.levels)
    if edu.work:
        said += f"；{edu.work.words}"
    fitting = [a for a in c.education if any(a.level == lv for lv, _y, _w in edu.levels)]
    if not fitting:
        if all(lv == "博士" for lv, _y, _w in edu.levels):
            return ConditionFinding("open", c.quotes, said, c.case)  # not listed: the source does not say
        return ConditionFinding("contradicted", c.quotes, said, c.case)
    for a in fitting:
        years = next((y for lv, y, _w in edu.levels if lv == a.level), None)
        if a.years is not None and years is not None and years.short_of(a.years):
            continue
        if a.work_years is not None and edu.work is not None and edu.work.short_of(a.work_years):
            continue
        return None
    return ConditionFinding("contradicted", tuple(a.quote for a in fitting), said, c.case)


def assess_conditions(
    item: Item,
    texts: Sequence[str],
    lexicon: Lexicon | None,
    case: str | None,
    eligibility: Iterable[ItemEligibility] = (),
) -> tuple[list[ConditionFinding], list[str]]:
    """The conditions of ``item`` (from ``eligibility``, the knowledge base's ``eligibility.yaml``) the
    clerk's ``texts`` contradict or leave open, for ``case`` (all cases when it is not known: then a
    case's condition counts only when every case's is contradicted). Returns the findings and the
    texts that spoke about a condition."""
    conditions = conditions_of(item, eligibility)
    if not conditions or not texts:
        return [], []
    findings: list[ConditionFinding] = []
    used: list[str] = []
    by_case: dict[str, list[ConditionFinding | None]] = {}
    for text in texts:
        edu = read_education(text)
        for c in conditions:
            if c.case is not None and case is not None and c.case != case:
                continue
            f = _judge_education(c, edu) if c.education else _judge(c, text, lexicon)
            if c.case is not None and case is None:
                by_case.setdefault(c.case, []).append(f)
                continue
            if f is not None:
                findings.append(f)
                if text not in used:
                    used.append(text)
    if by_case:
        per_case = [[f for f in fs if f is not None] for fs in by_case.values()]
        if all(any(f.kind == "contradicted" for f in fs) for fs in per_case):
            findings += [f for fs in per_case for f in fs]
            used += [t for t in texts if t not in used]
    return findings, used
