"""Resolving what a clerk typed to an item: numbers and exact names without building the
search index, everything else through :mod:`rsguide.search`."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rsguide.errors import NotFoundError, UsageError
from rsguide.hit import Hit, item_number
from rsguide.model import Item, KnowledgeBase
from rsguide.normalize import clean_input, fold

if TYPE_CHECKING:
    from rsguide.search import SearchIndex

MAX_QUERY = 200
"""Longer input is cut to this many characters before matching (a paste of a whole page)."""

AMBIGUITY_MARGIN = 8.0
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


def quick_match(kb: KnowledgeBase, query: str) -> Item | None:
    """A number (``4``, ``第4项``, ``４``) or an exact name or alias, without the index."""
    key = fold(query)
    number = item_number(key)
    if number is not None:
        item = kb.item(number)
        if item is None:
            hint = f"序号范围 1–{kb.last_number}，可运行 rsguide search 关键词"
            raise NotFoundError(f"没有第{number}项", hint=hint)
        return item
    exact = kb.exact_number(key)
    return kb.item(exact) if exact is not None else None


def resolve(kb: KnowledgeBase, index: Callable[[], SearchIndex], query: str) -> Resolved:
    """The best item for ``query``; raises :class:`NotFoundError` with suggestions."""
    text = clean_query(query)
    item = quick_match(kb, text)
    if item is not None:
        return Resolved(item, Hit(item.number, item.name, 100.0, "名称", item.name), [])
    from rsguide.search import FLOOR, search, suggest

    idx = index()
    hits = search(idx, text, limit=6)
    if not hits:
        near = suggest(idx, text)
        shown = unicodedata.normalize("NFKC", text)[:40]
        raise NotFoundError(
            f"没有找到“{shown}”", hint=did_you_mean(near), suggestions=[(h.number, h.name) for h in near]
        )
    best = hits[0]
    others = [h for h in hits[1:] if h.score >= max(FLOOR, best.score - AMBIGUITY_MARGIN)]
    resolved_item = kb.item(best.number)
    assert resolved_item is not None
    return Resolved(resolved_item, best, others)
