"""One numerals helper: written for headings, read for item numbers."""

from __future__ import annotations

import pytest

from rsguide.numerals import from_chinese, to_chinese
from rsguide.search.itemno import item_number


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (32, "三十二"), (105, "一百零五")])
def test_both_ways(n: int, text: str) -> None:
    assert to_chinese(n) == text
    assert from_chinese(text) == n


def test_every_number_round_trips() -> None:
    assert all(from_chinese(to_chinese(n)) == n for n in range(1000))


def test_item_numbers_in_chinese() -> None:
    assert item_number("第三十二项") == 32 and item_number("三二") == 32 and item_number("第两项") == 2
    assert item_number("第三x项") is None and from_chinese("三x") is None
