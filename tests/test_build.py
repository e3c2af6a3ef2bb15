"""The fast paths of the cold build give what the exact ones give: the YAML read straight from
libyaml's events, pinyin converted a run of characters at a time, the indented JSON of a card."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from rsguide.kb import yamlio
from rsguide.kb.yamlio import LineDict


def _shape(value: Any) -> Any:
    """Data with the lines of every mapping and key, comparable with ``==``."""
    if isinstance(value, LineDict):
        return ("map", value.line, [(_shape(k), _shape(v), value.key_lines.get(k)) for k, v in value.items()])
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value).__name__, value)


def _read_both(path: Path, key: str | None) -> tuple[Any, Any]:
    fast_elements: list[Any] = []
    exact_elements: list[Any] = []
    fast = yamlio.read_yaml_stream(
        path, key, (lambda d, line: fast_elements.append((_shape(d), line))) if key else None
    )
    exact = yamlio._read_exact(path, key, (lambda d, line: exact_elements.append((_shape(d), line))) if key else None)
    return (_shape(fast[0]), fast[1], fast_elements), (_shape(exact[0]), exact[1], exact_elements)


def _data_files() -> list[Path]:
    from rsguide.kb.paths import packaged_data_dir

    return sorted(packaged_data_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: p.name)
def test_fast_reader_reads_the_knowledge_base_as_the_exact_reader(path: Path) -> None:
    for key in ("items", None):
        fast, exact = _read_both(path, key)
        assert fast == exact


SAMPLES = {
    "plain": "version: 1\nitems:\n- number: 1\n  name: 失业登记\n  tips: [a, 'b', \"c\"]\n- number: 2\n  name: x\n",
    "scalars": "a: yes\nb: ~\nc: 1.5\nd: 0x1F\ne: ''\nf:\ng: -3\nh: 1_000\ni: '007'\nj: 2020-01-01\n",
    "anchors": "w: &w [a, b]\nitems:\n- name: x\n  tips: *w\n- <<: {name: y}\n",
    "control character in the second item": 'items:\n- name: a\n- name: "b\\x07"\n- name: c\n',
    "tab in a one-line key": 'items:\n- name: "a\\tb"\n- intro: "a\\tb"\n',
    "long name": "items:\n- name: " + "长" * 201 + "\n",
    "long url": "items:\n- url: " + "u" * 2001 + "\n- text: " + "u" * 2001 + "\n",
    "big integer": "items:\n- number: 1\n- number: 99999999999999\n",
    "duplicate key": "items:\n- name: a\n  name: b\n",
    "syntax error after an item": "items:\n- name: a\n- name: [b\n",
    "deep": "items:\n- " + "[" * 70 + "1" + "]" * 70 + "\n",
    "tag": "items:\n- name: !!str 12\n",
    "not a mapping": "- a\n- b\n",
    "empty": "",
    "comments only": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "complex key": "? [a, b]\n: c\n",
}


@pytest.mark.parametrize("name", SAMPLES)
def test_fast_reader_matches_the_exact_reader(name: str, tmp_path: Path) -> None:
    path = tmp_path / "items.yaml"
    path.write_text(SAMPLES[name], encoding="utf-8")
    fast, exact = _read_both(path, "items")
    assert fast[:2] == exact[:2]
    if exact[0] != ("NoneType", None):  # read: the same elements, each handed over once
        assert fast[2] == exact[2]


def test_fast_reader_hands_an_element_over_once_when_the_exact_reader_takes_over(tmp_path: Path) -> None:
    path = tmp_path / "items.yaml"
    path.write_text("items:\n- name: a\n- name: b\n- name: &c c\n- name: *c\n", encoding="utf-8")
    names: list[str] = []
    data, issues = yamlio.read_yaml_stream(path, "items", lambda d, line: names.append(d["name"]))
    assert issues == []
    assert names == ["a", "b", "c", "c"]
    assert data == {"items": []}


def test_fast_reader_mutations_of_the_real_files(tmp_path: Path) -> None:
    """Random edits of the real files (control characters, tabs, anchors, broken quotes, deep
    lists, duplicated lines …) are read, or refused, exactly as the exact reader reads them."""
    sources = [p.read_text(encoding="utf-8").splitlines() for p in _data_files() if p.stat().st_size < 400_000]
    snippets = [
        "\t",
        "\x07",
        "&a ",
        "*a",
        "!!str ",
        "<<: *a",
        "- ",
        ": ",
        "'",
        '"',
        "{",
        "[",
        "x" * 250,
        "9" * 14,
        "~",
        "yes",
        "0x1F",
        "2020-01-01",
        "=",
        "? [a]",
        "---",
        "\u202e",
        "[" * 70,
    ]
    rng = random.Random(14)
    path = tmp_path / "f.yaml"
    for _case in range(60):
        lines = list(rng.choice(sources))
        for _edit in range(rng.randint(1, 3)):
            j = rng.randrange(len(lines))
            cut = rng.randrange(len(lines[j]) + 1)
            lines[j] = lines[j][:cut] + rng.choice(snippets) + lines[j][cut:]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        fast, exact = _read_both(path, "items")
        assert fast[:2] == exact[:2]
        if exact[0] != ("NoneType", None):
            assert fast[2] == exact[2]


def test_pinyin_run_by_run_is_pypinyin_of_the_whole_text(kb: Any) -> None:
    import pypinyin

    from rsguide.search.normalize import normalize
    from rsguide.search.pinyin import full, initials

    texts = {t for it in kb.items for t in (it.name, it.heading or "", *it.aliases, it.intro or "")}
    texts |= {normalize(t) for t in texts}
    texts |= {"社保卡sbk补领（1234）", "〇一二三", "银行卡2张", "a中b文c", "绿卡ü", "中 文", "重庆重量", "长大长度"}
    for text in sorted(t for t in texts if t):
        whole = pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors="default", v_to_u=False)
        assert full(text) == "".join(whole), text
        assert initials(text) == "".join(s[:1] for s in whole), text


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth > 4 or r < 0.4:
        return rng.choice(["", 'a"b\\c\n\t\x01\u2028中文', "社保卡", 0, -5, 10**20, True, False, None, "\u202e"])
    if r < 0.7:
        return [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if r < 0.8:
        return tuple(_random_json(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return {
        rng.choice(["k", "名称", 'a"', "\n", ""]) + str(i): _random_json(rng, depth + 1)
        for i in range(rng.randint(0, 4))
    }


def test_to_json_is_the_standard_librarys_indented_json(kb: Any) -> None:
    from rsguide.output.card import compact_card
    from rsguide.output.render import to_json
    from rsguide.sanitize import escape_json

    rng = random.Random(14)
    values: list[Any] = [_random_json(rng) for _ in range(3000)]
    values += [compact_card(kb, item, []).data for item in kb.items]
    values += [1.5, {"a": [2.5, float("inf")]}, {1: "x"}]  # handed to the standard library
    for value in values:
        assert to_json(value) == escape_json(json.dumps(value, ensure_ascii=False, indent=2))
