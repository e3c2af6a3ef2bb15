"""search, materials and check start lean (no dataclasses, inspect, typing or pathlib where the
answer does not need them) and print exactly what the reference implementation prints.

The reference is the same command line run with what the lean path replaced put back: the model and
every other record made by the standard library's ``dataclasses`` (and decoded from the store with
``typing.get_type_hints``), rapidfuzz's own ``ratio`` and ``partial_ratio``, line breaking with the
whole token pattern for every text, display width and ``has_cjk`` by the original character classes. Each side runs in its own process, with its own
compiled store, and the bytes of stdout and stderr and the exit codes must be equal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

RUNNER = r"""
import io, json, os, sys

if os.environ.get("LEAN_REFERENCE"):
    import dataclasses, re, typing

    import rsguide.records as records

    records.dataclass = dataclasses.dataclass
    records.field = dataclasses.field
    records.MISSING = dataclasses.MISSING

    import rsguide.search.normalize as normalize

    _cjk = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    normalize.has_cjk = lambda text: bool(_cjk.search(text))

    import rsguide.output.layout as layout

    _full = re.compile("|".join(layout._ALTERNATIVES))
    layout._token = lambda text: _full
    _narrow = "\x20-\x7e\xa0-\xff\u2010-\u2027\u2460-\u24ff"
    _wide = "\u3000-\u3029\u3030-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6"
    _common, _wide_char = re.compile(f"[{_narrow}{_wide}]*"), re.compile(f"[{_wide}]")

    def width(text):
        if _common.fullmatch(text):
            return len(text) + len(_wide_char.findall(text))
        from rich.cells import cell_len

        return cell_len(text)

    layout.width = width

    import rapidfuzz.fuzz

    import rsguide.search.fuzzy as fuzzy

    fuzzy.ratio, fuzzy.partial_ratio = rapidfuzz.fuzz.ratio, rapidfuzz.fuzz.partial_ratio

    import rsguide.kb.store as store

    store._hints = lambda tp: typing.get_type_hints(tp, localns={"Any": typing.Any})

    import rsguide.model

    assert dataclasses.is_dataclass(rsguide.model.Item) and "__record_fields__" not in vars(rsguide.model.Item)

from rsguide.cli.fastshow import main

results = []
for args in json.load(sys.stdin):
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    out.flush(), err.flush()
    results.append([code, out.buffer.getvalue().decode("utf-8", "replace"), err.buffer.getvalue().decode("utf-8", "replace")])
json.dump(results, sys.stdout)
"""

DATE = ["--date", "2026-12-01"]


def command_lines(kb) -> list[list[str]]:
    """A broad set of search, materials and check command lines, from the knowledge base itself."""
    lines: list[list[str]] = []
    formats = ("table", "plain", "json")
    for n, item in enumerate(kb.items):
        fmt = formats[n % 3]
        number = str(item.number)
        lines += [
            ["materials", number, "-f", fmt],
            ["materials", item.name, "--all-channels", "-f", formats[(n + 1) % 3]],
            ["check", number, *DATE, "-f", fmt],
            ["search", item.name, "-f", formats[(n + 2) % 3]],
        ]
        for tag in item.condition_tags[:2]:
            lines.append(["materials", number, "--when", tag, "-f", fmt])
            lines.append(["check", number, "--when", tag, *DATE, "-f", "plain"])
        names = [m.name for g in item.materials for m in g.items]
        if names:
            lines.append(["check", number, "--missing", names[0], *DATE, "-f", fmt])
            lines.append(["check", number, "--have", names[-1], *DATE, "-f", "plain"])
        if item.cases:
            lines.append(["materials", number, "--case", item.cases[-1].name, "-f", "plain"])
    lines += [
        ["search", q, "-f", fmt]
        for q in (
            "社保卡",
            "证明",
            "退休",
            "公积金",
            "医保报销",
            "量子物理",
            "sbk",
            "sydj",
            "失业登纪",
            "失業登記",
            "社保卡丢了",
        )
        for fmt in formats
    ]
    lines += [
        ["search", "社保卡", "--limit", "2"],
        ["materials", "4", "--when", "代办"],
        ["materials", "失业保险金申领", "--when", "代办", "-f", "json"],
        ["materials", "社保卡"],
        ["materials", "量子物理"],
        ["check", "14", "--missing", "身份证复印件", *DATE],
        ["check", "14", "--missing", "身份证复印件", *DATE, "-f", "json"],
        ["check", "18", "-s", "外省市评审的职称证书", *DATE, "-f", "plain"],
        ["check", "18", "-s", "无", *DATE],
        ["check", "4", "--missing", "身份证", *DATE, "-f", "plain"],
        ["check", "量子物理", *DATE],
        ["check", "14", "--date", "2026-13-01"],
    ]
    return lines


def run_all(lines: list[list[str]], cache: str, reference: bool) -> list[list[object]]:
    env = {k: v for k, v in os.environ.items() if k not in ("RSGUIDE_CACHE_DIR", "LEAN_REFERENCE", "COLUMNS")}
    env.update(RSGUIDE_CACHE_DIR=cache, COLUMNS="100", NO_COLOR="1")
    if reference:
        env["LEAN_REFERENCE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(lines).encode(), env=env, capture_output=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    results: list[list[object]] = json.loads(proc.stdout)
    return results


def test_search_materials_and_check_print_what_the_reference_prints(kb, tmp_path):
    lines = command_lines(kb)
    assert len(lines) > 250
    lean = run_all(lines, str(tmp_path / "lean"), reference=False)
    reference = run_all(lines, str(tmp_path / "reference"), reference=True)
    assert {code for code, _, _ in lean} >= {0, 1, 2}  # answers, not-found and usage errors are all compared
    for args, got, want in zip(lines, lean, reference, strict=True):
        assert got == want, args


PROBE = """
import sys
from rsguide.cli.fastshow import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print('\\nMODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["materials", "4", "--when", "代办"], {"dataclasses", "inspect", "typing", "pathlib", "rapidfuzz"}),
        (["check", "14", "--missing", "身份证复印件"], {"dataclasses", "inspect", "typing", "pathlib", "rapidfuzz"}),
        (["search", "社保卡"], {"dataclasses", "inspect", "typing", "pathlib", "rapidfuzz"}),
        (["search", "失业登记", "-f", "plain"], {"dataclasses", "inspect", "typing", "pathlib", "rapidfuzz"}),
        (["search", "sbk"], {"dataclasses", "inspect", "typing", "pathlib", "rapidfuzz"}),
    ],
)
def test_search_materials_and_check_do_not_load_dataclasses(args, absent, tmp_path):
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, check=False)  # the store
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, check=False)
    line = [x for x in proc.stderr.decode().splitlines() if x.startswith("MODULES ")][-1]
    loaded = set(line.split()[1:])
    assert not loaded & absent, loaded & absent
    assert "rsguide.model" in loaded  # the normal path, not a second copy of it


def test_has_cjk_is_the_character_class_for_every_code_point():
    import re

    from rsguide.search.normalize import has_cjk

    cjk = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    for cp in range(0x110000):
        ch = chr(cp)
        assert has_cjk(ch) == bool(cjk.search(ch)) == has_cjk("ab" + ch + "c"), hex(cp)
    assert not has_cjk("") and has_cjk("sbk挂失") and not has_cjk("\ud800x")


@pytest.mark.parametrize("seed", range(3))
def test_texts_without_a_common_character_score_zero_as_rapidfuzz_scores_them(seed):
    """similarity() answers 0 without rapidfuzz when the texts share no character: rapidfuzz's
    measures are all 0 then (and so is the coverage); the lean path relies on it."""
    import random

    from rapidfuzz import fuzz

    from rsguide.search.engine import similarity

    rng = random.Random(seed)
    alphabet = "社保卡失业登记申领补换发证明养老金退休档案转移abc123"
    checked = 0
    for _ in range(20000):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        if set(q).isdisjoint(t):
            checked += 1
            assert fuzz.ratio(q, t) == 0.0 and fuzz.partial_ratio(q, t) == 0.0, (q, t)
            assert similarity(q, t) == 0.0
    assert checked > 1000


def _texts(rng, alphabet: str, longest: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("alphabet", ["ab", "abc", "社保卡失业登记申领补换", "社会保障卡申领启用挂失与解挂补领换领换发应用状态查询abc12"])
def test_fuzzy_gives_rapidfuzz_floats_on_random_texts(alphabet):
    import random

    from rapidfuzz import fuzz

    from rsguide.search import fuzzy

    rng = random.Random(alphabet)
    for n in range(30000):
        a, b = _texts(rng, alphabet, 14 if n % 10 else 80), _texts(rng, alphabet, 40 if n % 10 else 100)
        assert fuzzy.ratio(a, b) == fuzz.ratio(a, b), (a, b)
        assert fuzzy.partial_ratio(a, b) == fuzz.partial_ratio(a, b), (a, b)
        assert fuzzy.partial_ratio(b, a) == fuzz.partial_ratio(b, a), (b, a)


def test_fuzzy_gives_rapidfuzz_floats_for_every_comparison_of_the_evaluation_queries(monkeypatch):
    """Every ratio and partial_ratio the search computes for the queries of the evaluation sets."""
    import glob

    from rapidfuzz import fuzz

    from rsguide.search import engine, fuzzy
    from rsguide.session import Session

    seen = {"ratio": 0, "partial_ratio": 0}

    def compared(name: str):
        """Our measure ``name``, checked against rapidfuzz's on every call."""

        def measure(a: str, b: str) -> float:
            seen[name] += 1
            ours = getattr(fuzzy, name)(a, b)
            assert ours == getattr(fuzz, name)(a, b), (a, b)
            return ours

        return staticmethod(measure)

    class Both:
        ratio = compared("ratio")
        partial_ratio = compared("partial_ratio")

    monkeypatch.setattr(fuzzy, "BUDGET", 10**9)
    monkeypatch.setattr(engine, "_FUZZ", Both)
    index = Session(use_cache=False).index()
    queries = [
        line.split("\t")[0]
        for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "data", "queries_*.tsv")))
        for line in open(path, encoding="utf-8")
        if line.strip() and not line.startswith("#")
    ]
    assert len(queries) > 1000
    for query in queries[::2]:
        engine.analyse(index, query)
    assert seen["ratio"] > 100_000 and seen["partial_ratio"] > 10_000


def test_fuzzy_hands_over_to_rapidfuzz_after_its_budget(monkeypatch):
    from rapidfuzz import fuzz

    from rsguide.search import fuzzy

    monkeypatch.setattr(fuzzy, "_calls", 0)
    monkeypatch.setattr(fuzzy, "BUDGET", 3)
    pairs = [("社保卡", "社会保障卡申领"), ("失业登纪", "失业登记"), ("sbk", "shebaoka"), ("a" * 70, "b" + "a" * 80)]
    for a, b in pairs * 2:
        assert (fuzzy.ratio(a, b), fuzzy.partial_ratio(a, b)) == (fuzz.ratio(a, b), fuzz.partial_ratio(a, b))
    assert fuzzy._calls > fuzzy.BUDGET and fuzzy._rapidfuzz is not None


def test_item_category_is_the_items_category_without_decoding_it(kb, tmp_path, monkeypatch):
    from rsguide.session import Catalog, Session

    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(tmp_path))
    catalog = Session().catalog
    assert isinstance(catalog, Catalog)
    for number in [*range(0, kb.last_number + 2), 999]:
        item = kb.item(number)
        expected = item.category if item is not None else None
        assert kb.item_category(number) == expected
        assert catalog.item_category(number) == expected, number
    assert not catalog._items  # no item was decoded for it
