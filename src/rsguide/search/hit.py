"""A search result, and the shape of a query that is an item number (kept apart from
:mod:`rsguide.search.engine` so that looking an item up by number or name stays light)."""

from __future__ import annotations

from rsguide.records import dataclass
from rsguide.search.itemno import ITEM_NUMBER, item_number  # noqa: F401 (kept light for the fast path of show)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the item, its score and why it matched."""

    number: int
    name: str
    score: float
    matched: str  # the field, e.g. 名称 / 拼音首字母 / 材料, or 理解为 (concepts)
    text: str  # the indexed text that matched, or the concepts understood ("失业 · 领取待遇")
    confidence: str = "high"
    """``high`` / ``medium`` / ``low``: how sure the search is that this is the item meant."""
