"""Resolving what a clerk typed to an item: numbers and exact names without building the
search index, everything else through :mod:`rsguide.search.engine`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from rsguide.errors import NotFoundError, UsageError
from rsguide.model import Item
from rsguide.records import dataclass
from rsguide.search.hit import Hit
from rsguide.search.itemno import item_number
from rsguide.search.normalize import clean_input, fold, normalize

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI
    from rsguide.search.engine import Analysis, SearchIndex

MAX_QUERY = 200
"""Longer input is cut to this many characters before matching (a paste of a whole page)."""

NOT_SURE_SPAN = 10.0
"""When the best item is not a confident answer, the items this close to it are the candidates."""

AMBIGUITY_MARGIN = 8.0
TIE_MARGIN = 0.5
"""Items scoring within this of the best are as good as the best (scores are shown rounded)."""
"""Other results within this many points of the best are listed as "other possible items"."""


@dataclass(frozen=True)
class Resolved:
    """The item a query resolved to, and the other items it may have meant."""

    item: Item
    hit: Hit
    others: list[Hit]


def clean_query(query: str) -> str:
    """The query as matched: printable, trimmed, at most :data:`MAX_QUERY` characters."""
    text = clean_input(query)[:MAX_QUERY]
    if not fold(text):
        raise UsageError("查询内容为空", hint="请输入事项名称、序号或关键词，例如：rsguide show 失业登记")
    return text


def did_you_mean(near: Sequence[Hit]) -> str:
    """The hint after "not found": the nearest items, or how to look further."""
    if near:
        return "您是不是要找：" + "、".join(f"第{h.number}项 {h.name}" for h in near)
    return "请换个说法，或运行 rsguide search 关键词 查看候选"


def quick_match(kb: ReadAPI, query: str) -> Item | None:
    """A number (``4``, ``第4项``, ``４``) or an exact name or alias, without the index."""
    key = fold(query)
    number = item_number(key, query)
    if number is not None:
        item = kb.item(number)
        if item is None:
            hint = f"序号范围 1–{kb.last_number}，可运行 rsguide search 关键词"
            raise NotFoundError(f"没有第{number}项", hint=hint)
        return item
    exact = kb.exact_number(key)
    return kb.item(exact) if exact is not None else None


class NotOnList(NotFoundError):
    """Nothing on the list fits the query; ``related`` items are near it but are not the answer
    (``label`` says how to present them: 相关但不同, or 您是不是要找 for a likely typo)."""

    def __init__(self, query: str, related: list[Hit], label: str, topics: tuple[str, ...] = ()) -> None:
        why = f"（理解为：{'、'.join(topics)}）" if topics else ""
        hint = f"{label}：" + "、".join(f"第{h.number}项 {h.name}" for h in related) if related else None
        super().__init__(
            f"本清单没有与“{query}”对应的事项{why}",
            hint=hint or "请换个说法，或运行 rsguide search 关键词 查看候选",
            suggestions=[(h.number, h.name) for h in related],
        )
        self.related = related
        self.label = label

    def lines(self) -> list[str]:
        """The message and one line per related item (what the CLI prints on stderr)."""
        if not self.related:
            return [str(self)]
        return [self.message] + [f"  {self.label}：第{h.number}项 {h.name}" for h in self.related]


class NotSure(NotFoundError):
    """The query fits several items, none with confidence: the clerk picks one by number."""

    def __init__(self, query: str, candidates: list[Hit]) -> None:
        names = "、".join(f"第{h.number}项 {h.name}" for h in candidates)
        super().__init__(
            f"不能确定“{query}”指哪一项",
            hint=f"请用序号选择：{names}",
            suggestions=[(h.number, h.name) for h in candidates],
        )
        self.candidates = candidates

    def lines(self) -> list[str]:
        """The message and one numbered line per candidate (what the CLI prints on stderr)."""
        rows = [f"  第{h.number}项 {h.name}（{h.matched}：{h.text}）" for h in self.candidates]
        return [f"{self.message}，请用序号选择（例如 rsguide show {self.candidates[0].number}）：", *rows]


def not_on_list(query: str, found: Analysis) -> NotOnList:
    """The error for a query that :func:`rsguide.search.engine.analyse` rejected."""
    shown = unicodedata.normalize("NFKC", query)[:40]
    understood = bool(found.out_of_scope) or bool(found.parsed and found.parsed.concepts)
    label = "相关但不同" if understood else "您是不是要找"
    return NotOnList(shown, found.related[:3], label, found.out_of_scope)


def resolve(kb: ReadAPI, index: Callable[[], SearchIndex], query: str) -> Resolved:
    """The best item for ``query``; raises :class:`NotOnList` when nothing on the list fits and
    :class:`NotSure` when the best item is not a confident answer."""
    text = clean_query(query)
    item = quick_match(kb, text)
    if item is not None:
        return Resolved(item, Hit(item.number, item.name, 100.0, "名称", item.name), [])
    from rsguide.search.engine import FLOOR, analyse

    found = analyse(index(), text, limit=6)
    if found.rejected:
        raise not_on_list(text, found)
    best = found.hits[0]
    # Not one answer: items as good as the best (身份证办理 → nine items that ask for an ID card), or a
    # word that is part of several close items' names (登记, 查询, 社会保障卡): the clerk picks by number.
    # (退休 is part of three names too, but 职工正常退休 is far ahead: its card, with the others listed.)
    tied = [h for h in found.hits[1:] if h.confidence != "low" and h.score >= best.score - TIE_MARGIN]
    key = normalize(text)
    sharing = [
        h
        for h in found.hits
        if h.confidence != "low" and h.score >= best.score - AMBIGUITY_MARGIN and key and key in normalize(h.name)
    ]
    if best.confidence == "low" or tied or (len(sharing) > 1 and best in sharing):
        shown = unicodedata.normalize("NFKC", text)[:40]
        if best.confidence == "low":
            close = [h for h in found.hits if h.score >= best.score - NOT_SURE_SPAN]
        else:
            close = [best, *tied, *(h for h in sharing if h is not best and h not in tied)]
        raise NotSure(shown, close[: max(2, min(5, len(close)))])
    others = [
        h
        for h in found.hits[1:]
        if h.score >= max(FLOOR, best.score - AMBIGUITY_MARGIN) or (h.confidence != "low" and h.matched != "理解为")
    ]
    resolved_item = kb.item(best.number)
    assert resolved_item is not None
    return Resolved(resolved_item, best, others)
