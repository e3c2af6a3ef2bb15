"""`rsguide stats` and `rsguide diff` on the real knowledge base."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rsguide.kb.loader import load, packaged_data_dir
from rsguide.model import CHANNELS, Item, KnowledgeBase, Office
from rsguide.output.reports import diff_data, diff_output, number_ranges, stats_data, stats_output

# ── helpers ──


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def run(cache: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m rsguide ARGS`` (the same entry point as the ``rsguide`` command)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RSGUIDE_DATA", "RSGUIDE_NO_CACHE")}
    env.update({"RSGUIDE_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    return subprocess.run(
        [sys.executable, "-m", "rsguide", *args], capture_output=True, env=env, timeout=120, check=False
    )


def differs(proc: subprocess.CompletedProcess[bytes]) -> str:
    """``rsguide diff`` of two different knowledge bases: exit 1, as diff(1)."""
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def ok(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a data file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def empty_section() -> dict[str, list[Any]]:
    return {"added": [], "removed": [], "changed": []}


# ── stats ──


def test_stats_counts_equal_the_knowledge_base(kb: KnowledgeBase) -> None:
    d = stats_data(kb)
    assert d["items"] == len(kb.items) == 36
    assert d["offices"] == len(kb.offices)
    per_category = Counter(i.category for i in kb.items)
    assert [(c["id"], c["name"], c["items"]) for c in d["categories"]] == [
        (c.id, c.name, per_category[c.id]) for c in kb.categories
    ]
    assert sum(c["items"] for c in d["categories"]) == len(kb.items)
    per_channel = {ch: sum(1 for i in kb.items if any(p.channel == ch for p in i.paths)) for ch in CHANNELS}
    assert {c["channel"]: c["items"] for c in d["channels"]} == per_channel
    assert per_channel["窗口办"] == 36 and per_channel["自助办"] == 2

    tl = d["time_limits"]
    immediate = [i.number for i in kb.items if any(t.kind == "immediate" for t in i.time_limits)]
    assert tl["immediate"] == {"items": len(immediate), "numbers": immediate}
    within: dict[int, set[int]] = {}
    for i in kb.items:
        for t in i.time_limits:
            if t.kind == "working_days":
                within.setdefault(t.days, set()).add(i.number)  # type: ignore[arg-type]
    assert {w["days"]: w["items"] for w in tl["working_days"]} == {n: len(s) for n, s in within.items()}
    assert [w["days"] for w in tl["working_days"]] == sorted(within)
    assert within[7] == {2, 3} and within[20] == {17}
    assert tl["text"]["numbers"] == [i.number for i in kb.items if any(t.kind == "text" for t in i.time_limits)]

    guide = {
        i.number
        for i in kb.items
        for g in i.materials
        if (g.remark and "可容缺受理" in g.remark) or any(m.tolerance for m in g.items)
    }
    listed = {r.item for r in kb.tolerated if r.item is not None}
    tol = d["tolerance"]
    assert set(tol["guide"]["numbers"]) == guide and tol["guide"]["items"] == len(guide)
    assert set(tol["list"]["numbers"]) == listed and tol["list"]["items"] == len(listed)
    assert guide == {1, 2, 17} and listed == {14, 16, 17}
    assert tol["both"] == [17] and tol["list_rows"] == len(kb.tolerated)

    notes = d["notes"]
    assert notes["items"] == sum(len(i.notes) for i in kb.items)
    assert notes["offices"] == sum(len(o.notes) for o in kb.offices)
    assert notes["rule_subjects"] == sum(len(s.notes) for s in kb.subjects)
    assert notes["total"] == notes["items"] + notes["offices"] + notes["rule_subjects"]
    assert d["rules"] == {
        "prohibited": len(kb.prohibited),
        "prohibited_cases": sum(len(r.cases) for r in kb.prohibited),
        "tolerated": len(kb.tolerated),
    }


def test_stats_cli_json_csv_and_plain(cache_dir: Path, kb: KnowledgeBase) -> None:
    assert json.loads(ok(run(cache_dir, "stats", "--format", "json"))) == stats_data(kb)
    rows = list(csv.DictReader(io.StringIO(ok(run(cache_dir, "stats", "--format", "csv")))))
    by_key = {(r["指标"], r["键"]): int(r["数量"]) for r in rows}
    assert by_key[("事项", "items")] == 36
    assert by_key[("渠道", "网上办")] == sum(1 for i in kb.items if "网上办" in i.channels)
    assert by_key[("类别", "2")] == sum(1 for i in kb.items if i.category == 2)
    assert by_key[("办理时限", "working_days:5")] == stats_output(kb).data["time_limits"]["working_days"][0]["items"]
    assert by_key[("源文件说明", "total")] == stats_data(kb)["notes"]["total"]
    plain = ok(run(cache_dir, "stats", "--format", "plain"))
    for title in ("【概况】", "【各类别事项数】", "【各渠道覆盖】", "【办理时限】", "【源文件说明（原文不一致之处）】"):
        assert title in plain
    assert "1 就业登记（用工备案）（指南写明：窗口办 · 用工备案：可容缺受理；容缺清单：不在清单上）" in plain


def test_number_ranges() -> None:
    assert number_ranges([1, 2, 3, 5, 7, 8, 10, 11, 12]) == "1–3、5、7、8、10–12"
    assert number_ranges([]) == ""


# ── diff ──


def test_diff_of_identical_knowledge_bases_is_empty(kb: KnowledgeBase, cache_dir: Path) -> None:
    d = diff_data(kb, load())
    assert d["identical"] is True
    assert d["added"] == d["removed"] == d["changed"] == []
    assert d["offices"] == empty_section()
    assert d["rules"] == {"prohibited": empty_section(), "tolerated": empty_section(), "subjects": empty_section()}
    out = diff_output(kb, kb)
    assert out.csv_rows == []
    data_dir = str(packaged_data_dir())
    plain = ok(run(cache_dir, "diff", data_dir, data_dir, "--format", "plain"))
    assert "两个版本没有差别" in plain.splitlines()[1]
    assert json.loads(ok(run(cache_dir, "diff", data_dir, data_dir, "--format", "json")))["identical"] is True


def test_diff_reports_exactly_the_edits_of_a_modified_copy(tmp_path: Path, cache_dir: Path, kb: KnowledgeBase) -> None:
    new = tmp_path / "data-new"
    shutil.copytree(packaged_data_dir(), new)
    edit(new / "items.yaml", "          - {label: ④, name: 住院现金收据, text: 住院现金收据原件。, form: 原件}\n", "")
    edit(
        new / "items.yaml",
        "{text: 20工作日, kind: working_days, days: 20}",
        "{text: 20工作日, kind: working_days, days: 25}",
    )
    edit(new / "offices.yaml", "phones: [0412-5550117]", "phones: [0412-5550118]")

    d = json.loads(differs(run(cache_dir, "diff", str(packaged_data_dir()), str(new), "--format", "json")))
    assert d["identical"] is False
    assert d["added"] == [] and d["removed"] == []
    assert d["changed"] == [
        {
            "number": 6,
            "name": kb.item(6).name,  # type: ignore[union-attr]
            "changes": [
                {"field": "materials", "where": "各渠道", "kind": "removed", "before": "住院现金收据", "after": None}
            ],
        },
        {
            "number": 17,
            "name": kb.item(17).name,  # type: ignore[union-attr]
            "changes": [{"field": "time_limits.days", "where": "各渠道", "kind": "changed", "before": 20, "after": 25}],
        },
    ]
    assert d["offices"] == {
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": "tiedong",
                "name": "铁东区劳动就业和社会保障服务中心",
                "changes": [
                    {
                        "field": "phones",
                        "where": None,
                        "kind": "changed",
                        "before": ["0412-5550117"],
                        "after": ["0412-5550118"],
                    }
                ],
            }
        ],
    }
    assert d["rules"] == {"prohibited": empty_section(), "tolerated": empty_section(), "subjects": empty_section()}
    assert d["categories"] == empty_section() and d["conditions"] == empty_section()

    plain = differs(run(cache_dir, "diff", str(packaged_data_dir()), str(new), "--format", "plain"))
    assert "两个版本没有差别" not in plain
    assert "材料 各渠道（变化：删除；原来：住院现金收据；现在：（无））" in plain
    assert "0412-5550118" in plain
    rows = list(csv.reader(io.StringIO(differs(run(cache_dir, "diff", str(packaged_data_dir()), str(new), "-f", "csv")))))
    assert rows[0] == ["对象", "编号", "名称", "变化", "项目", "范围", "原来", "现在"]
    assert [r[:4] for r in rows[1:]] == [
        ["事项", "6", kb.item(6).name, "删除"],  # type: ignore[union-attr]
        ["事项", "17", kb.item(17).name, "修改"],  # type: ignore[union-attr]
        ["办事地点", "tiedong", "铁东区劳动就业和社会保障服务中心", "修改"],
    ]


def test_diff_of_a_broken_knowledge_base_is_a_data_error(tmp_path: Path, cache_dir: Path) -> None:
    proc = run(cache_dir, "diff", str(packaged_data_dir()), str(tmp_path / "missing"))
    assert proc.returncode == 3


def _replace_item(kb: KnowledgeBase, item: Item) -> KnowledgeBase:
    return dataclasses.replace(kb, items=tuple(item if i.number == item.number else i for i in kb.items))


def test_diff_items_added_removed_and_renamed(kb: KnowledgeBase) -> None:
    last = kb.items[-1]
    renamed = dataclasses.replace(kb.items[-2], name="社会保障卡激活")
    new_item = dataclasses.replace(last, number=37, name="新事项")
    new = dataclasses.replace(kb, items=(*kb.items[:-2], renamed, new_item))
    d = diff_data(kb, new)
    assert d["added"] == [{"number": 37, "name": "新事项"}]
    assert d["removed"] == [{"number": last.number, "name": last.name}]
    assert d["changed"] == [
        {
            "number": renamed.number,
            "name": "社会保障卡激活",
            "changes": [
                {
                    "field": "name",
                    "where": None,
                    "kind": "changed",
                    "before": kb.items[-2].name,
                    "after": "社会保障卡激活",
                }
            ],
        }
    ]
    out = diff_output(kb, new)
    titles = [getattr(b, "title", None) for b in out.blocks]
    assert "新增事项" in titles and "删除事项" in titles


def test_diff_paths_materials_and_time_limits(kb: KnowledgeBase) -> None:
    item = kb.item(4)
    assert item is not None
    online = next(p for p in item.paths if p.channel == "网上办")
    paths = tuple(
        dataclasses.replace(p, url="https://example.invalid/") if p is online else p
        for p in item.paths
        if p.channel != "掌上办"
    )
    window = next(g for g in item.materials if g.channel == "窗口办")
    card = window.items[0]
    group = dataclasses.replace(
        window,
        remark="可容缺受理",
        items=(dataclasses.replace(card, copies=2), *window.items[1:], dataclasses.replace(card, name="户口簿")),
    )
    materials = tuple(group if g is window else g for g in item.materials)
    limits = (dataclasses.replace(item.time_limits[0], channels=("掌上办", "自助办")), *item.time_limits[1:])
    new = _replace_item(kb, dataclasses.replace(item, paths=paths, materials=materials, time_limits=limits))
    d = diff_data(kb, new)
    assert [c["number"] for c in d["changed"]] == [4]
    changes = {(c["field"], c["where"], c["kind"]): (c["before"], c["after"]) for c in d["changed"][0]["changes"]}
    assert changes == {
        ("material_groups.remark", "窗口办", "changed"): (None, "可容缺受理"),
        ("materials", "窗口办", "added"): (None, "户口簿"),
        ("materials.copies", "窗口办 · 本人鞍山市社会保障卡", "changed"): (None, 2),
        ("paths", "掌上办", "removed"): (next(p.text for p in item.paths if p.channel == "掌上办"), None),
        ("paths.url", "网上办", "changed"): (online.url, "https://example.invalid/"),
        ("time_limits", "掌上办", "removed"): (item.time_limits[0].text, None),
        ("time_limits", "掌上办、自助办", "added"): (None, item.time_limits[0].text),
    }


def test_diff_offices_and_rules(kb: KnowledgeBase) -> None:
    tolerated = tuple(
        dataclasses.replace(r, correction=dataclasses.replace(r.correction, days=10), correction_text="10个工作日")
        if r.number == 2
        else r
        for r in kb.tolerated
    )
    prohibited = tuple(r for r in kb.prohibited if r.number != 6)
    offices = (*kb.offices[1:], Office(id="new-hall", kind="venue", name="新大厅", address="铁东区某路1号"))
    tiexi = next(o for o in kb.offices if o.id == "tiexi")
    offices = tuple(dataclasses.replace(o, address="铁西区新址") if o is tiexi else o for o in offices)
    new = dataclasses.replace(kb, tolerated=tolerated, prohibited=prohibited, offices=offices)
    d = diff_data(kb, new)
    assert d["added"] == d["removed"] == d["changed"] == []
    assert d["offices"]["added"] == [{"id": "new-hall", "name": "新大厅"}]
    assert d["offices"]["removed"] == [{"id": kb.offices[0].id, "name": kb.offices[0].name}]
    assert d["offices"]["changed"] == [
        {
            "id": "tiexi",
            "name": tiexi.name,
            "changes": [
                {"field": "address", "where": None, "kind": "changed", "before": tiexi.address, "after": "铁西区新址"}
            ],
        }
    ]
    assert d["rules"]["prohibited"]["removed"] == [{"number": 6, "subject": kb.prohibited[5].subject}]
    assert [(c["field"], c["before"], c["after"]) for c in d["rules"]["tolerated"]["changed"][0]["changes"]] == [
        ("correction_text", "15个工作日", "10个工作日"),
        ("correction.days", 15, 10),
    ]
    csv_objects = Counter(row[0] for row in diff_output(kb, new).csv_rows)
    assert csv_objects == {"办事地点": 3, "禁办": 1, "容缺": 2}


def _mutated(value: object, annotation: object) -> object | None:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1000
    if isinstance(value, str):
        return value + "（改）"
    if value is None:
        return "（新）"
    if isinstance(value, tuple) and annotation == "tuple[str, ...]":
        return (*value, "（新）")
    return None


def test_diff_sees_a_change_in_every_field_of_every_entity(kb: KnowledgeBase) -> None:
    # Each field of each kind of element (items and what they hold, offices, rules, the bureau) is
    # changed alone in a copy: the diff must report it. A field added to the model without being
    # compared fails here.
    import dataclasses as dc

    from rsguide.output.reports import diff_data

    seen: set[str] = set()
    silent: set[str] = set()

    def probe(obj: object, rebuild: object) -> None:
        for f in dc.fields(obj):  # type: ignore[arg-type]
            value = getattr(obj, f.name)
            key = f"{type(obj).__name__}.{f.name}"
            if isinstance(value, tuple) and value and dc.is_dataclass(value[0]):
                first = value[0]
                probe(first, lambda new, f=f, value=value: rebuild(dc.replace(obj, **{f.name: (new, *value[1:])})))  # type: ignore[operator,arg-type]
                continue
            if dc.is_dataclass(value):
                probe(value, lambda new, f=f: rebuild(dc.replace(obj, **{f.name: new})))  # type: ignore[operator,arg-type]
                continue
            new = _mutated(value, f.type)
            if new is None or key in seen:
                continue
            seen.add(key)
            if diff_data(kb, rebuild(dc.replace(obj, **{f.name: new})))["identical"]:  # type: ignore[operator,arg-type]
                silent.add(key)

    for n, item in enumerate(kb.items):
        probe(item, lambda new, n=n: dc.replace(kb, items=(*kb.items[:n], new, *kb.items[n + 1 :])))
    for part in ("offices", "prohibited", "tolerated", "subjects", "categories"):
        elements = getattr(kb, part)
        for n, element in enumerate(elements):
            probe(element, lambda new, n=n, part=part, e=elements: dc.replace(kb, **{part: (*e[:n], new, *e[n + 1 :])}))
    probe(kb.bureau, lambda new: dc.replace(kb, bureau=new))
    assert len(seen) > 60
    assert not silent, sorted(silent)


def test_diff_reports_search_vocabulary(kb: KnowledgeBase) -> None:
    # synonyms.yaml and concepts.yaml decide which item a question finds: a change there is a change.
    import dataclasses as dc

    from rsguide.output.reports import diff_data, diff_output, vocabulary_entries

    assert kb.concepts is not None
    first = kb.concepts.concepts[0]
    fewer = dc.replace(first, words=first.words[:-1])
    concepts = dc.replace(kb.concepts, concepts=(fewer, *kb.concepts.concepts[1:]))
    changed = dc.replace(kb, concepts=concepts)
    d = diff_data(kb, changed)
    assert not d["identical"]
    [entry] = d["vocabulary"]["changed"]
    assert entry["entry"] == f"概念 {first.name}"
    assert first.words[-1] in entry["changes"][0]["before"] and first.words[-1] not in entry["changes"][0]["after"]
    table = next(b for b in diff_output(kb, changed).blocks if getattr(b, "title", None) == "检索词表")
    assert table.rows[0][0] == f"概念 {first.name}"

    without = dc.replace(kb, concepts=None, synonyms={})
    gone = diff_data(kb, without)["vocabulary"]
    assert not gone["added"] and len(gone["removed"]) == len(vocabulary_entries(kb)) > 100
