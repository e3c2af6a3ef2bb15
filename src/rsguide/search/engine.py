"""The one search every command resolves a query through.

A query is normalised (see :mod:`rsguide.search.normalize`), expanded with the synonym list of the
knowledge base, and scored against an index of each item's name, aliases, generated colloquial
aliases, their pinyin (full and initials), materials and text. Scores are 0–100; results under
:data:`FLOOR` are not returned, so nonsense gets "not found" with suggestions rather than a
random item.

The index is plain data (lists of strings), built once per knowledge base and cacheable
(:mod:`rsguide.kb.cache`); pypinyin runs only while it is built.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from rsguide.lazyre import LazyPattern
from rsguide.model import KnowledgeBase
from rsguide.records import dataclass, field, replace
from rsguide.search.concepts import Lexicon, Parsed, agreement, background_only, compile_lexicon, focus_of, parse
from rsguide.search.hit import Hit
from rsguide.search.itemno import item_number
from rsguide.search.normalize import fold, has_cjk, has_latin, normalize

TYPE_CHECKING = False  # typing is not imported at run time (search starts faster)
if TYPE_CHECKING:
    from typing import Any

FLOOR = 60.0
"""Results scoring below this are not returned."""
SUGGEST_FLOOR = 45.0
RELATIVE_CUTOFF = 0.72
"""Results scoring under this share of the best one are dropped."""
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
    grams: dict[str, dict[int, float]] = field(default_factory=dict)  # bigram → {item: field weight}
    postings: dict[str, list[int]] = field(default_factory=dict)  # gram → positions (large bases)
    heads: dict[str, list[int]] = field(default_factory=dict)  # first two characters → positions
    concepts: dict[str, Any] = field(default_factory=dict)  # the compiled concept lexicon (plain data)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def add_words(self, number: int, text: str, weight: float) -> None:
        """Index the character bigrams of ``text`` (for queries phrased as a sentence)."""
        for gram in bigrams(text):
            owners = self.grams.setdefault(gram, {})
            if owners.get(number, 0.0) < weight:
                owners[number] = weight

    def add(self, number: int, field_name: str, text: str, shown: str | None = None) -> None:
        """Index one text of an item (skipped when empty or already indexed for that item)."""
        if not text:
            return
        # Items are indexed one after the other: remember this item's texts only.
        if getattr(self, "_current", None) != number:
            self._current: int = number
            self._current_texts: dict[str, float] = {}
        if self._current_texts.get(text, -1.0) >= WEIGHTS[field_name]:
            return
        self._current_texts[text] = WEIGHTS[field_name]
        pos = len(self.texts)
        self.by_text.setdefault(text, []).append(pos)
        if field_name != "说明":
            for gram in text_grams(text):
                self.postings.setdefault(gram, []).append(pos)
            self.heads.setdefault(text[:2], []).append(pos)
        self.texts.append(text)
        self.owner.append(number)
        self.fields.append(field_name)
        self.shown.append(shown or text)


def text_grams(text: str) -> set[str]:
    """Grams for candidate lookup: letter trigrams of pinyin, character bigrams of the rest."""
    n = 3 if text.isascii() else 2
    if len(text) <= n:
        return {text}
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def bigrams(text: str) -> set[str]:
    """Character bigrams of a normalised text."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


# Keyword (bigram) matching: field weights, and the least evidence that counts as a match.
WORD_WEIGHTS = {"名称": 1.0, "别名": 0.95, "口语": 0.9, "材料": 0.7, "说明": 0.5}
MIN_MASS = 2.0
KEYWORD_MAX_OWNERS = 500
UNKNOWN_GRAM_SHARE = 0.3


class _Colloquial:
    """The ways people say a text, for many texts with the same synonyms (:meth:`variants`): only the
    source words a text holds are tried, found from the text's characters rather than by trying every
    synonym, in the order the synonyms give them."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]]) -> None:
        self.synonyms = synonyms
        self.pairs = [(spoken, target) for spoken, targets in synonyms.items() for target in targets]
        self.exhaustive = any(not target for _spoken, target in self.pairs)  # "" is in every text
        self.by_first: dict[str, list[tuple[str, list[int]]]] = {}
        where: dict[str, list[int]] = {}
        for i, (_spoken, target) in enumerate(self.pairs):
            where.setdefault(target, []).append(i)
        for target, indices in where.items():
            if target:
                self.by_first.setdefault(target[0], []).append((target, indices))

    def _pairs_in(self, text: str) -> list[tuple[str, str]]:
        """The (spoken, target) pairs whose target ``text`` holds, in synonym order."""
        if self.exhaustive:
            return [pair for pair in self.pairs if pair[1] in text]
        by_first = self.by_first
        found: list[int] = []
        for i, ch in enumerate(text):
            for target, indices in by_first.get(ch, ()):
                if text.startswith(target, i):
                    found += indices
        if not found:
            return []
        pairs = self.pairs
        return [pairs[i] for i in sorted(set(found))]

    def variants(self, text: str, limit: int = 24) -> list[str]:
        """The ways people say ``text``: source words replaced by colloquial words, up to two at once
        (社会保障卡启用 → 社保卡启用, 社会保障卡激活, 社保卡激活)."""
        out: list[str] = []
        frontier = [text]
        for _depth in range(2):
            nxt = []
            for base in frontier:
                for spoken, target in self._pairs_in(base):
                    if spoken not in base:
                        variant = base.replace(target, spoken)
                        if variant not in out and variant != text and len(out) < limit:
                            out.append(variant)
                            nxt.append(variant)
            frontier = nxt
        return out


def build_index(kb: KnowledgeBase) -> SearchIndex:
    """Build the search index of a knowledge base (pinyin included).

    The same index as indexing each item's texts one by one with :meth:`SearchIndex.add` and
    :meth:`SearchIndex.add_words` (names, aliases, colloquial variants, cases, pinyin, materials,
    descriptions; then the keyword grams of its names, aliases and colloquial variants), with the
    per-text work done in one loop over local names (a province's build indexes millions of texts)."""
    from rsguide.search.pinyin import full_and_initials
    from rsguide.search.t2s_chars import use_set

    use_set()  # normalize tests every text for traditional characters
    syn = {normalize(k): tuple(normalize(t) for t in v) for k, v in kb.synonyms.items()}
    idx = SearchIndex(synonyms=syn, concepts=compile_lexicon(kb.concepts))
    colloquial = _Colloquial(syn).variants
    weights = WEIGHTS
    material_words, about_words = WORD_WEIGHTS["材料"], WORD_WEIGHTS["说明"]
    word_weights = {name: WORD_WEIGHTS[name] for name in ("名称", "别名", "口语")}
    texts, owner, fields_, shown_, names_ = idx.texts, idx.owner, idx.fields, idx.shown, idx.names
    by_text, postings, heads, grams = idx.by_text, idx.postings, idx.heads, idx.grams
    word_positions: list[int] = []  # the item's positions whose text adds keyword grams after its other words
    current: int | None = None
    seen: dict[str, float] = {}  # the item's texts so far and their best weight (see SearchIndex.add)

    def add_words(number: int, text: str, weight: float) -> None:  # SearchIndex.add_words
        for i in range(len(text) - 1):  # a gram seen twice changes nothing the second time
            gram = text[i : i + 2]
            owners = grams.get(gram)
            if owners is None:
                grams[gram] = {number: weight}
            elif owners.get(number, 0.0) < weight:
                owners[number] = weight

    for item in kb.items:
        n = item.number
        if n != current:
            current, seen = n, {}
        names_[n] = item.name
        names = [item.name] + ([item.heading] if item.heading else [])
        aliases = item.aliases
        normal_names = [normalize(text) for text in names]
        spoken_names: list[str] = []
        # (field, text, shown) in the order SearchIndex.add would be called
        entries: list[tuple[str, str, str]] = [("名称", normalize(t), t) for t in names]
        entries += [("别名", normalize(alias), alias) for alias in aliases]
        for text in normal_names:
            for variant in colloquial(text):
                spoken_names.append(variant)
                entries.append(("口语", variant, variant))
        entries += [("别名", normalize(case.name + item.name), case.name) for case in item.cases]
        # Ordered de-duplication: set order changes between runs, and ties keep the first text.
        for text in dict.fromkeys([*normal_names, *(normalize(t) for t in aliases), *spoken_names]):
            if not has_cjk(text):
                continue
            spelled, initial = full_and_initials(text)
            entries.append(("拼音", spelled, text))
            entries.append(("拼音首字母", initial, text))
        for group in item.materials:
            for m in group.items:
                name = normalize(m.name)
                entries.append(("材料", name, m.name))
                add_words(n, name, material_words)
        for about in (item.intro, item.legal_basis, *item.conditions):
            if about:
                text = normalize(about)
                entries.append(("说明", text, about[:30]))
                add_words(n, text, about_words)
        for about in item.tips:
            if about:
                add_words(n, normalize(about), about_words)
        for field_name, text, shown in entries:
            if not text:
                continue
            weight = weights[field_name]
            if seen.get(text, -1.0) >= weight:
                continue
            seen[text] = weight
            pos = len(texts)
            positions = by_text.get(text)
            if positions is None:
                by_text[text] = [pos]
            else:
                positions.append(pos)
            if field_name != "说明":
                for gram in text_grams(text):
                    positions = postings.get(gram)
                    if positions is None:
                        postings[gram] = [pos]
                    else:
                        positions.append(pos)
                head = text[:2]
                positions = heads.get(head)
                if positions is None:
                    heads[head] = [pos]
                else:
                    positions.append(pos)
                if field_name in word_weights:
                    word_positions.append(pos)
            texts.append(text)
            owner.append(n)
            fields_.append(field_name)
            shown_.append(shown or text)
        # The words of the item's names, aliases and colloquial variants, right after its other words:
        # each bigram's items come in 序号 order however the items are cut into batches (a parallel
        # build's parts). A material's words were added above, at the same weight.
        for pos in word_positions:
            add_words(n, texts[pos], word_weights[fields_[pos]])
        word_positions.clear()
    return idx


def _strip_fillers(text: str) -> str:
    for word in FILLERS:
        stripped = text.replace(word, "")
        if len(stripped) >= 2:  # never strip a query down to one character
            text = stripped
    return text


def expand(query: str, synonyms: dict[str, tuple[str, ...]], limit: int = 10) -> list[tuple[str, bool]]:
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


FULL_PINYIN_INSIDE = 5
"""Letters a query needs before it may match *inside* a full-pinyin text: fewer (edi in zhijieding)
cross syllables as often as not, and name nothing."""


def pinyin_similarity(q: str, t: str, *, full: bool = False) -> float:
    """Like :func:`similarity`, for Latin letters: no partial or bag-of-letters credit, which would
    make any short string of letters look like some initials. ``full``: ``t`` is full pinyin, where a
    short query counts only at the start (see :data:`FULL_PINYIN_INSIDE`)."""
    if q == t:
        return 100.0
    lq, lt = len(q), len(t)
    if lq >= 2 and t.startswith(q):
        return 92.0 + 6.0 * lq / lt
    if full and lq < FULL_PINYIN_INSIDE:
        return 0.0
    if lq >= 3 and q in t:
        return 84.0 + 10.0 * lq / lt
    from rsguide.search import fuzzy as fuzz  # rapidfuzz's measures, rapidfuzz loaded only when needed

    ratio = fuzz.ratio(q, t)
    head = fuzz.ratio(q, t[:lq]) * 0.95 if lq >= 4 else 0.0  # a typo in what was typed so far
    best = max(ratio, head)
    return best if best >= 80 else 0.0


@lru_cache(maxsize=32768)
def _counts(text: str) -> Counter[str]:
    return Counter(text)


def similarity(q: str, t: str) -> float:
    """Similarity of a (normalised) query and an indexed text, 0–100."""
    if q == t:
        return 100.0
    lq, lt = len(q), len(t)
    if lq >= 2 and t.startswith(q):
        return 92.0 + 6.0 * lq / lt
    if q in t:
        return (86.0 if lq >= 2 else 50.0) + 10.0 * lq / lt
    if lt >= 2 and t in q:
        return 72.0 + 20.0 * lt / lq
    if lq == lt >= 3 and _one_confusable(q, t):
        return CONFUSABLE_SCORE  # 失业保险金异地转人 is 转入 mistyped (人/入), not 转出
    if set(q).isdisjoint(t):  # no character in common: every measure below is 0 (rapidfuzz need not load)
        return 0.0
    fuzz = _fuzz()
    ratio: float = fuzz.ratio(q, t)
    if lq * 0.6 > lt:  # a sentence against a short text: no coverage can reach the bar (common ≤ lt)
        return ratio
    if lq < 3:  # neither coverage nor a partial match for two characters
        return ratio
    counts_t = _counts(t)
    common = sum(min(n, counts_t[ch]) for ch, n in _counts(q).items() if ch in counts_t)
    cov_q, cov_t = common / lq, common / lt
    # Characters in another order (挂失社保卡 / 社保卡挂失); too loose for two characters.
    coverage = 100.0 * (0.7 * cov_q + 0.3 * cov_t) if cov_q >= 0.6 else 0.0
    partial = fuzz.partial_ratio(q, t) * 0.9 if lq <= lt else 0.0
    head = 0.0
    if 4 <= lq < lt and lq <= 12 and q[:2] == t[:2] and sum(a != b for a, b in zip(q, t[:lq], strict=True)) == 1:
        head = 80.0 + 4.0 * lq / lt  # the start of the text with one character mistyped (失业保验金)
    return max(ratio, coverage, partial, head)


CONFUSABLE_GROUPS = (
    "人入八", "己已巳", "未末", "拔拨", "侯候", "戌戍戊", "日曰", "土士", "大太犬", "刀力", "干千于", "王玉",
    "辩辨辫", "账帐", "折拆", "免兔", "休体", "茶荼", "即既", "历厉", "券卷", "晴睛", "狠很", "今令", "仓仑",
    "失矢", "保堡", "险验", "档挡", "称秤", "补朴", "录绿", "退褪",
)
"""Characters mistaken for each other by shape (人/入, 己/已) in typing or reading a form: a text one such
character away from the query is that text mistyped."""
CONFUSABLE_SCORE = 95.0
_CONFUSABLE = {(a, b) for group in CONFUSABLE_GROUPS for a in group for b in group if a != b}


def _one_confusable(q: str, t: str) -> bool:
    """Whether ``q`` and ``t`` (of equal length) differ in exactly one place, by a confusable pair."""
    diff = [(a, b) for a, b in zip(q, t, strict=True) if a != b]
    return len(diff) == 1 and diff[0] in _CONFUSABLE


_FUZZ: Any = None


def _fuzz() -> Any:
    """rapidfuzz's ``fuzz`` module, imported when first needed (not on every comparison)."""
    global _FUZZ
    if _FUZZ is None:
        from rsguide.search import fuzzy as fuzz  # rapidfuzz's measures, rapidfuzz loaded only when needed

        _FUZZ = fuzz
    return _FUZZ


SMALL_INDEX = 3000
"""A query sharing no gram with any text is still scored against every text of an index this small."""
MAX_POSTINGS = 4000
"""Grams shared by more texts than this are too common to select candidates by."""


def _candidates(idx: SearchIndex, q: str, limit: int) -> list[int]:
    """Positions worth scoring in full: those sharing the most grams with the query (typos keep
    most grams), plus exact hits and texts that start alike."""
    counts: Counter[int] = Counter()
    # The grams in a fixed order before the shortest lists first: a set's order changes from one
    # process to the next (hash seeds), and which of two equally long lists is counted first decides
    # the candidates when lists are too long to count (a province's common grams).
    lists = sorted((idx.postings.get(g, []) for g in sorted(text_grams(q))), key=len)
    for postings in lists:
        if len(postings) <= MAX_POSTINGS or not counts:
            counts.update(postings[:MAX_POSTINGS])
    found = [pos for pos, _n in counts.most_common(limit)]
    found += idx.by_text.get(q, [])
    found += idx.heads.get(q[:2], [])[:limit]
    if not found and len(idx.texts) <= SMALL_INDEX:
        return list(range(len(idx.texts)))
    found = list(dict.fromkeys(found))
    prefetch = getattr(idx.texts, "prefetch", None)  # a stored index reads these rows in one go
    if prefetch is not None:
        prefetch(found)
    return found


def _lexical(idx: SearchIndex, q: str) -> dict[int, Hit]:
    """The best lexical hit per item (names, aliases, pinyin, materials, keywords), unfiltered. The
    hits' names are left empty: only the few that are shown read theirs (see :func:`analyse`)."""
    best: dict[int, Hit] = {}

    def consider(pos: int, score: float) -> None:
        number = idx.owner[pos]
        old = best.get(number)
        if old is None or score > old.score:
            best[number] = Hit(number, "", round(score, 1), idx.fields[pos], idx.shown[pos])

    variants = expand(q, idx.synonyms)
    pinyin_queries = _pinyin_queries(q) if has_latin(q) else []
    for text, via_synonym in variants:
        factor = 0.97 if via_synonym else 1.0
        scored: dict[str, float] = {}  # a text many items share (身份证, a common name) is scored once
        for pos in _candidates(idx, text, 200):
            fld = idx.fields[pos]
            if fld.startswith("拼音"):
                continue
            indexed = idx.texts[pos]
            score = scored.get(indexed)
            if score is None:
                score = scored[indexed] = similarity(text, indexed)
            consider(pos, score * WEIGHTS[fld] * factor)
    for text, fld_wanted in pinyin_queries:
        for pos in _candidates(idx, text, 200):
            if idx.fields[pos] != fld_wanted:
                continue
            full = fld_wanted == "拼音"
            consider(pos, pinyin_similarity(text, idx.texts[pos], full=full) * WEIGHTS[fld_wanted])
    if pinyin_queries and has_cjk(q):
        for number, score, shown in _mixed_scores(idx, q):
            old = best.get(number)
            if old is None or score > old.score:
                best[number] = Hit(number, "", round(score, 1), "拼音+汉字", shown)
    n_items = len(idx.names)
    for text, via_synonym in variants:
        for number, score, gram in _keyword_scores(idx, text, n_items):
            score *= 0.97 if via_synonym else 1.0
            old = best.get(number)
            if old is None or score > old.score:
                best[number] = Hit(number, "", round(score, 1), "关键词", gram)
    return best


STRONG_FIELDS = frozenset({"名称", "别名", "口语", "拼音", "拼音首字母", "拼音+汉字", "序号"})
"""Fields whose match names the item (rather than sharing words with it)."""
STRONG_SCORE = 88.0
"""A lexical match on a name-like field at least this good is evidence enough on its own."""
CONCEPT_BASE, CONCEPT_SPAN = 45.0, 50.0
"""Concept agreement a (0–1) scores ``CONCEPT_BASE + CONCEPT_SPAN * a`` points (45–95)."""
MIN_AGREEMENT = 0.45
"""Below this agreement the concepts say little; without a strong lexical match, no answer."""
FOCUS = True
"""Whether the clause that carries the request weighs more (see :func:`rsguide.search.concepts.focus_of`)."""
SHORT_QUERY = 8
"""A query this short that shares distinctive words with an item is most likely its name mistyped
(就业创叶证); a longer one that only shares words, and no concepts, is not answered."""
UNKNOWN_SHORT_SHARE = 0.4
"""A short query (:data:`SHORT_QUERY`) this much of which went unknown is read by its concepts at best ``low``."""
GUESS_FACTOR = 0.85
"""The concept score of such a query is scaled by this, so that a name it resembles comes first."""
DOUBT = "存疑"
"""The situation (``concepts.yaml``) of words that the best item's own conditions or 禁办 rules ask
about (函授 for 直接确定 of 全日制 graduates): the item is listed, never with more than ``low``."""
SENTENCE_CJK = 8
"""A query with Latin letters is parsed for concepts only with at least this many Chinese characters
(我是HR，公司要开参保证明); fewer are pinyin mixed with characters (sbk挂失)."""
_CJK_CHARS = LazyPattern(r"[\u4e00-\u9fff]")  # 21,000 characters: compiled when a query has Latin letters
_DIGIT = re.compile(r"[0-9]")
HIGH, MEDIUM = 88.0, 75.0
"""Score bands of the confidence levels (concepts, materials)."""
STRONG_HIGH, STRONG_MEDIUM = 85.0, 70.0
"""Score bands of the confidence levels for a match on a name, alias or pinyin."""
TIE_MARGIN = 3.0
PINYIN_TIE = 1.5
"""A pinyin match this close to the next item's pinyin match is not sure (one level lower)."""
UNKNOWN_MIN = 2
"""Characters of content the parser did not understand (see :attr:`Parsed.unknown`) from which a
partial reading is not trusted: the unknown words are most likely what the question is about."""
PARTIAL_TRUST = 0.65
"""A concept reading that leaves some of the best item's core concepts unsaid, while content went
unrecognised, needs at least this agreement to be an answer."""
"""A best result this close to the next one is not sure of itself: its confidence drops a level."""


@dataclass
class Analysis:
    """Everything one search found out: the hits, what the query was understood as, and, for a
    query that is not on the list, why and which items are related but different."""

    query: str
    hits: list[Hit]
    parsed: Parsed | None = None
    out_of_scope: tuple[str, ...] = ()
    related: list[Hit] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """The query is understood as not on the list, or nothing fits it with confidence."""
        return not self.hits


def lexicon_of(idx: SearchIndex) -> Lexicon:
    """The concept lexicon of an index (wrapped once per index object)."""
    lex = idx.__dict__.get("_lexicon")
    if lex is None:
        lex = Lexicon(idx.concepts)
        idx.__dict__["_lexicon"] = lex
    return lex


def _level(score: float, matched: str) -> str:
    if matched in STRONG_FIELDS:  # the item's name, alias or pinyin: close enough is sure
        return "high" if score >= STRONG_HIGH else "medium" if score >= STRONG_MEDIUM else "low"
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


RANK = {"low": 0, "medium": 1, "high": 2}


def _lower(level: str) -> str:
    return {"high": "medium", "medium": "low"}.get(level, "low")


def analyse(idx: SearchIndex, query: str, *, limit: int = 10, floor: float = FLOOR) -> Analysis:
    """Search ``query`` and say how sure the answer is (see :class:`Analysis`).

    Lexical matching (names, aliases, pinyin, typos, materials) and concept agreement (see
    :mod:`rsguide.search.concepts`) are scored separately per item; an item scores the better of the two.
    A query whose concepts point to a topic that is not on the list, or that nothing fits with
    confidence, gets no hits; the items it is related to are in :attr:`Analysis.related`.
    """
    q = normalize(query)
    if not q:
        return Analysis(q, [])
    number = item_number(q, query)
    if number is not None and number in idx.names:
        return Analysis(q, [Hit(number, idx.names[number], 100.0, "序号", str(number))])
    lex = _lexical(idx, q)
    lexicon = lexicon_of(idx)
    # One character is too little to understand (卡 alone gets "did you mean", not a guess). Letters
    # with a few characters are pinyin (sbk挂失); a sentence with a Latin word (我是HR，…) is a sentence.
    sentence = has_cjk(q) and (not has_latin(q) or len(_CJK_CHARS.findall(q)) >= SENTENCE_CJK)
    parsed = parse(query, lexicon) if lexicon and len(q) >= 2 and sentence else None
    if parsed is not None and parsed.text != q:
        # Northeast words said in standard words (俺想整个社保卡 → 我想办个社保卡) match names too.
        for number, alt in _lexical(idx, parsed.text).items():
            old = lex.get(number)
            if old is None or alt.score > old.score:
                lex[number] = alt
    agreements: dict[int, float] = {}
    trusted: dict[int, float] = {}  # the agreement that confidence is judged by
    if parsed is not None and parsed.concepts:
        focused = focus_of(query, parsed, lexicon) if FOCUS else parsed
        # Items described alike agree alike: description → (agreement, trusted agreement).
        agreeing: dict[int, tuple[float, float]] = {}
        for d in lexicon.candidate_descriptions(parsed):
            described = lexicon.description(d)
            plain = agreement(parsed, described, lexicon)
            a = agreement(focused, described, lexicon) if focused.focus else plain
            if a > 0:
                agreeing[d] = (a, max(a, plain))
        if agreeing:
            # An item matched by its words keeps its description's agreement. Of the others, which
            # all score alike and are ranked by number, only the first few of each description can be
            # read below (the hits, the suggestions, :func:`_parent_first`): the rest are not scored.
            lexicon.items.prefetch(lex)
            for number in lex:
                own = lexicon.description_of(number)
                if own is not None and own in agreeing:
                    agreements[number], trusted[number] = agreeing[own]
            keep = limit + 6
            prefetch = getattr(idx.names, "prefetch", None)  # a stored index reads these names in one go
            for d, pair in agreeing.items():
                members = lexicon.members(d)
                kept = start = 0
                while kept < keep and start < len(members):
                    chunk = [n for n in members[start : start + keep] if n not in lex]
                    start += keep
                    if prefetch is not None:
                        prefetch(chunk)
                    for number in chunk:
                        if kept < keep and number in idx.names:
                            agreements[number], trusted[number] = pair
                            kept += 1
    strong = {n for n, h in lex.items() if h.matched in STRONG_FIELDS and h.score >= STRONG_SCORE}
    for n, h in lex.items():
        # A whole name or alias said inside a longer sentence ("伤残待遇申领多少天能办完") names the item.
        if (
            h.matched in ("名称", "别名", "口语")
            and n not in strong
            and _said_whole(h.text, q)
            and not _inside_other_word(h.text, parsed, lexicon, n)
        ):
            strong.add(n)
            lex[n] = replace(h, score=max(h.score, STRONG_SCORE))
    best_agreement = max(agreements.values(), default=0.0)
    # A short query mostly not understood is most likely a name mistyped: its few concepts are a guess.
    guessing = parsed is not None and len(q) <= SHORT_QUERY and parsed.unknown_chars >= UNKNOWN_SHORT_SHARE * len(q)
    points: dict[int, tuple[float, bool]] = {}  # item → (score, scored by its concepts)
    for number in set(lex) | set(agreements):
        hit = lex.get(number)
        a = agreements.get(number, 0.0)
        concept_score = CONCEPT_BASE + CONCEPT_SPAN * a if a else 0.0
        if guessing:
            concept_score *= GUESS_FACTOR
        lexical = hit.score if hit is not None else 0.0
        if hit is not None and number not in strong and best_agreement:
            # Words shared with a sentence whose meaning points elsewhere are weak evidence.
            lexical *= 0.85 + 0.15 * a / best_agreement
        if concept_score > lexical:
            points[number] = (round(concept_score, 1), True)
        elif hit is not None:
            points[number] = (round(lexical, 1), False)
    order = sorted(points, key=lambda n: (-points[n][0], -_score_of(lex.get(n)), n))
    if parsed is not None and len(order) > 2:
        order = _parent_first(order, points, parsed, lexicon)

    def hit_of(number: int) -> Hit:
        score, by_concepts = points[number]
        if by_concepts and parsed is not None:
            shared = _shared(parsed.ranked(lexicon), lexicon.items[number])
            return Hit(number, idx.names[number], score, "理解为", shared)
        h = lex[number]
        return Hit(number, idx.names[number], score, h.matched, h.text)

    shown = getattr(idx.names, "prefetch", None)  # a stored index reads the names of the hits in one go
    if shown is not None:
        shown(order[: limit + 3])
    cutoff = max(floor, points[order[0]][0] * RELATIVE_CUTOFF) if order else floor
    hits = [hit_of(n) for n in order[: limit + 3] if points[n][0] >= cutoff]
    out_of_scope = parsed.out_of_scope if parsed is not None else ()
    if parsed is not None and background_only(query, parsed, lexicon):
        out_of_scope = ()  # named as a circumstance; the request itself is on the list
    best_lexical = max((h.score for n, h in lex.items() if n in strong), default=0.0)
    top = hits[0] if hits else None
    confident = top is not None and (
        top.matched in STRONG_FIELDS
        or trusted.get(top.number, 0.0) >= MIN_AGREEMENT
        or (top.matched == "材料" and not (parsed and parsed.concepts))
        or (top.matched == "关键词" and len(q) <= SHORT_QUERY and top.score >= 70.0)
        or top.score >= STRONG_SCORE
    )
    if confident and top is not None and parsed is not None and top.matched == "理解为":
        # Coverage: words the parser did not understand, and what it did understand only part of
        # what defines the best item (社保 + 缴费基数, 证书丢了 + 职业资格): the unknown words are
        # most likely the topic, one that is not on the list. Not found is better than a wrong card.
        core = lexicon.items[top.number][0]
        said = [c for c in core if c in parsed.concepts]
        if not said:
            confident = False  # only side details agree (辞职 + 公司): nothing that defines the item was said
        elif len(said) < len(core) and parsed.unknown_chars >= UNKNOWN_MIN:
            # The topic that defines the item unsaid (证书丢了 + 焊接操作资格, not 职称): the unknown words
            # name another topic. Otherwise a reading this partial must agree well.
            topic_unsaid = any(lexicon.kinds.get(c) == "topic" for c in core if c not in said)
            confident = not topic_unsaid and trusted.get(top.number, 0.0) >= PARTIAL_TRUST
    if (out_of_scope and best_lexical < 97.0) or not confident:
        related = [replace(h, confidence="low") for h in hits[:3]]
        if not related:
            near = [n for n in order[:3] if points[n][0] >= SUGGEST_FLOOR]
            related = [replace(hit_of(n), confidence="low") for n in near]
        return Analysis(q, [], parsed, out_of_scope, related)
    out: list[Hit] = []
    for i, h in enumerate(hits[:limit]):
        level = _level(h.score, h.matched)
        if (
            i == 0
            and len(hits) > 1
            and h.matched == hits[1].matched == "理解为"
            and hits[1].score > h.score - TIE_MARGIN
        ):
            # Two items mean about the same to the query: the clerk must choose (never "high").
            level = "low" if hits[1].score >= h.score - 1.0 else _lower(level)
        elif i > 0 and h.matched == hits[0].matched == "理解为" and h.score >= hits[0].score - 1.0:
            level = "low"  # tied with the best: no surer than it
        elif h.matched != "材料" and len(hits) > 1 and h.score >= hits[0].score and hits[1 - min(i, 1)].score >= h.score:
            # Two items fit exactly as well (a typo one character from both, 社保卡 of five card items):
            # the clerk picks. Items that need a material are a list, every one of them right.
            level = "low"
        elif (
            i == 0
            and len(hits) > 1
            and h.matched.startswith("拼音")
            and hits[1].matched.startswith("拼音")
            and hits[1].score >= h.score - PINYIN_TIE
        ):
            # Pinyin that two names contain about equally well (tuixiu shenqing): the clerk must choose.
            level = _lower(level)
        if i == 0 and h.matched == "理解为" and parsed is not None:
            core = lexicon.items[h.number][0]
            told = frozenset(c for c in core if c in parsed.concepts)
            if len(told) < len(core):
                # Only what it shares with a sibling was said (社保卡 of 挂失 and 补领; 失业金 + 外地 of
                # 转出 and 转入): the concept that would tell them apart is missing.
                siblings = [o for o in hits[1:3] if o.matched == "理解为" and told <= lexicon.items[o.number][0]]
                if siblings:
                    level = _lower(level)
        if i == 0 and h.matched == "拼音首字母" and h.score < STRONG_HIGH:
            level = "low"  # initials one letter off (sbkjg is not sbkjh): five letters leave no room for a typo
        if i == 0 and parsed is not None and parsed.concepts and h.matched in ("名称", "别名", "口语"):
            if _beyond_item(h, q, parsed, lexicon) or _shared_part(h, hits[1:3], q, parsed, lexicon):
                level = "low"
        if i == 0 and len(q) <= SHORT_QUERY and _DIGIT.search(q) and h.matched != "序号":
            level = "low"  # a number among words (失业4, 4项失业) that is not an item number: which is meant?
        named = h.matched in STRONG_FIELDS and h.score >= STRONG_SCORE
        if i == 0 and parsed is not None and DOUBT in parsed.situations and not named:
            # The item's own conditions question what was said (函授 for item 19): the clerk decides.
            # A query that names the item (外省市评审的职称证书补发) gets its card, 禁办 rules and all.
            level = "low"
        elif i == 0 and h.matched == "理解为" and parsed is not None:
            if not any(lexicon.kinds.get(c) == "topic" for c in parsed.concepts) and any(
                lexicon.kinds.get(c) == "topic" for c in lexicon.items[h.number][0]
            ):
                level = "low"  # no topic said, and the item is defined by one (丧葬补助 of whom?): a guess
            elif any(c in lexicon.telling_who and c not in parsed.concepts for c in lexicon.items[h.number][0]):
                level = "low"  # the item is for one kind of employer (机关事业), not said (停保 of whom?)
            elif len(q) <= SHORT_QUERY and parsed.unknown_chars >= UNKNOWN_SHORT_SHARE * len(q):
                level = "low"  # a short query mostly not understood is a name mistyped (失业保验金), not a situation
        if h.matched == "关键词":
            level = "low"
            # Say which words the item shares, not a stray bigram ("关键词：案转").
            h = replace(h, matched="字词相近", text="".join(dict.fromkeys(ch for ch in h.name if ch in q)) or h.text)
        if out and RANK[level] > RANK[out[0].confidence]:
            level = out[0].confidence  # no item is surer than the best one (社保卡: five card items, none said)
        out.append(replace(h, confidence=level))
    return Analysis(q, out, parsed, out_of_scope)


def _beyond_item(hit: Hit, q: str, parsed: Parsed, lexicon: Lexicon) -> bool:
    """Whether a name-like match says less than the query asks: a name reached only through a
    synonym (去世 → 丧葬补助金) for an item defined by a topic the query does not say (5 is only
    for those receiving 失业保险金), or an item named whole with an action it does not do
    (失业登记 + 注销)."""
    described = lexicon.items.get(hit.number)
    if described is None:
        return False
    core, also = described
    kinds = lexicon.kinds
    if not _said_whole(hit.text, q) and not _says_part(q, normalize(hit.text)):
        # 减员 reaches 缴费人员增减申报（机关事业） through a synonym: whose 减员 is not said.
        return any(
            (kinds.get(c) == "topic" or c in lexicon.telling_who) and c not in parsed.concepts for c in core
        )
    if any(kinds.get(c) == "action" for c in core):
        return any(kinds.get(c) == "action" and c not in core and c not in also for c in parsed.concepts)
    return False


def _says_part(q: str, name: str, least: int = 3) -> bool:
    """Whether the query is part of ``name`` or says at least ``least`` characters of it in a row
    (丧葬补助金要带啥 says 丧葬补助金和抚恤金's words; 去世了 reaches it only through a synonym)."""
    if q in name:
        return True
    return any(name[i : i + least] in q for i in range(len(name) - least + 1))


def _shared_part(hit: Hit, others: list[Hit], q: str, parsed: Parsed, lexicon: Lexicon) -> bool:
    """Whether the query is part of ``hit``'s name and says only what the name shares with a close
    sibling item (职称 of 职称证书补发 and of 直接确定专业技术职务): which of them is not said."""
    name = normalize(hit.text)
    if q == name or q not in name:
        return False
    core = lexicon.items.get(hit.number, (frozenset(), frozenset()))[0]
    told = frozenset(c for c in core if c in parsed.concepts)
    if not told or told == core:
        return False
    return any(told <= lexicon.items.get(o.number, (frozenset(), frozenset()))[0] for o in others)


def _parent_first(
    order: list[int], points: dict[int, tuple[float, bool]], parsed: Parsed, lexicon: Lexicon
) -> list[int]:
    """Two sibling items tied at the top that each miss the concept defining them (转出 / 转入 of a
    失业金 said with 外地, nothing said about which way): the item whose whole core was said, and that
    both build on (失业保险金 of item 4), is the answer the query supports; it comes first."""
    a, b = order[0], order[1]
    if not (points[a][1] and points[b][1]) or points[b][0] < points[a][0] - 1.0:
        return order
    said = set(parsed.concepts)
    core_a, core_b = lexicon.items[a][0], lexicon.items[b][0]
    if core_a <= said or core_b <= said:
        return order
    shared = core_a & core_b & said
    if not shared:
        return order
    for n in order[2:6]:
        core = lexicon.items.get(n, (frozenset(), frozenset()))[0] if points[n][1] else frozenset()
        if core and core <= shared:
            points[n] = (points[a][0], True)  # level with the siblings: the clerk sees a tie, "low"
            return [n, *(m for m in order if m != n)]
    return order


def _score_of(hit: Hit | None) -> float:
    return hit.score if hit is not None else 0.0


def _said_whole(shown: str, q: str) -> bool:
    text = normalize(shown)
    return len(text) >= 4 and text in q


def _inside_other_word(shown: str, parsed: Parsed | None, lexicon: Lexicon, number: int) -> bool:
    """Whether a name said whole is only part of a longer word the parser read as something else:
    失业登记 inside 就业失业登记证 (the old name of the 就业创业证) does not name item 2."""
    if parsed is None or number not in lexicon.items:
        return False
    text = normalize(shown)
    core, also = lexicon.items[number]
    return any(
        len(m.word) > len(text) and text in m.word and not (set(m.concepts) & (core | also)) for m in parsed.matches
    )


def _shared(parsed: Parsed, described: tuple[frozenset[str], frozenset[str]]) -> str:
    """The query's concepts that an item has, as the clerk reads them: ``失业 · 领取待遇``."""
    core, also = described
    kept = [c for c in parsed.concepts if c in core or c in also]
    return Parsed(parsed.text, (), tuple(kept), parsed.negated, (), ()).understood()


def search(idx: SearchIndex, query: str, *, limit: int = 10, floor: float = FLOOR) -> list[Hit]:
    """Ranked items for ``query``, best first; empty when the query is not on the list (see
    :func:`analyse`)."""
    return analyse(idx, query, limit=limit, floor=floor).hits


def _mixed_scores(idx: SearchIndex, q: str) -> list[tuple[int, float, str]]:
    """A query mixing pinyin and characters (sbk换领): each part must fit the same item."""
    latin = "".join(re.findall(r"[a-z]+", q))
    han = "".join(re.findall(r"[^a-z0-9]+", q))
    if len(latin) < 2 or not han:
        return []
    by_latin: dict[int, tuple[float, str]] = {}
    by_han: dict[int, float] = {}
    for pos in _candidates(idx, latin, 200):
        fld = idx.fields[pos]
        if fld.startswith("拼音"):
            score = pinyin_similarity(latin, idx.texts[pos], full=fld == "拼音") * WEIGHTS[fld]
            if score > by_latin.get(idx.owner[pos], (0.0, ""))[0]:
                by_latin[idx.owner[pos]] = (score, idx.shown[pos])
    for pos in _candidates(idx, han, 200):
        fld = idx.fields[pos]
        if fld in ("名称", "别名", "口语"):
            score = similarity(han, idx.texts[pos]) * WEIGHTS[fld]
            by_han[idx.owner[pos]] = max(by_han.get(idx.owner[pos], 0.0), score)
    return [
        (number, (lat + by_han[number]) / 2, shown) for number, (lat, shown) in by_latin.items() if number in by_han
    ]


def _keyword_scores(idx: SearchIndex, q: str, n_items: int) -> list[tuple[int, float, str]]:
    """Items sharing distinctive bigrams with a sentence-like query: 50–85 points.

    ``mass`` adds each shared bigram's IDF times the field weight; the score is the share of the
    query's known content that the item covers, with unknown bigrams (filler) counting a little,
    so that one common word in a long sentence does not make a match.
    """
    grams = list(dict.fromkeys(q[i : i + 2] for i in range(len(q) - 1)))  # in the query's order: the
    # bigram reported for a tie must not depend on Python's hash seed
    if len(q) < 3 or not grams:
        return []
    sizes = getattr(idx.grams, "sizes", None)  # a stored index counts a gram's items without reading them
    counts: dict[str, int] = (
        sizes(grams) if sizes is not None else {g: len(idx.grams[g]) for g in grams if g in idx.grams}
    )
    known = {g: math.log(1 + n_items / counts[g]) for g in grams if g in counts}
    if not known:
        return []
    avg = sum(known.values()) / len(known)
    denom = sum(known.values()) + UNKNOWN_GRAM_SHARE * avg * (len(grams) - len(known))
    mass: dict[int, float] = {}
    best_gram: dict[int, tuple[float, str]] = {}
    for gram, idf in known.items():
        if counts[gram] > KEYWORD_MAX_OWNERS and n_items > KEYWORD_MAX_OWNERS * 10:
            continue  # a word most items share says little, and costs a loop over all of them
        owners = idx.grams[gram]
        for number, weight in owners.items():
            mass[number] = mass.get(number, 0.0) + idf * weight
            if idf * weight > best_gram.get(number, (0.0, ""))[0]:
                best_gram[number] = (idf * weight, gram)
    return [
        (number, 50.0 + 35.0 * min(1.0, m / denom), best_gram[number][1]) for number, m in mass.items() if m >= MIN_MASS
    ]


def suggest(idx: SearchIndex, query: str, *, limit: int = 3) -> list[Hit]:
    """Near misses for "did you mean": the best results under the floor, or the items related to a
    query that is not on the list."""
    found = analyse(idx, query, limit=limit, floor=SUGGEST_FLOOR)
    return found.hits or found.related[:limit]


def _pinyin_queries(q: str) -> list[tuple[str, str]]:
    """A query with Latin letters read as pinyin: as initials and as full pinyin."""
    if has_cjk(q):
        from rsguide.search.pinyin import full, initials

        parts = re.findall(r"[a-z0-9]+|[^a-z0-9]+", q)
        as_initials = "".join(p if has_latin(p) or p.isdigit() else initials(p) for p in parts)
        as_full = "".join(p if has_latin(p) or p.isdigit() else full(p) for p in parts)
    else:
        as_initials = as_full = fold(q)
    out = [(as_full, "拼音")]
    if len(as_initials) <= 12:
        out.append((as_initials, "拼音首字母"))
    return out
