"""The one search every command resolves a query through.

A query is normalised (see :mod:`rsguide.normalize`), expanded with the synonym list of the
knowledge base, and scored against an index of each item's name, aliases, generated colloquial
aliases, their pinyin (full and initials), materials and text. Scores are 0–100; results under
:data:`FLOOR` are not returned, so nonsense gets "not found" with suggestions rather than a
random item.

The index is plain data (lists of strings), built once per knowledge base and cacheable
(:mod:`rsguide.cache`); pypinyin runs only while it is built.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rsguide.model import KnowledgeBase
from rsguide.normalize import fold, has_cjk, has_latin, normalize

FLOOR = 60.0
"""Results scoring below this are not returned."""
SUGGEST_FLOOR = 30.0
"""Below the floor but above this: offered as "did you mean"."""

# Field weights: name > alias > colloquial alias > pinyin > materials > text.
WEIGHTS = {
    "名称": 1.0,
    "别名": 0.97,
    "口语": 0.94,
    "拼音": 0.92,
    "拼音首字母": 0.9,
    "材料": 0.78,
    "说明": 0.6,
}

# Words that carry no meaning for finding an item ("怎么办理失业登记" → "失业登记").
FILLERS = (
    "怎么办理",
    "如何办理",
    "怎么办",
    "怎么",
    "如何",
    "在哪里办",
    "在哪办",
    "去哪里",
    "去哪",
    "哪里",
    "需要什么材料",
    "要带什么",
    "带什么",
    "什么材料",
    "需要带",
    "需要",
    "要带",
    "的事项",
    "事项",
    "手续",
    "请问",
    "我要",
    "我想",
    "想要",
    "帮我",
    "办理",
    "要",
    "想",
    "办",
    "去",
    "的",
    "了",
    "吗",
    "呢",
    "啊",
)

_NUMBER = re.compile(r"^(?:第|no|#)?(\d{1,6})(?:项|号)?$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the item, its score and why it matched."""

    number: int
    name: str
    score: float
    matched: str  # the field, e.g. 名称 / 拼音首字母 / 材料
    text: str  # the indexed text that matched


@dataclass
class SearchIndex:
    """Flat arrays of indexed texts; ``owner[i]`` is the item number of ``texts[i]``."""

    texts: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the text as written, for `matched`
    names: dict[int, str] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_text: dict[str, list[int]] = field(default_factory=dict)  # exact lookup → positions

    def add(self, number: int, field_name: str, text: str, shown: str | None = None) -> None:
        """Index one text of an item (skipped when empty or already indexed for that item)."""
        if not text:
            return
        for pos in self.by_text.get(text, ()):
            if self.owner[pos] == number and WEIGHTS[self.fields[pos]] >= WEIGHTS[field_name]:
                return
        self.by_text.setdefault(text, []).append(len(self.texts))
        self.texts.append(text)
        self.owner.append(number)
        self.fields.append(field_name)
        self.shown.append(shown or text)


def colloquial_variants(text: str, synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """The ways people say ``text``: each source word it contains replaced by its colloquial word."""
    out: list[str] = []
    for spoken, targets in synonyms.items():
        for target in targets:
            if target in text and spoken not in text:
                out.append(text.replace(target, spoken))
    return out


def build_index(kb: KnowledgeBase) -> SearchIndex:
    """Build the search index of a knowledge base (pinyin included)."""
    from rsguide.pinyin import full, initials

    syn = {normalize(k): tuple(normalize(t) for t in v) for k, v in kb.synonyms.items()}
    idx = SearchIndex(synonyms=syn)
    for item in kb.items:
        n = item.number
        idx.names[n] = item.name
        names = [item.name] + ([item.heading] if item.heading else [])
        spoken_names: list[str] = []
        for text in names:
            idx.add(n, "名称", normalize(text), text)
        for alias in item.aliases:
            idx.add(n, "别名", normalize(alias), alias)
        for text in names:
            for variant in colloquial_variants(normalize(text), syn):
                spoken_names.append(variant)
                idx.add(n, "口语", variant)
        for case in item.cases:
            idx.add(n, "别名", normalize(case.name + item.name), case.name)
        for text in {normalize(t) for t in [*names, *item.aliases]} | set(spoken_names):
            if not has_cjk(text):
                continue
            idx.add(n, "拼音", full(text), text)
            idx.add(n, "拼音首字母", initials(text), text)
        for group in item.materials:
            for m in group.items:
                idx.add(n, "材料", normalize(m.name), m.name)
        for text in (item.intro, item.legal_basis, *item.conditions):
            if text:
                idx.add(n, "说明", normalize(text), text[:30])
    return idx


def _strip_fillers(text: str) -> str:
    for word in FILLERS:
        if len(text) > len(word):
            text = text.replace(word, "")
    return text


def expand(query: str, synonyms: dict[str, tuple[str, ...]], limit: int = 16) -> list[tuple[str, bool]]:
    """Query variants: (text, via_synonym). The literal query comes first."""
    variants: list[tuple[str, bool]] = [(query, False)]
    seen = {query}
    stripped = _strip_fillers(query)
    if stripped and stripped not in seen:
        variants.append((stripped, False))
        seen.add(stripped)
    keys = sorted((k for k in synonyms if k and k in query), key=len, reverse=True)
    frontier = [v for v, _ in variants]
    for key in keys:
        nxt: list[str] = []
        for base in frontier:
            if key not in base:
                continue
            for target in synonyms[key]:
                new = base.replace(key, target)
                for cand in (new, _strip_fillers(new)):
                    if cand and cand not in seen and len(seen) < limit:
                        seen.add(cand)
                        variants.append((cand, True))
                        nxt.append(cand)
        frontier += nxt
    return variants


def similarity(q: str, t: str) -> float:
    """Similarity of a (normalised) query and an indexed text, 0–100."""
    if q == t:
        return 100.0
    lq, lt = len(q), len(t)
    if lq >= 2 and t.startswith(q):
        return 92.0 + 6.0 * lq / lt
    if lq >= 2 and q in t:
        return 86.0 + 10.0 * lq / lt
    if lt >= 2 and t in q:
        return 72.0 + 20.0 * lt / lq
    from rapidfuzz import fuzz

    ratio = fuzz.ratio(q, t)
    common = sum((Counter(q) & Counter(t)).values())
    cov_q, cov_t = common / lq, common / lt
    coverage = 100.0 * (0.7 * cov_q + 0.3 * cov_t) if cov_q >= 0.6 else 0.0
    partial = fuzz.partial_ratio(q, t) * 0.9 if lq >= 3 and lq <= lt else 0.0
    return max(ratio, coverage, partial)


def _candidates(idx: SearchIndex, q: str, limit: int) -> list[int]:
    """Positions worth scoring in full: exact hits plus rapidfuzz's best partial matches."""
    from rapidfuzz import fuzz, process

    found = list(idx.by_text.get(q, ()))
    best = process.extract(q, idx.texts, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=40)
    found += [pos for _t, _s, pos in best]
    if len(idx.texts) <= 4 * limit:  # small knowledge bases: score everything
        return list(range(len(idx.texts)))
    return found


def search(idx: SearchIndex, query: str, *, limit: int = 10, floor: float = FLOOR) -> list[Hit]:
    """Ranked items for ``query``, best first; ties broken by 序号."""
    q = normalize(query)
    if not q:
        return []
    m = _NUMBER.match(q)
    if m:
        number = int(m.group(1))
        if number in idx.names:
            return [Hit(number, idx.names[number], 100.0, "序号", str(number))]
    best: dict[int, Hit] = {}

    def consider(pos: int, score: float) -> None:
        number = idx.owner[pos]
        old = best.get(number)
        if old is None or score > old.score:
            best[number] = Hit(number, idx.names[number], round(score, 1), idx.fields[pos], idx.shown[pos])

    variants = expand(q, idx.synonyms)
    pinyin_queries = _pinyin_queries(q) if has_latin(q) else []
    for text, via_synonym in variants:
        factor = 0.97 if via_synonym else 1.0
        for pos in _candidates(idx, text, 200):
            fld = idx.fields[pos]
            if fld.startswith("拼音"):
                continue
            consider(pos, similarity(text, idx.texts[pos]) * WEIGHTS[fld] * factor)
    for text, fld_wanted in pinyin_queries:
        for pos in _candidates(idx, text, 200):
            if idx.fields[pos] != fld_wanted:
                continue
            consider(pos, similarity(text, idx.texts[pos]) * WEIGHTS[fld_wanted])
    hits = sorted(best.values(), key=lambda h: (-h.score, h.number))
    return [h for h in hits if h.score >= floor][:limit]


def suggest(idx: SearchIndex, query: str, *, limit: int = 3) -> list[Hit]:
    """Near misses for "did you mean": the best results under the floor."""
    return search(idx, query, limit=limit, floor=SUGGEST_FLOOR)


def _pinyin_queries(q: str) -> list[tuple[str, str]]:
    """A query with Latin letters read as pinyin: as initials and as full pinyin."""
    if has_cjk(q):
        from rsguide.pinyin import full, initials

        parts = re.findall(r"[a-z0-9]+|[^a-z0-9]+", q)
        as_initials = "".join(p if has_latin(p) or p.isdigit() else initials(p) for p in parts)
        as_full = "".join(p if has_latin(p) or p.isdigit() else full(p) for p in parts)
    else:
        as_initials = as_full = fold(q)
    out = [(as_full, "拼音")]
    if len(as_initials) <= 12:
        out.append((as_initials, "拼音首字母"))
    return out
