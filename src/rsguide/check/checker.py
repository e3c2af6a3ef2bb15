"""Deciding at the window whether an application can be accepted.

Verdicts, strongest first (:class:`Verdict`): ``prohibited`` (a 禁办情形 is established) ›
``unconfirmed`` (a 禁办情形 of the subject is still open: the clerk must ask) › ``incomplete`` (a
required material is missing and may not be tolerated) › ``tolerated`` (only materials of the 容缺
list or under 告知承诺 are missing: 容缺受理) › ``ok``. The reasons of the weaker verdicts are still
reported under a stronger one.

Materials are identified exactly: the document itself, its original or its copy. The 容缺 list's
身份证复印件 tolerates a missing copy while the ID is seen, never a missing ID; a word that fits
several materials (身份证: the applicant's or the agent's) is resolved by ``--when`` or answered with
a question (exit 2), never matched silently to a material needed only under a condition.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from enum import Enum

from rsguide.check.checklist import build_checklist, cases_matter, choose_channel, resolve_case, resolve_tags
from rsguide.check.situations import Finding, Judgement, LabelError, assess
from rsguide.check.workdays import add_working_days, is_known, is_workday
from rsguide.errors import ExitCode, NotFoundError, UsageError
from rsguide.lazyre import LazyPattern
from rsguide.model import Item, Material, ProhibitedRule, RuleSubject, TimeLimit, ToleratedMaterial
from rsguide.records import dataclass, field
from rsguide.search.engine import SearchIndex, similarity
from rsguide.search.lookup import clean_query, resolve
from rsguide.search.normalize import normalize

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, Literal

    from rsguide.check.eligibility import ConditionFinding
    from rsguide.kb.api import ReadAPI
    from rsguide.search.concepts import Lexicon


class Verdict(str, Enum):
    """The decision; compares equal to its JSON value (``Verdict.OK == "ok"``)."""

    OK = "ok"
    TOLERATED = "tolerated"
    INCOMPLETE = "incomplete"
    UNCONFIRMED = "unconfirmed"
    PROHIBITED = "prohibited"

    @property
    def text(self) -> str:
        """可以受理 / 容缺受理 / 材料不全 / 待确认 / 不予受理."""
        return VERDICT_TEXT[self.value]

    @property
    def exit_code(self) -> ExitCode:
        """The exit code of ``rsguide check`` for this verdict."""
        return _EXIT[self.value]


VERDICT_TEXT = {
    "ok": "可以受理",
    "tolerated": "容缺受理",
    "incomplete": "材料不全",
    "unconfirmed": "待确认",
    "prohibited": "不予受理",
}
_EXIT = {
    "ok": ExitCode.OK,
    "tolerated": ExitCode.OK,
    "incomplete": ExitCode.INCOMPLETE,
    "unconfirmed": ExitCode.UNCONFIRMED,
    "prohibited": ExitCode.PROHIBITED,
}

if TYPE_CHECKING:
    Part = Literal["original", "copy"]
else:
    Part = str
PART_TEXT = {"original": "原件", "copy": "复印件"}

# Words about the form of a document, not the document itself ("身份证复印件" → 身份证).
_FORM_WORDS = LazyPattern(
    r"(原件及复印件|原件和复印件|原件与复印件|复印件|影印件|复印本|复印|原件|正反面|一份|1份|两份|一式两份)"
)
_COPY = re.compile(r"复印|影印")
_BOTH = re.compile(r"原件(及|和|与)复印件")
# Whose document: the agent's (代办) or the applicant's own.
_AGENT = ("代办", "受托人", "代理人")
_OWN = ("存档人员", "存档人", "本人", "申请人")


@dataclass(frozen=True)
class Subject:
    """What is being applied for: one of the items, or a rule subject that is not an item."""

    item: Item | None = None
    rule_subject: RuleSubject | None = None
    query_matches_rule: tuple[ProhibitedRule, ...] = ()

    @property
    def name(self) -> str:
        """The subject's name as the source writes it."""
        if self.item:
            return self.item.name
        assert self.rule_subject is not None
        return self.rule_subject.name

    @property
    def names(self) -> tuple[str, ...]:
        """The subject's name and aliases."""
        if self.item:
            return (self.item.name, *self.item.aliases)
        assert self.rule_subject is not None
        return (self.rule_subject.name, *self.rule_subject.aliases)

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``number`` where the subject is an item, ``id`` where it is not."""
        if self.item:
            return {"kind": "item", "number": self.item.number, "name": self.item.name, "id": None}
        assert self.rule_subject is not None
        return {"kind": "rule_subject", "number": None, "name": self.rule_subject.name, "id": self.rule_subject.id}


@dataclass(frozen=True)
class Tolerated:
    """A material the applicant lacks that is accepted under 容缺 (or 告知承诺), with when to supply it."""

    material: str
    """The guide material it belongs to (存档人员有效身份证件); for a rule subject, the list's words."""
    list_material: str | None
    """What the 容缺办理事项清单 tolerates, in its words (身份证复印件); ``None`` for the guide's 告知承诺."""
    source: str
    """资料来源."""
    correction: str
    """补正时间 as the source writes it (15个工作日, 现场查询, 实行告知承诺制)."""
    kind: str
    """working_days | on_site_check | commitment."""
    days: int | None = None
    deadline: dt.date | None = None
    """The 补正 deadline of a working-days period, counted from the day of acceptance."""
    rule: int | None = None
    """The row of the 容缺 list."""

    @property
    def name(self) -> str:
        """What is missing, in the list's words and with the guide material it belongs to."""
        if self.list_material and normalize(self.list_material) != normalize(self.material):
            return f"{self.list_material}（属“{self.material}”）"
        return self.list_material or self.material

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (docs/json.md)."""
        return {
            "material": self.material,
            "list_material": self.list_material,
            "source": self.source,
            "correction": self.correction,
            "correction_kind": self.kind,
            "correction_days": self.days,
            "correction_deadline": self.deadline.isoformat() if self.deadline else None,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Lacking:
    """A required material (or one part of it: the original, the copy) the applicant lacks."""

    material: Material
    part: Part | None = None

    @property
    def name(self) -> str:
        """身份证 or 身份证（复印件）."""
        return self.material.name + (f"（{PART_TEXT[self.part]}）" if self.part else "")


@dataclass
class Decision:
    """The decision and everything the clerk needs to act on it."""

    verdict: Verdict
    subject: Subject
    date: dt.date
    channel: str | None
    case: str | None
    when: tuple[str, ...]
    reasons: list[str] = field(default_factory=list)
    lacking: list[Lacking] = field(default_factory=list)
    present: list[Material] = field(default_factory=list)
    tolerated: list[Tolerated] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    conditions: list[ConditionFinding] = field(default_factory=list)
    """申请条件 the description contradicts or leaves open (待确认, never 可以受理)."""
    correction_deadline: dt.date | None = None
    due_date: dt.date | None = None
    time_limit: TimeLimit | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """可以受理 / 容缺受理 / 材料不全 / 待确认 / 不予受理."""
        return self.verdict.text

    @property
    def exit_code(self) -> ExitCode:
        """The exit code of this decision."""
        return self.verdict.exit_code

    @property
    def missing(self) -> list[Material]:
        """Required materials missing and not tolerated."""
        return [x.material for x in self.lacking]

    @property
    def established(self) -> list[Finding]:
        """禁办情形 that apply."""
        return [f for f in self.findings if f.judgement is Judgement.ESTABLISHED]

    @property
    def questions(self) -> list[Finding]:
        """禁办情形 still open: the clerk asks each as a yes/no question."""
        return [f for f in self.findings if f.judgement is Judgement.OPEN]

    @property
    def prohibited(self) -> list[dict[str, Any]]:
        """The established 情形 in the JSON form."""
        return [
            {"rule": f.rule.number, "subject": f.rule.subject, "case": f.case.text, "matched": list(f.evidence)}
            for f in self.established
        ]


# ── identifying the materials the clerk names ──


@dataclass(frozen=True)
class MaterialRef:
    """A material as the clerk names it: the document and which part (original, copy, or the document itself)."""

    text: str
    core: str
    part: Part | None


def parse_material(text: str) -> MaterialRef:
    """``身份证复印件`` → (身份证, copy); ``身份证原件`` → (身份证, original); ``身份证`` → (身份证, None)."""
    key = normalize(text)
    part: Part | None = None
    if not _BOTH.search(key):
        if _COPY.search(key):
            part = "copy"
        elif "原件" in key:
            part = "original"
    return MaterialRef(text, _core(text), part)


# Ways of writing one document that do not change which document it is: 居民身份证 / 二代身份证 /
# 身份证件 are 身份证; 的 joins words (身份证的复印件). Applied to the clerk's words and the source's alike.
_SPELLINGS = (
    (re.compile(r"(?:居民|第?二代|有效)+(?=身份证)"), ""),
    (re.compile(r"身份证件"), "身份证"),
    (re.compile(r"的"), ""),
)


def _core(text: str) -> str:
    key = normalize(text)
    for pattern, repl in _SPELLINGS:
        key = pattern.sub(repl, key)
    return _FORM_WORDS.sub("", key) or key


def material_score(query: str, material_name: str) -> float:
    """How well a typed material (身份证) names a material of the source (存档人员有效身份证件)."""
    q, t = _core(query), _core(material_name)
    if not q or not t:
        return 0.0
    return similarity(q, t)


MATERIAL_FLOOR = 70.0
MATERIAL_MARGIN = 8.0
"""Materials scoring within this of the best are all candidates for what the clerk typed."""


def _holder_fits(query: str, material_name: str) -> bool:
    q, t = normalize(query), normalize(material_name)
    if any(w in q for w in _AGENT):
        return any(w in t for w in _AGENT)
    if any(w in q for w in _OWN):
        return not any(w in t for w in _AGENT)
    return True


def candidates(query: str, materials: Sequence[Material]) -> list[Material]:
    """The materials ``query`` may name, best first (those within :data:`MATERIAL_MARGIN` of the best)."""
    scored = [(material_score(query, m.name), i, m) for i, m in enumerate(materials) if _holder_fits(query, m.name)]
    scored = [x for x in scored if x[0] >= MATERIAL_FLOOR]
    if not scored:
        return []
    best = max(x[0] for x in scored)
    if best == 100.0:
        return [m for sc, _i, m in scored if sc == 100.0][:1]
    return [m for sc, _i, m in sorted(scored, key=lambda x: (-x[0], x[1])) if sc >= best - MATERIAL_MARGIN]


def match_material(query: str, materials: list[Material]) -> Material | None:
    """The material ``query`` names best (first in order on ties), or ``None``."""
    found = candidates(query, materials)
    return found[0] if found else None


def _when_text(m: Material) -> str:
    return "、".join(m.when)


def identify(
    text: str, required: Sequence[Material], conditional: Sequence[Material], *, item: Item, warnings: list[str]
) -> Material:
    """The required material ``text`` names; a question (:class:`UsageError`) when it fits several, or
    only materials needed under a condition not given with ``--when``."""
    found = candidates(text, [*required, *conditional])
    names = "、".join(m.name for m in required) or "（本情形不需要材料）"
    if not found:
        raise NotFoundError(f"第{item.number}项没有材料“{text}”", hint=f"本情形需要的材料：{names}")
    req = [m for m in found if any(m is r for r in required)]
    cond = [m for m in found if not any(m is r for r in required)]
    if len(req) == 1:
        for c in cond:
            warnings.append(
                f"“{text}”按“{req[0].name}”核对；如指“{c.name}”（{_when_text(c)}时需要），请加 --when {c.when[0]}"
            )
        return req[0]
    if len(req) > 1:
        listed = "、".join(f"“{m.name}”" for m in req)
        raise UsageError(f"“{text}”可以指{listed}，请问是哪一份", hint="请写出材料全称，例如 --missing " + req[0].name)
    listed = "；".join(f"“{m.name}”（仅当{_when_text(m)}时需要）" for m in cond)
    tags = " 或 ".join(dict.fromkeys(f"--when {m.when[0]}" for m in cond))
    raise UsageError(
        f"“{text}”只对应{listed}，请问申请人是否属于这种情况", hint=f"如是，请加 {tags}；如不是，本次不需要这份材料"
    )


def _parts(m: Material) -> set[Part]:
    """The parts the guide asks for: 原件及复印件 → both; 复印件 → copy; otherwise the document itself."""
    if m.form == "原件及复印件":
        return {"original", "copy"}
    if m.form == "复印件":
        return {"copy"}
    return {"original"}


# ── resolving the subject ──


SUBJECT_FLOOR = 75.0
"""A rule subject of the 禁办/容缺 lists scoring this much is a reading of the query."""
SUBJECT_MARGIN = 8.0
"""Two rule subjects this close to each other are both readings: the clerk names one."""


def _subject_score(query: str, s: RuleSubject) -> float:
    q = normalize(query)
    return max(similarity(q, normalize(name)) for name in (s.name, *s.aliases))


def resolve_subject(kb: ReadAPI, index: Callable[[], SearchIndex], query: str) -> Subject:
    """An item (through search) or a rule subject of the 禁办/容缺 lists, whichever fits better."""
    text = clean_query(query)
    scored = sorted(((_subject_score(text, s), s) for s in kb.subjects), key=lambda pair: -pair[0])
    subject_score, best_subject = scored[0] if scored else (0.0, None)
    close = [s for score, s in scored if score >= SUBJECT_FLOOR and score >= subject_score - SUBJECT_MARGIN]
    if len(close) > 1:
        # 职业资格证书补发: the 禁办 list has two such subjects (补发证明 of 禁办1, 外省市报名的 of 禁办4), each
        # with its own 情形 — which one is asked decides the verdict. An item as close is a reading too.
        names = [s.name for s in close]
        try:
            item_hit = resolve(kb, index, text).hit
            if item_hit.score >= subject_score - SUBJECT_MARGIN:
                names.append(f"第{item_hit.number}项 {item_hit.name}")
        except NotFoundError:
            pass
        raise UsageError(f"“{text}”可以指：{'；'.join(names)}", hint=f"请写出全称，例如 rsguide check {close[0].name}")
    try:
        found = resolve(kb, index, text)
    except NotFoundError:
        if best_subject is not None and subject_score >= SUBJECT_FLOOR:
            return Subject(rule_subject=best_subject, query_matches_rule=_named_rules(kb, text, subject=best_subject))
        raise
    if best_subject is not None and subject_score > found.hit.score:
        return Subject(rule_subject=best_subject, query_matches_rule=_named_rules(kb, text, subject=best_subject))
    return Subject(item=found.item, query_matches_rule=_named_rules(kb, text, item=found.item))


def _named_rules(
    kb: ReadAPI, query: str, item: Item | None = None, subject: RuleSubject | None = None
) -> tuple[ProhibitedRule, ...]:
    """禁办 rows whose own subject the query names, where that subject is itself the 情形: more
    specific than the item's name (外省市评审的职称证书补发 vs 职称证书补发), or a rule subject whose
    name states its 情形 (外省市报名的职业资格考试证书补发, not 免费职业技能培训报名)."""
    from rsguide.check.situations import judge_text

    q = normalize(query)
    out = []
    for rule in kb.prohibited:
        if item is not None and rule.item != item.number:
            continue
        if item is not None and normalize(rule.subject) in {
            normalize(item.name),
            *(normalize(a) for a in item.aliases),
        }:
            continue
        if item is None and (subject is None or rule.rule_subject != subject.id):
            continue
        if item is None and not all(
            judge_text(rule.subject, c.words, [c.text])[0] is Judgement.ESTABLISHED for c in rule.cases
        ):
            continue
        from rsguide.search import fuzzy as fuzz

        if fuzz.ratio(q, normalize(rule.subject)) >= 85:  # the whole subject, qualifier included
            out.append(rule)
    return tuple(out)


# ── the decision ──


def parse_date(text: str | None, today: dt.date | None = None) -> dt.date:
    """``YYYY-MM-DD`` (default: today)."""
    if not text:
        return today or dt.date.today()
    try:
        day = dt.date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise UsageError(f"日期“{text[:40]}”格式不对", hint="请写成 YYYY-MM-DD，例如 2026-12-01") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # 9999-12-31 plus a time limit is past the last date Python knows
        raise UsageError(f"日期“{text[:40]}”超出可计算的范围", hint=f"请写 {MIN_YEAR}–{MAX_YEAR} 年之间的日期")
    return day


MIN_YEAR = 1990
MAX_YEAR = 2200
"""Dates of acceptance rsguide counts working days from (``--date``)."""


def _time_limit(item: Item, channel: str | None, case: str | None) -> TimeLimit | None:
    # A due date needs the one limit of this case: a case-specific limit counts only when the case is known.
    return next((t for t in item.time_limits_for(channel, case) if t.case in (None, case)), None)


def _limits_by_case(item: Item, channel: str | None) -> dict[str, tuple[TimeLimit, ...]]:
    return {c.id: tuple(t for t in item.time_limits_for(channel, c.id)) for c in item.cases}


def _case_question(item: Item, channel: str | None, materials_named: bool) -> str | None:
    """Why the case must be named, or ``None`` when the answer does not depend on it."""
    if materials_named and cases_matter(item):
        return "的材料因办理情形而不同"
    by_case = _limits_by_case(item, channel)
    shapes = {tuple((t.kind, t.days) for t in limits) for limits in by_case.values()}
    dated = any(t.kind == "working_days" for limits in by_case.values() for t in limits)
    if len(shapes) > 1 and dated:
        return "的办理时限因办理情形而不同"
    return None


def check(
    kb: ReadAPI,
    index: Callable[[], SearchIndex],
    subject_query: str,
    *,
    have: Sequence[str] = (),
    missing: Sequence[str] = (),
    situations: Sequence[str] = (),
    when: Sequence[str] = (),
    case: str | None = None,
    channel: str | None = None,
    date: dt.date | None = None,
) -> Decision:
    """Decide whether an application can be accepted; see the module docstring for verdicts.

    ``situations`` are the clerk's words about the applicant, ``禁办3`` / ``不是禁办3`` answers by
    number, or ``无`` (no 禁办情形 applies)."""
    subject = resolve_subject(kb, index, subject_query)
    day = date or dt.date.today()
    if subject.item is not None:
        v = _check_item(
            kb, subject, list(have), list(missing), list(situations), list(when), case, channel, day, index=index
        )
    else:
        v = _check_rule_subject(kb, subject, list(have), list(missing), list(situations), day)
    if is_known(day) and not is_workday(day):
        v.warnings.append(f"受理日期 {day.isoformat()} 不是工作日（周末或法定节假日），请核对受理日期")
    return v


def _judge_situations(
    rules: list[ProhibitedRule], situations: list[str], subject: Subject, v: Decision, quiet: Sequence[str] = ()
) -> None:
    try:
        findings, silent = assess(rules, situations, subject_names=subject.names, named=subject.query_matches_rule)
    except LabelError as exc:
        raise UsageError(str(exc), hint="--situation 后写禁办情形的编号（如 禁办3）、申请人的情况，或 无") from None
    v.findings = findings
    for f in findings:
        if f.rule in subject.query_matches_rule and f.judgement is Judgement.OPEN:
            v.warnings.append(
                f"所写的事项“{f.rule.subject}”本身就是《违规禁办事项清单》第{f.rule.number}条的禁办事项"
                f"（{f.case.text}），单凭事项名称不能判定，“无”也不能排除；请向申请人核对：{f.question}"
                f"（属于：--situation {f.label}；不属于：--situation 不是{f.label}，或写明实际情况）"
            )
    for s in silent:
        if s in quiet:
            continue
        if rules:
            v.warnings.append(f"情形“{s}”未能判断是否属于本事项的禁办情形")
        else:
            v.warnings.append(f"情形“{s}”不在本事项的禁办清单中")


def _is_answer(text: str) -> bool:
    """``无`` or ``禁办3``: an answer about the 禁办 list, not a description of the applicant."""
    from rsguide.check.situations import is_none_answer, parse_label

    return is_none_answer(text) or parse_label(text) is not None


def _lexicon(index: Callable[[], SearchIndex] | None, texts: Sequence[str]) -> Lexicon | None:
    """The concept lexicon of search, built only when there is a description to read."""
    if index is None or not texts:
        return None
    from rsguide.search.engine import lexicon_of

    lexicon = lexicon_of(index())
    return lexicon if lexicon else None


def _tolerated(kb: ReadAPI, row: ToleratedMaterial, material: str, day: dt.date, v: Decision) -> Tolerated:
    deadline = None
    if row.correction.kind == "working_days" and row.correction.days:
        due = add_working_days(day, row.correction.days)
        deadline = due.date
        v.warnings.extend(w for w in due.warnings if w not in v.warnings)
    return Tolerated(
        material=material,
        list_material=row.material,
        source=row.source,
        correction=row.correction_text,
        kind=row.correction.kind,
        days=row.correction.days,
        deadline=deadline,
        rule=row.number,
    )


def _commitment(m: Material) -> Tolerated:
    return Tolerated(
        material=m.name, list_material=None, source="申请人签署告知承诺书", correction="告知承诺", kind="commitment"
    )


def _tolerated_row(
    kb: ReadAPI, item: Item, material: Material, materials: Sequence[Material]
) -> tuple[ToleratedMaterial, MaterialRef] | None:
    """The 容缺 row about ``material``: the row's material names it best among the item's materials
    (the applicant's own document before an agent's, where the row does not say whose)."""
    for row in kb.tolerated_for(item=item.number):
        found = candidates(row.material, materials)
        own = [m for m in found if not any(w in m.name for w in _AGENT)] or found
        if own and own[0] is material:
            return row, parse_material(row.material)
    return None


_BEFORE_TAG = LazyPattern(r"^(\d{4})年(\d{1,2})月之前(.+)$")
_OWN_WORDS = ("本人", "亲自")


@dataclass
class Said:
    """What the clerk's description of the applicant says about the item's case and conditions."""

    case: str | None = None
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    used: list[str] = field(default_factory=list)


def _dated(tag: str, text: str) -> bool | None:
    """Whether ``text`` places the applicant before the date of a tag like 2022年12月之前毕业."""
    m = _BEFORE_TAG.match(tag)
    if not m:
        return None
    limit = (int(m[1]), int(m[2]))
    event = re.escape(m[3][-2:])
    for hit in re.finditer(r"(\d{4})年(?:(\d{1,2})月)?[^，,。；;]{0,6}?" + event, unicodedata.normalize("NFKC", text)):
        year, month = int(hit[1]), int(hit[2]) if hit[2] else None
        if year != limit[0]:
            return year < limit[0]
        if month is not None and month != limit[1]:
            return month < limit[1]
    return None


def read_said(item: Item, texts: Sequence[str]) -> Said:
    """The case and conditions (代办, 首次备案 …) the clerk's words name, with negation: 不是代办,
    本人来办 (not 代办), 非首次备案, 2023年6月毕业 (not 2022年12月之前毕业)."""
    from rsguide.check.situations import read

    said = Said()
    tags = list(item.condition_tags)
    cases = {normalize(w): c.id for c in item.cases for w in (c.id, c.name)}
    for text in texts:
        words = [*tags, *cases, *(_OWN_WORDS if "代办" in tags else ())]
        used = False
        for clause in read(text, words):
            if clause.uncertain:
                continue
            for mention in clause.mentions:
                if mention.word in cases and not mention.negated:
                    said.case = cases[mention.word] if said.case in (None, cases[mention.word]) else said.case
                    used = True
                    continue
                tag = (
                    "代办"
                    if mention.word in _OWN_WORDS
                    else next((t for t in tags if normalize(t) == mention.word), None)
                )
                if tag is None:
                    continue
                applies = mention.negated if mention.word in _OWN_WORDS else not mention.negated
                (said.tags if applies else said.not_tags).append(tag)
                used = True
        for tag in tags:
            before = _dated(tag, text)
            if before is not None:
                (said.tags if before else said.not_tags).append(tag)
                used = True
        if used:
            said.used.append(text)
    contradictory = set(said.tags) & set(said.not_tags)
    said.tags = [t for t in dict.fromkeys(said.tags) if t not in contradictory]
    said.not_tags = [t for t in dict.fromkeys(said.not_tags) if t not in contradictory]
    return said


def _check_item(
    kb: ReadAPI,
    subject: Subject,
    have: list[str],
    missing: list[str],
    situations: list[str],
    when: list[str],
    case: str | None,
    channel: str | None,
    day: dt.date,
    index: Callable[[], SearchIndex] | None = None,
) -> Decision:
    item = subject.item
    assert item is not None
    ch = choose_channel(item, channel)
    case_id = resolve_case(item, case)
    said = read_said(item, situations)
    if case_id is None and said.case is not None:
        case_id = said.case
    if case_id is None and (have or missing) and cases_matter(item):
        # 首次备案 is a condition of the 用工备案 materials only: the condition names the case.
        owners = {g.case for g in item.materials for m in g.items if set(m.when) & set(said.tags)}
        if len(owners) == 1 and None not in owners:
            case_id = owners.pop()
    given = list(when) + [t for t in said.tags if t not in when]
    tags = resolve_tags(item, given, kb.conditions) if given else ()
    v = Decision(Verdict.OK, subject, day, ch, case_id, tags)
    if said.used:
        parts = ([f"办理情形：{case_id}"] if said.case else []) + [f"属于{t}" for t in said.tags]
        parts += [f"不属于{t}" for t in said.not_tags]
        if parts:
            v.warnings.append(f"据“{'；'.join(said.used)}”按 {'，'.join(parts)} 核对")
    described = [t for t in situations if not _is_answer(t)]
    about_conditions: list[str] = []
    if described:  # the conditions (and their table) are read only when the clerk described something
        from rsguide.check.eligibility import assess_conditions

        v.conditions, about_conditions = assess_conditions(
            item, described, _lexicon(index, described), case_id, kb.eligibility
        )
    _judge_situations(
        kb.prohibited_for(item=item.number), situations, subject, v, quiet=[*said.used, *about_conditions]
    )
    if v.established:  # refused whatever the materials: no question about them
        _finish(v)
        return v
    if case_id is None and item.cases:
        why = _case_question(item, ch, bool(have or missing))
        if why:
            cases = " 或 ".join(f"--case {c.id}" for c in item.cases)
            raise UsageError(f"第{item.number}项“{item.name}”{why}", hint=f"请加 {cases}")
        by_case = _limits_by_case(item, ch)
        if len({limits for limits in by_case.values()}) > 1:
            v.warnings.append(
                "办理时限因办理情形而不同："
                + "；".join(f"{c}：{'、'.join(t.summary for t in ls) or '未写'}" for c, ls in by_case.items())
            )
    if case_id is None and cases_matter(item):
        v.warnings.append("本事项的材料因办理情形而不同，未核对材料；核对材料请加 --case")
    else:
        _check_materials(kb, item, have, missing, ch, case_id, tags, day, v, not_tags=said.not_tags)

    limit = _time_limit(item, ch, case_id)
    v.time_limit = limit
    if limit and limit.kind == "working_days" and limit.days:
        due = add_working_days(day, limit.days)
        v.due_date = due.date
        v.warnings.extend(w for w in due.warnings if w not in v.warnings)
    _finish(v)
    return v


def _check_materials(
    kb: ReadAPI,
    item: Item,
    have: list[str],
    missing: list[str],
    channel: str | None,
    case: str | None,
    tags: tuple[str, ...],
    day: dt.date,
    v: Decision,
    not_tags: Sequence[str] = (),
) -> None:
    cl = build_checklist(item, channel=channel, case=case, when=tags)
    required = [m for _g, m in cl.required]
    conditional = [m for _g, m in cl.conditional]
    unneeded = [m for m in conditional if set(m.when) & set(not_tags)]
    conditional = [m for m in conditional if m not in unneeded]
    others = [m for g in item.materials if g.case not in (None, case) for m in g.items]
    for text in [*missing]:
        found = candidates(text, [*required, *conditional, *unneeded])
        elsewhere = candidates(text, others) if not found and case else []
        if elsewhere:
            v.warnings.append(f"“{elsewhere[0].name}”不是“{case}”需要的材料，不影响本次受理")
            missing = [t for t in missing if t != text]
            continue
        if found and all(any(f is u for u in unneeded) for f in found):
            m = found[0]
            v.warnings.append(f"“{m.name}”只在{_when_text(m)}时需要，本次不需要")
            missing = [t for t in missing if t != text]
    everything = [*required, *conditional]
    lacks: dict[int, set[Part]] = {}
    by_id = {id(m): m for m in required}
    named_missing: dict[tuple[int, Part | None], str] = {}
    for text in missing:
        ref = parse_material(text)
        m = identify(text, required, conditional, item=item, warnings=v.warnings)
        lacks.setdefault(id(m), set()).update({ref.part} if ref.part else _parts(m))
        named_missing[(id(m), ref.part)] = text
    if have:
        seen: dict[int, set[Part]] = {}
        for text in have:
            ref = parse_material(text)
            m = identify(text, required, conditional, item=item, warnings=v.warnings)
            _refuse_both(text, named_missing.get((id(m), ref.part)), m.name)
            seen.setdefault(id(m), set()).update({ref.part} if ref.part else {"original", "copy"})
        for m in required:
            gap = _parts(m) - seen.get(id(m), set())
            if gap and id(m) not in lacks:
                lacks[id(m)] = set(gap)
    shown: set[int] = set()
    for mid, parts in lacks.items():
        m = by_id[mid]
        listed = _tolerated_row(kb, item, m, everything)
        row, row_ref = listed if listed else (None, None)
        both = _parts(m) == {"original", "copy"}
        if "original" in parts:  # the document itself is not there
            if row is not None and row_ref is not None and row_ref.part is None:
                v.tolerated.append(_tolerated(kb, row, m.name, day, v))
            elif m.tolerance == "告知承诺":
                v.tolerated.append(_commitment(m))
            else:
                v.lacking.append(Lacking(m, "original" if both and parts == {"original"} else None))
                if row is not None:
                    v.warnings.append(f"《容缺办理事项清单》只允许缺少“{row.material}”，“{m.name}”本身须出示，不能容缺")
        elif row is not None and row_ref is not None and row_ref.part in (None, "copy"):
            v.tolerated.append(_tolerated(kb, row, m.name, day, v))
        elif m.tolerance == "告知承诺":
            v.tolerated.append(_commitment(m))
        elif "copy" in _parts(m):
            v.lacking.append(Lacking(m, "copy" if both else None))
        else:
            v.warnings.append(f"指南只要求出示“{m.name}”，没有要求复印件，不算缺少材料；证件本身须出示")
            shown.add(mid)  # only a copy nobody asked for is missing: the document is checked like the others
    v.present = [m for m in required if id(m) not in lacks or id(m) in shown]
    if v.lacking and any(g.remark == "可容缺受理" for g in cl.groups):
        v.warnings.append(
            "指南写本渠道“可容缺受理”，但本事项不在《容缺办理事项清单》上，源文件没有可容缺的材料和补正时间"
        )
    if cl.none_required:
        v.reasons.append(f"{channel}不需要提供要件")


def _refuse_both(have: str, missing: str | None, material: str) -> None:
    """A usage error when the same material (the same part of it) is named both brought and missing."""
    if missing is None:
        return
    same = f"“{have}”" if normalize(have) == normalize(missing) else f"“{have}”和“{missing}”"
    raise UsageError(
        f"{same}指同一份材料“{material}”，不能既写在 --have（已带）又写在 --missing（缺少）",
        hint="请核对申请人带了哪些材料：带了的写 --have，没带的写 --missing，每份材料只写一处",
    )


def _check_rule_subject(
    kb: ReadAPI, subject: Subject, have: list[str], missing: list[str], situations: list[str], day: dt.date
) -> Decision:
    rs = subject.rule_subject
    assert rs is not None
    v = Decision(Verdict.OK, subject, day, None, None, ())
    _judge_situations(kb.prohibited_for(subject=rs.id), situations, subject, v)
    rows = kb.tolerated_for(subject=rs.id)
    known = "、".join(f"{r.material}（可容缺）" for r in rows) or "无"
    for text in missing:
        row = next((r for r in rows if material_score(text, r.material) >= MATERIAL_FLOOR), None)
        if row is None:
            raise NotFoundError(f"源文件没有列出“{rs.name}”的材料“{text}”", hint=f"已知材料：{known}")
        v.tolerated.append(_tolerated(kb, row, row.material, day, v))
    for text in have:
        row = next((r for r in rows if material_score(text, r.material) >= MATERIAL_FLOOR), None)
        if row is None:
            raise NotFoundError(f"源文件没有列出“{rs.name}”的材料“{text}”", hint=f"已知材料：{known}")
        said_missing = [t for t in missing if material_score(t, row.material) >= MATERIAL_FLOOR]
        _refuse_both(text, said_missing[0] if said_missing else None, row.material)
    v.warnings.append(f"“{rs.name}”不在36个事项之中，源文件只有禁办/容缺清单的规定")
    _finish(v)
    return v


def _finish(v: Decision) -> None:
    deadlines = [t.deadline for t in v.tolerated if t.deadline]
    v.correction_deadline = min(deadlines) if deadlines else None
    if v.correction_deadline and v.due_date and v.correction_deadline > v.due_date:
        v.warnings.append(
            f"补正截止日 {v.correction_deadline.isoformat()} 晚于办理时限到期日 {v.due_date.isoformat()}，请按时限安排补正"
        )
    if v.tolerated and v.time_limit and v.time_limit.kind == "immediate" and v.correction_deadline:
        v.warnings.append("本事项即时办结，容缺材料的补正期限晚于办结时间，请按本局规定处理")
    reasons: list[str] = []
    if v.established:
        v.verdict = Verdict.PROHIBITED
        for f in v.established:
            said = f"（依据：{'、'.join(f.evidence)}）" if f.evidence else ""
            reasons.append(f"禁办第{f.rule.number}条「{f.rule.subject}」：{f.case.text}{said}")
    elif v.questions or v.conditions:
        v.verdict = Verdict.UNCONFIRMED
        if v.questions:
            labels = "、".join(f.label for f in v.questions)
            reasons.append(f"尚未排除禁办情形（{labels}），请向申请人逐项核对后再受理")
        reasons.extend(c.text for c in v.conditions)
    elif v.lacking:
        v.verdict = Verdict.INCOMPLETE
        v.correction_deadline = None  # not accepted: nothing to supply by a deadline yet
    elif v.tolerated:
        v.verdict = Verdict.TOLERATED
    else:
        v.verdict = Verdict.OK
    if not v.established:
        for f in v.findings:
            if f.judgement is Judgement.RULED_OUT:
                said = f"（依据：{'、'.join(f.evidence)}）" if f.evidence else ""
                reasons.append(f"已排除{f.label}「{f.rule.subject}」{said}")
        if v.lacking:
            reasons.append("缺少材料：" + "、".join(x.name for x in v.lacking))
        for t in v.tolerated:
            by = t.deadline.isoformat() if t.deadline else t.correction
            reasons.append(f"容缺：{t.name}，资料来源：{t.source}，补正：{by}")
    v.reasons[0:0] = reasons
