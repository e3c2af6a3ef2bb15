"""`rsguide export` on the real knowledge base: XLSX, SQLite, CSV, JSON/YAML, Markdown, filters,
the published JSON Schema and the refusal to overwrite files."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from jsonschema import Draft202012Validator
from openpyxl.utils import get_column_letter

from rsguide.errors import OutputError
from rsguide.kb.loader import load, packaged_data_dir
from rsguide.model import CHANNELS, OFFICE_KINDS, TIME_LIMIT_KINDS, Item, KnowledgeBase
from rsguide.output import export_files
from rsguide.output.tables import COLUMNS, TABLES, table_records, table_rows

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "docs" / "schema" / "rsguide-export.schema.json"
SHEET_TABLES = {
    "事项": "items",
    "材料": "materials",
    "办理路径": "paths",
    "办理时限": "time_limits",
    "办事地点": "offices",
    "禁办": "prohibited",
    "容缺": "tolerated",
}
SHEETS = list(SHEET_TABLES)
ONLINE_IMMEDIATE_SQL = (
    "select distinct i.number from items i join paths p on p.item_number=i.number "
    "join time_limits t on t.item_number=i.number where p.channel='网上办' and t.kind='immediate'"
)


# ── helpers ──


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def run(cache: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m rsguide ARGS`` (the same entry point as the ``rsguide`` command)."""
    env = {k: v for k, v in os.environ.items() if k not in ("RSGUIDE_DATA", "RSGUIDE_NO_CACHE")}
    env.update({"RSGUIDE_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    return subprocess.run(
        [sys.executable, "-m", "rsguide", *args], capture_output=True, env=env, cwd=cwd, timeout=120, check=False
    )


def ok(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def export_json(cache: Path, *args: str) -> dict[str, Any]:
    return json.loads(ok(run(cache, "export", "--format", "json", *args)))


def as_cell(value: Any) -> Any:
    """What an XLSX cell holds for a table value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value) or None
    return value


def as_csv(value: Any) -> str:
    """What a CSV field holds for a table value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


def sheet_dicts(ws: Any) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def online_immediate(kb: KnowledgeBase) -> set[int]:
    """Items the source gives a 网上办 path and an 即时办结 time limit."""
    return {
        i.number
        for i in kb.items
        if any(p.channel == "网上办" for p in i.paths) and any(t.kind == "immediate" for t in i.time_limits)
    }


# ── XLSX ──


@pytest.fixture(scope="module")
def workbook(cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("xlsx") / "知识库.xlsx"
    proc = run(cache_dir, "export", "--format", "xlsx", "-o", str(path))
    ok(proc)
    assert "已写入" in proc.stderr.decode("utf-8")
    return openpyxl.load_workbook(path)


def test_xlsx_sheets_headers_and_layout(workbook: Any, kb: KnowledgeBase) -> None:
    assert workbook.sheetnames == SHEETS
    for name, table in SHEET_TABLES.items():
        ws = workbook[name]
        columns, rows = table_rows(kb, list(kb.items), table)
        header = [c.value for c in ws[1]]
        assert header == [label for _key, label in COLUMNS[table]] == columns
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        last = f"{get_column_letter(len(columns))}{len(rows) + 1}"
        assert ws.auto_filter.ref == f"A1:{last}"
        assert ws.max_row == len(rows) + 1
        for col, label in enumerate(columns, 1):
            width = ws.column_dimensions[get_column_letter(col)].width
            assert export_files.display_width(label) <= width <= export_files.MAX_COLUMN_WIDTH


def test_xlsx_every_cell_matches_the_tables(workbook: Any, kb: KnowledgeBase) -> None:
    for name, table in SHEET_TABLES.items():
        _columns, rows = table_rows(kb, list(kb.items), table)
        got = list(workbook[name].iter_rows(min_row=2, values_only=True))
        assert got == [tuple(as_cell(v) for v in row) for row in rows], name


def test_xlsx_column_widths_fit_chinese_text(workbook: Any, kb: KnowledgeBase) -> None:
    ws = workbook["事项"]
    longest = max(kb.items, key=lambda i: export_files.display_width(i.name)).name
    # Chinese characters count twice: the widest item name fits its column.
    assert ws.column_dimensions["B"].width >= export_files.display_width(longest) > len(longest)
    intro_col = [c.value for c in ws[1]].index("简介") + 1
    long_cells = [
        ws.cell(row=r, column=intro_col)
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=intro_col).value
        and export_files.display_width(ws.cell(row=r, column=intro_col).value) > export_files.MAX_COLUMN_WIDTH
    ]
    assert long_cells, "the knowledge base has long introductions"
    assert ws.column_dimensions[get_column_letter(intro_col)].width == export_files.MAX_COLUMN_WIDTH
    assert all(c.alignment.wrap_text for c in long_cells)


def test_xlsx_item_4_materials(workbook: Any, kb: KnowledgeBase) -> None:
    rows = [r for r in sheet_dicts(workbook["材料"]) if r["序号"] == 4]
    assert [(r["渠道"], r["无需材料"]) for r in rows] == [
        ("网上办", "是"),
        ("掌上办", "是"),
        ("窗口办", "否"),
        ("窗口办", "否"),
        ("窗口办", "否"),
        ("窗口办", "否"),
    ]
    assert {r["事项"] for r in rows} == {"失业保险金申领"}
    assert rows[0]["材料"] is None and rows[0]["原文"] == "“网上办”“掌上办”不需要提供要件；"
    card, arbitration, proxy, proxy_id = rows[2:]
    assert (card["编号"], card["材料"], card["备注"], card["条件"]) == (
        "①",
        "本人鞍山市社会保障卡",
        "已开通金融功能",
        None,
    )
    assert card["原文"] == "本人鞍山市社会保障卡（已开通金融功能）；"
    assert arbitration["材料"] == "《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》"
    assert (arbitration["原件/复印件"], arbitration["份数"], arbitration["条件"]) == ("复印件", 1, "劳动争议")
    assert (proxy["材料"], proxy["原件/复印件"], proxy["份数"], proxy["条件"]) == ("当事人委托书", "原件", 1, "代办")
    assert (proxy_id["材料"], proxy_id["原件/复印件"], proxy_id["备注"]) == ("代办人身份证", "复印件", "正反面")
    window = next(g for g in kb.item(4).materials if g.channel == "窗口办")  # type: ignore[union-attr]
    assert [r["材料"] for r in rows[2:]] == [m.name for m in window.items]


def test_xlsx_rules_sheets(workbook: Any) -> None:
    prohibited = [r for r in sheet_dicts(workbook["禁办"]) if r["禁办序号"] == 3]
    assert len(prohibited) == 1
    assert prohibited[0]["禁办情形"] == "提供外省市职称评审材料办理补发证书"
    assert prohibited[0]["禁办事项"] == "外省市评审的职称证书补发"
    assert prohibited[0]["对应事项序号"] == 18
    tolerated = {r["容缺序号"]: r for r in sheet_dicts(workbook["容缺"])}
    assert tolerated[2]["补正时间"] == "15个工作日"
    assert tolerated[2]["补正工作日"] == 15
    assert tolerated[2]["可容缺资料"] == "身份证复印件"
    assert tolerated[2]["对应事项序号"] == 14
    assert tolerated[1]["对应事项序号"] is None and tolerated[1]["非清单事项id"] == "free-skill-training"


def test_xlsx_text_that_looks_like_a_formula_stays_text(kb: KnowledgeBase, tmp_path: Path) -> None:
    item = dataclasses.replace(kb.item(5), name="=HYPERLINK(1)")  # type: ignore[type-var]
    path = tmp_path / "f.xlsx"
    export_files.write_xlsx(kb, [item], path, force=False)
    cell = openpyxl.load_workbook(path)["事项"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_xlsx_filtered_selection(cache_dir: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "s.xlsx"
    ok(run(cache_dir, "export", "--format", "xlsx", "--item", "4", "--item", "14", "-o", str(path)))
    wb = openpyxl.load_workbook(path)
    assert [r["序号"] for r in sheet_dicts(wb["事项"])] == [4, 14]
    assert {r["序号"] for r in sheet_dicts(wb["材料"])} == {4, 14}
    # 禁办 and 容缺 rows of items outside the selection are left out; rows about other subjects stay.
    assert {r["对应事项序号"] for r in sheet_dicts(wb["容缺"])} == {None, 14}
    assert {r["对应事项序号"] for r in sheet_dicts(wb["禁办"])} == {None}
    assert len(sheet_dicts(wb["办事地点"])) == len(kb.offices)


# ── SQLite ──


@pytest.fixture(scope="module")
def database(cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("sqlite") / "kb.db"
    ok(run(cache_dir, "export", "--format", "sqlite", "-o", str(path)))
    return sqlite3.connect(path)


def test_sqlite_answers_online_and_immediate(database: sqlite3.Connection, kb: KnowledgeBase) -> None:
    got = [n for (n,) in database.execute(ONLINE_IMMEDIATE_SQL)]
    assert len(got) == len(set(got))
    assert set(got) == online_immediate(kb)
    assert {4, 7, 8} <= set(got) and 1 not in got  # item 1: 5 working days; items 2, 3: no 网上办 path


def test_sqlite_channel_time_limits_view(database: sqlite3.Connection, kb: KnowledgeBase) -> None:
    expected = {
        i.number
        for i in kb.items
        for t in i.time_limits
        if t.kind == "immediate" and ("网上办" in t.channels or (not t.channels and "网上办" in i.channels))
    }
    sql = "select distinct item_number from channel_time_limits where channel='网上办' and kind='immediate'"
    assert {n for (n,) in database.execute(sql)} == expected
    assert 32 not in expected  # 窗口办 即时办结, 网上办 5个工作日


def test_sqlite_foreign_keys_hold_and_are_enforced(database: sqlite3.Connection) -> None:
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    targets = {row[2] for row in database.execute("PRAGMA foreign_key_list(materials)")}
    assert {"items", "cases", "channels", "material_groups"} <= targets
    assert {row[2] for row in database.execute("PRAGMA foreign_key_list(path_places)")} == {"paths", "offices"}
    database.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("insert into paths (item_number, position, channel, text) values (999, 1, '网上办', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("insert into paths (item_number, position, channel, text) values (4, 9, '飞鸽办', 'x')")
    database.rollback()


def test_sqlite_row_counts_match_the_knowledge_base(database: sqlite3.Connection, kb: KnowledgeBase) -> None:
    def count(table: str) -> int:
        return int(database.execute(f"select count(*) from {table}").fetchone()[0])

    items = list(kb.items)
    expected = {
        "categories": len(kb.categories),
        "condition_tags": len(kb.conditions),
        "channels": len(CHANNELS),
        "items": len(items),
        "item_aliases": sum(len(i.aliases) for i in items),
        "cases": sum(len(i.cases) for i in items),
        "material_groups": sum(len(i.materials) for i in items),
        "materials": len(table_records(kb, items, "materials")[1]),
        "material_conditions": sum(len(set(m.when)) for i in items for g in i.materials for m in g.items),
        "paths": sum(len(i.paths) for i in items),
        "path_places": sum(len(set(p.places)) for i in items for p in i.paths),
        "time_limits": sum(len(i.time_limits) for i in items),
        "time_limit_channels": sum(len(t.channels) for i in items for t in i.time_limits),
        "offices": len(kb.offices),
        "office_phones": sum(len(o.phones) for o in kb.offices),
        "tips": sum(len(i.tips) for i in items),
        "notes": sum(len(i.notes) for i in items)
        + sum(len(o.notes) for o in kb.offices)
        + sum(len(s.notes) for s in kb.subjects),
        "rule_subjects": len(kb.subjects),
        "prohibited": len(kb.prohibited),
        "prohibited_cases": sum(len(r.cases) for r in kb.prohibited),
        "tolerated": len(kb.tolerated),
    }
    assert {t: count(t) for t in expected} == expected


def test_sqlite_facts(database: sqlite3.Connection) -> None:
    names = database.execute(
        "select name from materials where item_number=4 and channel='窗口办' order by position"
    ).fetchall()
    assert [n for (n,) in names] == [
        "本人鞍山市社会保障卡",
        "《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》",
        "当事人委托书",
        "代办人身份证",
    ]
    proxy = database.execute(
        "select m.name from materials m join material_conditions c on c.material_id=m.id "
        "where m.item_number=4 and c.tag='代办' order by m.position"
    ).fetchall()
    assert [n for (n,) in proxy] == ["当事人委托书", "代办人身份证"]
    assert database.execute("select kind, days from time_limits where item_number=17").fetchall() == [
        ("working_days", 20)
    ]
    assert database.execute(
        "select c.text from prohibited p join prohibited_cases c on c.rule_number=p.number where p.number=3"
    ).fetchall() == [("提供外省市职称评审材料办理补发证书",)]
    assert database.execute("select correction_text, correction_days from tolerated where number=2").fetchone() == (
        "15个工作日",
        15,
    )
    phones = database.execute(
        "select o.id, ph.number from paths p join path_places pp on pp.path_id=p.id "
        "join offices o on o.id=pp.office_id join office_phones ph on ph.office_id=o.id "
        "where p.item_number=14 order by p.position"
    ).fetchall()
    assert phones == []  # the source gives these windows no phone of their own
    consult = database.execute(
        "select number, label, case_id from item_phones where item_number=14 order by position"
    ).fetchall()
    assert consult == [
        ("0412-2216349", "师范类、医学类", "师范类、医学类"),
        ("0412-5517322", "其它专业类别", "其它专业类别"),
    ]


def test_sqlite_filtered_selection(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    ok(run(cache_dir, "export", "--format", "sqlite", "--item", "4", "--item", "14", "-o", str(path)))
    db = sqlite3.connect(path)
    assert db.execute("select number from items order by number").fetchall() == [(4,), (14,)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert {n for (n,) in db.execute("select item_number from tolerated")} == {None, 14}
    assert db.execute("select count(*) from prohibited where item_number is not null").fetchone() == (0,)


def test_write_sqlite_refuses_a_directory_and_leaves_no_temporary_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        export_files.write_sqlite(kb, list(kb.items), tmp_path, force=True)
    target = tmp_path / "kb.db"
    export_files.write_sqlite(kb, list(kb.items[:2]), target)
    with pytest.raises(OutputError, match="已存在"):
        export_files.write_sqlite(kb, list(kb.items), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.db"]
    assert sqlite3.connect(target).execute("select count(*) from items").fetchone() == (2,)


# ── CSV ──


def test_csv_file_has_bom_and_reads_back(cache_dir: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "m.csv"
    ok(run(cache_dir, "export", "--format", "csv", "--table", "materials", "-o", str(path)))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    columns, rows = table_rows(kb, list(kb.items), "materials")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns
        got = list(reader)
    assert got == [dict(zip(columns, (as_csv(v) for v in row), strict=True)) for row in rows]


@pytest.mark.parametrize("table", TABLES)
def test_csv_every_table(cache_dir: Path, kb: KnowledgeBase, table: str) -> None:
    text = ok(run(cache_dir, "export", "--format", "csv", "--table", table))
    columns, rows = table_rows(kb, list(kb.items), table)
    got = list(csv.reader(io.StringIO(text)))
    assert got[0] == columns
    assert got[1:] == [[as_csv(v) for v in row] for row in rows]


def test_csv_unknown_table_is_a_usage_error(cache_dir: Path) -> None:
    proc = run(cache_dir, "export", "--format", "csv", "--table", "nope")
    assert proc.returncode == 2
    assert "没有表" in proc.stderr.decode("utf-8")


# ── filters ──


def numbers(data: dict[str, Any]) -> list[int]:
    return [i["number"] for i in data["items"]]


def test_filter_by_category(cache_dir: Path, kb: KnowledgeBase) -> None:
    expected = [i.number for i in kb.items if i.category == 2]
    assert numbers(export_json(cache_dir, "--category", "2")) == expected
    assert numbers(export_json(cache_dir, "--category", "失业保险服务事项")) == expected
    both = [i.number for i in kb.items if i.category in (2, 9)]
    assert numbers(export_json(cache_dir, "--category", "2", "--category", "社会保障卡")) == both


def test_filter_by_channel(cache_dir: Path, kb: KnowledgeBase) -> None:
    online = [i.number for i in kb.items if "网上办" in i.channels]
    assert numbers(export_json(cache_dir, "--channel", "网上办")) == online
    assert 2 not in online and 4 in online  # item 2 names 网上办 only in its time limit, not as a path
    self_service = numbers(export_json(cache_dir, "--channel", "自助办"))
    assert self_service == [i.number for i in kb.items if "自助办" in i.channels] == [22, 29]
    combined = numbers(export_json(cache_dir, "--category", "2", "--channel", "网上办"))
    assert combined == [n for n in online if kb.item(n).category == 2]  # type: ignore[union-attr]


def test_filter_by_items(cache_dir: Path) -> None:
    assert numbers(export_json(cache_dir, "--item", "4", "--item", "14")) == [4, 14]
    assert numbers(export_json(cache_dir, "--item", "失业保险金申领")) == [4]


def test_bad_filters_are_usage_errors(cache_dir: Path) -> None:
    assert run(cache_dir, "export", "--channel", "飞鸽办").returncode == 2
    assert run(cache_dir, "export", "--category", "不存在的类别").returncode == 2


# ── JSON, YAML and the schema ──


@pytest.fixture(scope="module")
def exported(cache_dir: Path) -> dict[str, Any]:
    return export_json(cache_dir)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_yaml_export_equals_json_export(cache_dir: Path, exported: dict[str, Any]) -> None:
    text = ok(run(cache_dir, "export", "--format", "yaml"))
    assert yaml.safe_load(text) == exported


def _as_data_files(data: dict[str, Any], folder: Path) -> None:
    """Write an export back as a knowledge base folder (items.yaml, offices.yaml, rules.yaml)."""

    def item(i: dict[str, Any]) -> dict[str, Any]:
        out = {
            k: v for k, v in i.items() if k not in ("category", "category_id", "channels", "condition_tags", "rules")
        }
        out["category"] = i["category_id"]
        out["paths"] = [
            {**{k: v for k, v in p.items() if k != "where"}, "places": [o["id"] for o in p["places"]]}
            for p in i["paths"]
        ]
        out["time_limits"] = [{k: v for k, v in t.items() if k != "summary"} for t in i["time_limits"]]
        return out

    files = {
        "items.yaml": {
            "version": 1,
            "categories": data["categories"],
            "conditions": data["conditions"],
            "items": [item(i) for i in data["items"]],
        },
        "offices.yaml": {"version": 1, "bureau": data["bureau"], "offices": data["offices"]},
        "rules.yaml": {"version": 1, **data["rules"]},
    }
    for name, content in files.items():
        (folder / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_yaml_export_round_trips_to_an_equal_knowledge_base(cache_dir: Path, tmp_path: Path, kb: KnowledgeBase) -> None:
    data = yaml.safe_load(ok(run(cache_dir, "export", "--format", "yaml")))
    _as_data_files(data, tmp_path)
    shutil.copy(packaged_data_dir() / "synonyms.yaml", tmp_path / "synonyms.yaml")
    assert load(tmp_path) == kb


def test_json_export_validates_against_the_schema(
    exported: dict[str, Any], validator: Draft202012Validator, cache_dir: Path
) -> None:
    assert [e.message for e in validator.iter_errors(exported)] == []
    filtered = export_json(cache_dir, "--channel", "掌上办")
    assert [e.message for e in validator.iter_errors(filtered)] == []


@pytest.mark.parametrize(
    "breakage",
    [
        "path channel 飞鸽办",
        "item channels 飞鸽办",
        "time limit kind",
        "working days without days",
        "office kind",
        "unknown key",
        "missing key",
        "rule with item and subject",
    ],
)
def test_schema_rejects_broken_exports(
    exported: dict[str, Any], validator: Draft202012Validator, breakage: str
) -> None:
    data = copy.deepcopy(exported)
    item4 = next(i for i in data["items"] if i["number"] == 4)
    if breakage == "path channel 飞鸽办":
        item4["paths"][0]["channel"] = "飞鸽办"
    elif breakage == "item channels 飞鸽办":
        item4["channels"].append("飞鸽办")
    elif breakage == "time limit kind":
        item4["time_limits"][0]["kind"] = "soon"
    elif breakage == "working days without days":
        item4["time_limits"][0]["days"] = None
    elif breakage == "office kind":
        data["offices"][0]["kind"] = "shop"
    elif breakage == "unknown key":
        item4["materials"][2]["items"][0]["colour"] = "red"
    elif breakage == "missing key":
        del data["rules"]["tolerated"]
    elif breakage == "rule with item and subject":
        data["rules"]["prohibited"][0]["item"] = 4
    assert not validator.is_valid(data)


def test_schema_enums_follow_the_model() -> None:
    defs = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["$defs"]
    assert defs["channel"]["enum"] == list(CHANNELS)
    assert defs["timeLimitKind"]["enum"] == list(TIME_LIMIT_KINDS)
    assert defs["officeKind"]["enum"] == list(OFFICE_KINDS)


# ── Markdown ──


def test_markdown_one_page_per_category(kb: KnowledgeBase) -> None:
    pages = export_files.to_markdown_pages(kb, list(kb.items))
    assert list(pages) == [f"{c.id:02d}-{c.name}.md" for c in kb.categories]
    assert "01-就业失业登记服务事项.md" in pages
    for c in kb.categories:
        page = pages[f"{c.id:02d}-{c.name}.md"]
        assert page.startswith("# ") and c.name in page.splitlines()[0]
        members: list[Item] = [i for i in kb.items if i.category == c.id]
        headings = [line for line in page.splitlines() if line.startswith("## ")]
        assert headings == [f"## 第{i.number}项  {i.name}" for i in members]  # the card's own heading
    page = pages["02-失业保险服务事项.md"]
    assert "| ② | 《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》 | 复印件 | 1份 | 劳动争议 |  |" in page
    assert "- **窗口办、网上办**：即时办结" in page
    archive = pages["03-流动人员人事档案管理服务.md"]
    assert "可容缺：身份证复印件" in archive and "补正时间：15个工作日" in archive  # 容缺 of item 14
    assert "### 源文件说明" in archive and "### 温馨提示" in archive


def test_markdown_export_is_the_card_of_show(run, kb: KnowledgeBase) -> None:
    """One renderer: the exported page holds exactly what ``show N --full -f markdown`` prints."""
    pages = export_files.to_markdown_pages(kb, list(kb.items))
    for number in (4, 14, 27):
        card = run("show", str(number), "--full", "-f", "markdown").stdout
        item = kb.item(number)
        assert item is not None
        page = next(p for p in pages.values() if f"## 第{number}项  {item.name}" in p)
        assert card in page


def test_markdown_export_prints_every_page(cache_dir: Path, kb: KnowledgeBase) -> None:
    text = ok(run(cache_dir, "export", "--format", "markdown"))
    assert text == "\n".join(export_files.to_markdown_pages(kb, list(kb.items)).values())
    selected = ok(run(cache_dir, "export", "--format", "markdown", "--item", "4", "--item", "14"))
    assert [line for line in selected.splitlines() if line.startswith("## ")] == [
        "## 第4项  失业保险金申领",
        "## 第14项  流动人员人事档案转入",
    ]


def test_write_markdown_dir(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "wiki"
    written = export_files.write_markdown_dir(kb, list(kb.items), folder)
    assert sorted(p.name for p in written) == sorted(p.name for p in folder.iterdir())
    assert len(written) == len(kb.categories)
    with pytest.raises(OutputError):
        export_files.write_markdown_dir(kb, list(kb.items), folder)
    assert len(export_files.write_markdown_dir(kb, list(kb.items), folder, force=True)) == len(written)


# ── files: never overwritten without --force ──


@pytest.mark.parametrize("fmt", ["json", "yaml", "csv", "markdown", "xlsx", "sqlite"])
def test_output_refuses_to_overwrite_without_force(cache_dir: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"old")
    proc = run(cache_dir, "export", "--format", fmt, "--item", "4", "-o", str(target))
    assert proc.returncode == 6
    assert "已存在" in proc.stderr.decode("utf-8")
    assert target.read_bytes() == b"old"
    ok(run(cache_dir, "export", "--format", fmt, "--item", "4", "-o", str(target), "--force"))
    assert target.read_bytes() != b"old"
    if fmt == "xlsx":
        assert openpyxl.load_workbook(target).sheetnames == SHEETS
    if fmt == "sqlite":
        assert sqlite3.connect(target).execute("select number from items").fetchall() == [(4,)]
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary files left behind


@pytest.mark.parametrize("fmt", ["xlsx", "sqlite"])
def test_binary_formats_need_an_output_file(cache_dir: Path, fmt: str) -> None:
    proc = run(cache_dir, "export", "--format", fmt)
    assert proc.returncode == 2
    assert proc.stdout == b""


def test_csv_channel_filter_keeps_only_that_channels_rows(cache_dir: Path) -> None:
    """The README's own example: `--table materials --channel 窗口办` has no 网上办 rows."""
    text = ok(run(cache_dir, "export", "--format", "csv", "--table", "materials", "--channel", "窗口办"))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    channel = rows[0].index("渠道")
    assert rows[1:] and {r[channel] for r in rows[1:]} <= {"窗口办", ""}  # blank: the group serves every channel
    assert "窗口办" in {r[channel] for r in rows[1:]}


@pytest.mark.parametrize("fmt", ["json", "yaml", "markdown"])
def test_table_with_a_format_other_than_csv_is_a_usage_error(cache_dir: Path, fmt: str) -> None:
    proc = run(cache_dir, "export", "--format", fmt, "--table", "paths")
    assert proc.returncode == 2
    assert proc.stdout == b""
    err = proc.stderr.decode("utf-8")
    assert "--table 只用于 CSV 导出" in err
    assert "rsguide export --format csv --table paths" in err


def test_table_chooses_the_csv_table_and_defaults_to_materials(cache_dir: Path) -> None:
    paths = ok(run(cache_dir, "export", "--format", "csv", "--table", "paths")).lstrip("\ufeff")
    assert paths.splitlines()[0].startswith("序号,事项,渠道,办理情形,源文件用词,原文")
    materials = ok(run(cache_dir, "export", "--format", "csv")).lstrip("\ufeff")
    assert materials.splitlines()[0].startswith("序号,事项,渠道,办理情形,顺序,编号,材料")
