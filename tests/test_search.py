"""Search: quality floors on the public and the dev query sets, and what a user sees."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from rsguide.normalize import normalize
from rsguide.search import expand, search

DATA = Path(__file__).parent / "data"


def read_queries(name: str) -> list[tuple[str, set[int], str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, numbers, kind = line.split("\t")
        rows.append((query, {int(n) for n in numbers.split(",")}, kind))
    return rows


def quality(index, rows) -> tuple[float, float, dict[str, list[str]]]:
    top1 = top3 = 0
    misses: dict[str, list[str]] = defaultdict(list)
    for query, accepted, kind in rows:
        numbers = [h.number for h in search(index, query, limit=3)]
        top1 += bool(numbers) and numbers[0] in accepted
        top3 += bool(accepted & set(numbers))
        if not numbers or numbers[0] not in accepted:
            misses[kind].append(query)
    return top1 / len(rows), top3 / len(rows), dict(misses)


def test_public_set_floor(index):
    rows = read_queries("queries_public.tsv")
    assert len(rows) == 53
    top1, top3, misses = quality(index, rows)
    assert top1 >= 0.95, misses
    assert top3 == 1.0, misses


def test_dev_set_floor(index):
    # Written independently of the search code (see the file's header); a regression guard.
    rows = read_queries("queries_dev.tsv")
    top1, top3, misses = quality(index, rows)
    assert top1 >= 0.93, misses
    assert top3 >= 0.97, misses


@pytest.mark.parametrize("query", ["天气预报", "asdfgh", "今天吃什么", "xyz", "hello world", "😀😀", "办理", "的"])
def test_nonsense_finds_nothing(index, query):
    assert search(index, query) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“失业登记”", "失业登记"),
        ("１８", "18"),
        ("失业　登记", "失业登记"),
        ("失業登記", "失业登记"),
        ("SBK挂失", "sbk挂失"),
        ("(社保卡)【补领】", "社保卡补领"),
    ],
)
def test_normalisation(raw, expected):
    assert normalize(raw) == expected


def test_synonyms_expand_queries(index):
    variants = [v for v, _ in expand(normalize("社保卡丢了"), index.synonyms)]
    assert "社会保障卡挂失" in variants and "社会保障卡补领" in variants


def test_matched_says_why(index):
    (hit, *_rest) = search(index, "sydj")
    assert (hit.number, hit.matched) == (2, "拼音首字母")
    (hit, *_rest) = search(index, "要带户口本的事项")
    assert hit.matched == "材料" and hit.text == "户口本"


def test_material_queries_find_items_that_need_it(index):
    numbers = {h.number for h in search(index, "委托书", limit=10)}
    assert {4, 8, 10} <= numbers


def test_ties_are_deterministic(index):
    first = [(h.number, h.score) for h in search(index, "退休")]
    assert first == [(h.number, h.score) for h in search(index, "退休")]
    assert first[0][0] == 24  # 正常退休, the shortest name among 24–26


def test_heteronym_reading(index):
    # 参保 reads canbao (not shenbao): the phrase-aware pinyin is used.
    assert search(index, "zhigongcanbaodengji")[0].number in (20, 27)


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("4", 4),
        ("第4项", 4),
        ("１８", 18),
        ("第 3 项", 3),
        ("序号33", 33),
        ("32号", 32),
        ("三十二", 32),
        ("第三十二项", 32),
        ("第十项", 10),
    ],
)
def test_item_numbers(index, query, number):
    (hit,) = search(index, query)
    assert (hit.number, hit.matched) == (number, "序号")
