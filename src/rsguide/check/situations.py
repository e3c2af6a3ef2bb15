"""Judging the 禁办情形 of a subject from what the clerk typed about the applicant.

Each 情形 is *established* (the words say it applies), *ruled out* (they say it does not) or left
*open* (they say nothing that settles it); ``check`` refuses on an established 情形 and asks about
open ones. What decides is data: per 情形, ``match`` in rules.yaml lists the words that establish it,
the words that rule it out, and qualifiers (外省, 鞍山 …) that count only in a clause about the
feature (``heads``: 评, 职称 …), so that "从外省调来，职称是鞍山评的" rules 外省市评审 *out*.

Reading the words is one small function, :func:`read`: clauses, leftmost-longest word matches,
negation (不/没/非/未/无 before the word in its clause, 以外/之外 after it) and uncertainty (是否,
不知道, 吗 …). It is the boundary a general concept parser can replace.

The clerk may also answer by number: ``禁办3`` (applies), ``不是禁办3`` / ``禁办3：否`` (does not),
and ``无`` (none of them applies).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from rsguide.model import ProhibitedCase, ProhibitedRule, SituationWords
from rsguide.search.normalize import normalize


class Judgement(str, Enum):
    """What the clerk's words say about one 禁办情形."""

    ESTABLISHED = "established"
    RULED_OUT = "ruled_out"
    OPEN = "open"

    @property
    def text(self) -> str:
        """属于 / 不属于 / 待确认."""
        return {"established": "属于", "ruled_out": "不属于", "open": "待确认"}[self.value]


# ── the reader (the boundary a concept parser can replace) ──

# Clauses end at punctuation and at words that turn to another statement (但是, 而是 …).
_CLAUSE_BREAK = re.compile(r"[，,。．.；;！!？?\n\r\t]|但是|可是|不过|然而|而是|只是|后来|现在|如今|目前|但")
_NEGATORS = ("并非", "不", "没", "无", "未", "非")
# Words that hold a negator character without negating anything.
_NOT_NEGATION = (
    "非常",
    "无论",
    "不论",
    "不管",
    "不仅",
    "不但",
    "不久",
    "不少",
    "不错",
    "未来",
    "别的",
    "别处",
    "别人",
    "区别",
    "分别",
    "性别",
    "类别",
    "级别",
    "无误",
    "毫无疑问",
    "不断",
)
# Right after a word: it is excluded (十二类人员以外).
_POST_NEGATORS = ("以外", "之外", "除外")
# Later in the clause: what the word names does not hold (十二类人员身份不符; 跟我们对不上).
_LATER_NEGATORS = (
    "对不上",
    "不一致",
    "不相符",
    "不符",
    "不包括",
    "不包含",
    "里没有",
    "中没有",
    "里面没有",
    "没有他",
    "不沾边",
)
# A clause with one of these says nothing for certain.
_UNCERTAIN = (
    "是否",
    "是不是",
    "属不属于",
    "有没有",
    "能不能",
    "可不可以",
    "要不要",
    "会不会",
    "不知道",
    "不清楚",
    "不确定",
    "不知",
    "不详",
    "说不清",
    "拿不准",
    "待查",
    "待核实",
    "待确认",
    "可能",
    "也许",
    "或许",
    "好像",
    "似乎",
    "大概",
    "吗",
    "?",
    "？",
)
# A clause about what the applicant hands in, which decides when clauses disagree.
_ACT = ("提供", "拿", "用", "凭", "持", "申报", "交", "补的是", "补发的是", "申请的是", "办的是", "要补")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a listed word in the clerk's text."""

    word: str
    clause: int
    start: int
    end: int
    negated: bool
    uncertain: bool


@dataclass(frozen=True)
class Clause:
    """A clause of the clerk's text, normalised, with the words found in it."""

    index: int
    text: str
    mentions: tuple[Mention, ...]
    uncertain: bool
    act: bool

    def has(self, words: Iterable[str]) -> list[int]:
        """Positions where any of ``words`` occurs (substring, not consumed by other matches)."""
        return [m.start() for w in words if w for m in re.finditer(re.escape(w), self.text)]


def _norm(word: str) -> str:
    return normalize(word)


def _clauses(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    return [c for c in (normalize(p) for p in _CLAUSE_BREAK.split(text)) if c]


def _negation_count(text: str, start: int, taken: list[tuple[int, int]]) -> int:
    """Negators in ``text[:start]`` that are neither part of a matched word nor of a non-negating word."""
    blocked = list(taken)
    for word in _NOT_NEGATION:
        blocked += [(m.start(), m.start() + len(word)) for m in re.finditer(word, text)]
    count, i = 0, 0
    while i < start:
        if any(a <= i < b for a, b in blocked):
            i += 1
            continue
        neg = next((n for n in _NEGATORS if text.startswith(n, i) and i + len(n) <= start), None)
        if neg:
            count += 1
            i += len(neg)
        else:
            i += 1
    return count


def read(text: str, words: Iterable[str]) -> list[Clause]:
    """Split ``text`` into clauses and find ``words`` in each (leftmost-longest, no overlaps),
    with negation and uncertainty per occurrence."""
    from rsguide.search.concepts import longest_matches  # the tokenizer of the concept layer

    vocab = frozenset(n for n in (_norm(w) for w in words) if n)
    longest = max(map(len, vocab), default=0)
    out: list[Clause] = []
    for ci, clause in enumerate(_clauses(text)):
        spans = longest_matches(clause, vocab, longest)
        uncertain = any(u in clause for u in _UNCERTAIN)
        taken = [(a, b) for a, b, _w in spans]
        mentions = []
        for a, b, w in spans:
            flips = _negation_count(clause, a, taken) + sum(1 for p in _POST_NEGATORS if clause.startswith(p, b))
            rest = clause[b:]
            flips += any(n in rest for n in _LATER_NEGATORS)
            mentions.append(Mention(w, ci, a, b, flips % 2 == 1, uncertain))
        act = any(a in clause for a in _ACT)
        out.append(Clause(ci, clause, tuple(mentions), uncertain, act))
    return out


# ── judging one 情形 ──


@dataclass(frozen=True)
class Evidence:
    """What one clause says about a 情形."""

    judgement: Judgement
    words: tuple[str, ...]
    act: bool


def _sets(words: SituationWords | None, extra: Sequence[str]) -> tuple[set[str], ...]:
    w = words or SituationWords()

    def n(xs: Iterable[str]) -> set[str]:
        return {_norm(x) for x in xs if _norm(x)}

    return n((*w.establish, *extra)), n(w.rule_out), n(w.heads), n(w.scope_establish), n(w.scope_rule_out), n(w.affirm)


def _clause_evidence(clause: Clause, words: SituationWords | None, extra: Sequence[str]) -> Evidence | None:
    if clause.uncertain:
        return None
    est, out, heads, s_est, s_out, affirm = _sets(words, extra)
    complement = bool(words and words.complement)
    found: list[tuple[Judgement, str]] = []
    scoped: list[tuple[Judgement, Mention]] = []
    head_at = clause.has(heads)
    for m in clause.mentions:
        if m.word in est:
            found.append((Judgement.RULED_OUT if m.negated else Judgement.ESTABLISHED, m.word))
        elif m.word in out:
            found.append((Judgement.ESTABLISHED if m.negated else Judgement.RULED_OUT, m.word))
        elif m.word in affirm:
            if not m.negated:  # 没参加过统考 says nothing about whether the major is an exam major
                found.append((Judgement.ESTABLISHED, m.word))
        elif head_at and m.word in s_est:
            scoped.append((Judgement.RULED_OUT if m.negated else Judgement.ESTABLISHED, m))
        elif head_at and m.word in s_out:
            if not m.negated:
                scoped.append((Judgement.RULED_OUT, m))
            elif complement:
                scoped.append((Judgement.ESTABLISHED, m))
    if len({j for j, _m in scoped}) > 1:
        # Qualifiers disagree in one clause (外省调入鞍山后评的): the one nearest the feature decides.
        def distance(m: Mention) -> int:
            return min(min(abs(h - m.end), abs(h - m.start)) for h in head_at)

        best = min(distance(m) for _j, m in scoped)
        nearest = {j for j, m in scoped if distance(m) == best}
        scoped = [(j, m) for j, m in scoped if j in nearest and distance(m) == best]
    found += [(j, m.word) for j, m in scoped]
    kinds = {j for j, _w in found}
    if len(kinds) != 1:
        return None  # nothing said, or the clause contradicts itself
    (kind,) = kinds
    return Evidence(kind, tuple(dict.fromkeys(w for _j, w in found)), clause.act)


def judge_text(text: str, words: SituationWords | None, extra: Sequence[str] = ()) -> tuple[Judgement, tuple[str, ...]]:
    """Whether ``text`` establishes, rules out or leaves open the 情形 described by ``words``
    (``extra``: more words that establish it, e.g. the 情形's own text), with the deciding words."""
    w = words or SituationWords()
    vocab = [*w.establish, *extra, *w.rule_out, *w.scope_establish, *w.scope_rule_out, *w.affirm]
    evidence = [e for c in read(text, vocab) if (e := _clause_evidence(c, words, extra)) is not None]
    kinds = {e.judgement for e in evidence}
    if len(kinds) > 1:
        # Clauses disagree (有函授本科，但用全日制大专申报): what the applicant hands in decides.
        acts = [e for e in evidence if e.act]
        kinds = {e.judgement for e in acts}
        evidence = acts
    if len(kinds) != 1:
        return Judgement.OPEN, ()
    (kind,) = kinds
    return kind, tuple(dict.fromkeys(w for e in evidence for w in e.words))


# ── the 情形 of a subject ──


@dataclass(frozen=True)
class Finding:
    """The judgement on one 禁办情形 of the subject."""

    label: str
    """How the list is numbered for the clerk: 禁办3, or 禁办1a / 禁办1b where a row has several 情形."""
    rule: ProhibitedRule
    case: ProhibitedCase
    judgement: Judgement
    evidence: tuple[str, ...] = ()
    """The clerk's words that decided (or the label / 无 they answered with)."""

    @property
    def question(self) -> str:
        """The yes/no question the clerk asks the applicant about an open 情形."""
        if self.case.words and self.case.words.question:
            return self.case.words.question
        return f"是否属于：{self.case.text}？"


def case_label(rule: ProhibitedRule, index: int) -> str:
    """禁办N, with a letter for each 情形 of a row that has several (禁办1a, 禁办1b)."""
    if len(rule.cases) <= 1:
        return f"禁办{rule.number}"
    return f"禁办{rule.number}{'abcdefghijklmnopqrstuvwxyz'[index]}"


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}
_LABEL = re.compile(
    r"^(?P<neg>不是|不属于|非|没有|无|不)?禁办(?:第)?(?P<n>\d+|[一二三四五六七八九十]+)(?:条)?"
    r"(?:(?P<letter>[a-z])|[.\-之(（](?P<sub>\d)[)）]?)?(?:[:：=])?(?P<answer>是|否|不是|成立|不成立|属于|不属于|适用|不适用)?$"
)
NONE_ANSWERS = frozenset(
    normalize(w)
    for w in (
        "无",
        "没有",
        "否",
        "都不是",
        "均不是",
        "都没有",
        "都不属于",
        "均不属于",
        "无禁办情形",
        "不属于禁办情形",
        "没有禁办情形",
        "不属于任何禁办情形",
        "none",
        "no",
    )
)


def parse_label(text: str) -> tuple[int, int | None, bool] | None:
    """``禁办3`` → (3, None, True); ``不是禁办1b`` / ``禁办1.2：否`` → (1, 1, False); else ``None``.

    The middle value is the 0-based 情形 of the row when the clerk named one."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    m = _LABEL.match(key)
    if not m:
        return None
    raw = m["n"]
    number = int(raw) if raw.isdigit() else _chinese_number(raw)
    if number is None:
        return None
    sub: int | None = None
    if m["letter"]:
        sub = ord(m["letter"]) - ord("a")
    elif m["sub"]:
        sub = int(m["sub"]) - 1
    negative = bool(m["neg"]) != (m["answer"] in ("否", "不是", "不成立", "不属于", "不适用"))
    return number, sub, not negative


def _chinese_number(text: str) -> int | None:
    if text == "十":
        return 10
    if len(text) == 1:
        return _DIGITS.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _DIGITS[text[1]]
    return None


def is_none_answer(text: str) -> bool:
    """The clerk's confirmation that no 禁办情形 applies (``无``, ``都不是`` …)."""
    return normalize(text) in NONE_ANSWERS


class LabelError(ValueError):
    """A 情形 number the subject does not have, or a row number that needs its letter."""


def assess(
    rules: Sequence[ProhibitedRule],
    texts: Sequence[str],
    *,
    subject_names: Sequence[str] = (),
    named: Sequence[ProhibitedRule] = (),
) -> tuple[list[Finding], list[str]]:
    """Judge every 情形 of ``rules`` from the clerk's ``texts``.

    ``subject_names`` are the subject's own names (a rule whose subject is one of them does not
    state a 情形 by its subject); ``named`` are rules whose 禁办事项 the subject query itself names
    (外省市评审的职称证书补发): the name alone is not the clerk's statement that the 情形 applies, and
    ``无`` does not rule it out either (it contradicts the name) — such a 情形 stays open until the
    description settles it or the clerk answers by its number. Returns the findings in list order and the texts that said
    nothing about any 情形. Raises :class:`LabelError` for a number the subject does not have.
    """
    cases = [(case_label(r, i), r, c) for r in rules for i, c in enumerate(r.cases)]
    answers: dict[str, tuple[Judgement, str]] = {}
    described: list[str] = []
    none_said = False
    for text in texts:
        if is_none_answer(text):
            none_said = True
            continue
        parsed = parse_label(text)
        if parsed is None:
            described.append(text)
            continue
        number, sub, applies = parsed
        hits = [(label, r, i) for label, r, _c in cases for i in [r.cases.index(_c)] if r.number == number]
        if not hits:
            known = "、".join(label for label, _r, _c in cases) or "（本事项没有禁办情形）"
            raise LabelError(f"本事项没有禁办第{number}条；可用：{known}")
        if sub is None and len(hits) > 1:
            raise LabelError(f"禁办第{number}条有{len(hits)}种情形，请写明：" + "、".join(h[0] for h in hits))
        chosen = [h for h in hits if sub is None or h[2] == sub]
        if not chosen:
            raise LabelError(f"禁办第{number}条没有这种情形；可用：" + "、".join(h[0] for h in hits))
        answers[chosen[0][0]] = (Judgement.ESTABLISHED if applies else Judgement.RULED_OUT, text)

    names = {normalize(n) for n in subject_names}
    findings: list[Finding] = []
    silent = list(described)
    joined = "；".join(described)
    for label, rule, case in cases:
        if label in answers:
            j, said = answers[label]
            findings.append(Finding(label, rule, case, j, (said,)))
            continue
        extra = [case.text] + ([rule.subject] if normalize(rule.subject) not in names and rule not in named else [])
        j, words = judge_text(joined, case.words, extra) if described else (Judgement.OPEN, ())
        if j is Judgement.OPEN and none_said and rule not in named:
            findings.append(Finding(label, rule, case, Judgement.RULED_OUT, ("无",)))
            continue
        findings.append(Finding(label, rule, case, j, words))
        if j is not Judgement.OPEN:
            silent = [t for t in silent if judge_text(t, case.words, extra)[0] is Judgement.OPEN]
    return findings, silent
