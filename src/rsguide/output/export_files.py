"""Exports for supervisors that are more than one text stream: an Excel workbook, a normalised
SQLite database and one Markdown page per category.

Every file is written atomically (a temporary file in the target folder, then a rename) and an
existing file is never replaced without ``--force``.
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rsguide import __version__
from rsguide.errors import OutputError
from rsguide.model import (
    CHANNELS,
    CORRECTION_KINDS,
    FORMS,
    OFFICE_KINDS,
    TIME_LIMIT_KINDS,
    Item,
    KnowledgeBase,
)
from rsguide.output.files import write_atomic
from rsguide.output.layout import width as display_width  # a Chinese character counts 2
from rsguide.output.tables import table_rows
from rsguide.sanitize import clean, md_text

# ── XLSX ──

XLSX_SHEETS: tuple[tuple[str, str], ...] = (
    ("items", "事项"),
    ("materials", "材料"),
    ("paths", "办理路径"),
    ("time_limits", "办理时限"),
    ("offices", "办事地点"),
    ("prohibited", "禁办"),
    ("tolerated", "容缺"),
)
"""(table, sheet name) in the order the workbook shows them."""

MAX_COLUMN_WIDTH = 60
"""Widest column, in Excel character units; longer text wraps."""

LIST_SEPARATOR = "；"


def cell_value(value: Any) -> Any:
    """A value as a worksheet cell holds it: lists joined with "；", booleans as 是/否, numbers kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value) or None
    if isinstance(value, (int, float)):
        return value
    return str(value)


def _refuse_existing(path: str | os.PathLike[str], force: bool) -> tuple[Path, int | None]:
    from rsguide.output.files import check_target

    return check_target(path, force=force)


def build_workbook(kb: KnowledgeBase, items: list[Item]) -> Any:
    """The workbook (an ``openpyxl.Workbook``) with one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)  # the default sheet
    wb.properties.creator = f"rsguide {__version__}"
    wb.properties.title = "人社事项办事指南"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_align = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    for table, title in XLSX_SHEETS:
        ws = wb.create_sheet(title)
        columns, rows = table_rows(kb, items, table)
        widths = [display_width(c) for c in columns]
        ws.append(columns)
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = header_align
        r = 1  # counted here: ws.max_row scans every cell, which made the export quadratic
        for row in rows:
            values = [cell_value(v) for v in row]
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
            r += 1
            for col, value in enumerate(values, 1):
                if not isinstance(value, str):
                    continue
                cell = ws.cell(row=r, column=col)
                # Text that starts with "=" stays text: openpyxl would otherwise store it as a formula.
                cell.data_type = "s"
                lines = value.split("\n")
                width = max(display_width(line) for line in lines)
                widths[col - 1] = max(widths[col - 1], width)
                cell.alignment = wrap if len(lines) > 1 or width > MAX_COLUMN_WIDTH else top
        for col, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_COLUMN_WIDTH)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{r}"
    return wb


def write_xlsx(kb: KnowledgeBase, items: list[Item], path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write the workbook (sheets 事项, 材料, 办理路径, 办理时限, 办事地点, 禁办, 容缺) to ``path``."""
    _refuse_existing(path, force)
    buf = io.BytesIO()
    build_workbook(kb, items).save(buf)
    write_atomic(path, buf.getvalue(), force=force)


# ── SQLite ──


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


SQLITE_SCHEMA = f"""
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE channels (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL UNIQUE
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE condition_tags (
  tag TEXT PRIMARY KEY,
  description TEXT NOT NULL
);
CREATE TABLE items (
  number INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  heading TEXT,
  category_id INTEGER NOT NULL REFERENCES categories (id),
  page INTEGER,
  intro TEXT,
  legal_basis TEXT,
  time_limit_text TEXT
);
CREATE TABLE item_aliases (
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  alias TEXT NOT NULL,
  PRIMARY KEY (item_number, position)
);
CREATE TABLE item_conditions (
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (item_number, position)
);
CREATE TABLE item_phones (
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  label TEXT,
  case_id TEXT,
  kind TEXT NOT NULL DEFAULT 'consultation',
  PRIMARY KEY (item_number, position)
);
CREATE TABLE cases (
  item_number INTEGER NOT NULL REFERENCES items (number),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  position INTEGER NOT NULL,
  PRIMARY KEY (item_number, id)
);
CREATE TABLE material_groups (
  id INTEGER PRIMARY KEY,
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  channel TEXT REFERENCES channels (name),
  case_id TEXT,
  text TEXT,
  remark TEXT,
  note TEXT,
  none_required INTEGER NOT NULL CHECK (none_required IN (0, 1)),
  FOREIGN KEY (item_number, case_id) REFERENCES cases (item_number, id)
);
CREATE TABLE materials (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES material_groups (id),
  item_number INTEGER NOT NULL REFERENCES items (number),
  channel TEXT REFERENCES channels (name),
  case_id TEXT,
  position INTEGER NOT NULL,
  label TEXT,
  name TEXT,
  form TEXT CHECK (form IS NULL OR form IN {_in(FORMS)}),
  copies INTEGER CHECK (copies IS NULL OR copies > 0),
  unit TEXT,
  remark TEXT,
  tolerance TEXT,
  source TEXT,
  tolerated_copy TEXT,
  none_required INTEGER NOT NULL CHECK (none_required IN (0, 1)),
  text TEXT,
  CHECK ((none_required = 1) = (name IS NULL)),
  FOREIGN KEY (item_number, case_id) REFERENCES cases (item_number, id)
);
CREATE TABLE material_conditions (
  material_id INTEGER NOT NULL REFERENCES materials (id),
  tag TEXT NOT NULL REFERENCES condition_tags (tag),
  PRIMARY KEY (material_id, tag)
);
CREATE TABLE offices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN {_in(OFFICE_KINDS)}),
  number INTEGER,
  name TEXT NOT NULL,
  district TEXT,
  address TEXT,
  windows TEXT,
  url TEXT,
  text TEXT,
  see_district_windows INTEGER NOT NULL CHECK (see_district_windows IN (0, 1))
);
CREATE TABLE office_aliases (
  office_id TEXT NOT NULL REFERENCES offices (id),
  position INTEGER NOT NULL,
  alias TEXT NOT NULL,
  PRIMARY KEY (office_id, position)
);
CREATE TABLE office_phones (
  office_id TEXT NOT NULL REFERENCES offices (id),
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  PRIMARY KEY (office_id, position)
);
CREATE TABLE paths (
  id INTEGER PRIMARY KEY,
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  channel TEXT NOT NULL REFERENCES channels (name),
  case_id TEXT,
  label TEXT,
  text TEXT NOT NULL,
  url TEXT,
  district_reference INTEGER NOT NULL DEFAULT 0 CHECK (district_reference IN (0, 1)),
  FOREIGN KEY (item_number, case_id) REFERENCES cases (item_number, id)
);
CREATE TABLE path_generic (
  path_id INTEGER NOT NULL REFERENCES paths (id),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (path_id, position)
);
CREATE TABLE path_places (
  path_id INTEGER NOT NULL REFERENCES paths (id),
  office_id TEXT NOT NULL REFERENCES offices (id),
  position INTEGER NOT NULL,
  PRIMARY KEY (path_id, office_id)
);
CREATE TABLE time_limits (
  id INTEGER PRIMARY KEY,
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  case_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN {_in(TIME_LIMIT_KINDS)}),
  days INTEGER CHECK ((kind = 'working_days') = (days IS NOT NULL) AND (days IS NULL OR days > 0)),
  condition TEXT,
  qualifier TEXT,
  summary TEXT NOT NULL,
  text TEXT NOT NULL,
  FOREIGN KEY (item_number, case_id) REFERENCES cases (item_number, id)
);
CREATE TABLE time_limit_channels (
  time_limit_id INTEGER NOT NULL REFERENCES time_limits (id),
  channel TEXT NOT NULL REFERENCES channels (name),
  PRIMARY KEY (time_limit_id, channel)
);
CREATE TABLE tips (
  item_number INTEGER NOT NULL REFERENCES items (number),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (item_number, position)
);
CREATE TABLE rule_subjects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE rule_subject_aliases (
  rule_subject_id TEXT NOT NULL REFERENCES rule_subjects (id),
  position INTEGER NOT NULL,
  alias TEXT NOT NULL,
  PRIMARY KEY (rule_subject_id, position)
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  item_number INTEGER REFERENCES items (number),
  office_id TEXT REFERENCES offices (id),
  rule_subject_id TEXT REFERENCES rule_subjects (id),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  CHECK ((item_number IS NOT NULL) + (office_id IS NOT NULL) + (rule_subject_id IS NOT NULL) = 1)
);
CREATE TABLE prohibited (
  number INTEGER PRIMARY KEY,
  subject TEXT NOT NULL,
  item_number INTEGER REFERENCES items (number),
  rule_subject TEXT REFERENCES rule_subjects (id),
  CHECK ((item_number IS NULL) <> (rule_subject IS NULL))
);
CREATE TABLE prohibited_cases (
  rule_number INTEGER NOT NULL REFERENCES prohibited (number),
  position INTEGER NOT NULL,
  number INTEGER,
  text TEXT NOT NULL,
  PRIMARY KEY (rule_number, position)
);
CREATE TABLE tolerated (
  number INTEGER PRIMARY KEY,
  subject TEXT NOT NULL,
  item_number INTEGER REFERENCES items (number),
  rule_subject TEXT REFERENCES rule_subjects (id),
  material TEXT NOT NULL,
  source TEXT NOT NULL,
  correction_text TEXT NOT NULL,
  correction_kind TEXT NOT NULL CHECK (correction_kind IN {_in(CORRECTION_KINDS)}),
  correction_days INTEGER,
  CHECK ((item_number IS NULL) <> (rule_subject IS NULL))
);
CREATE INDEX materials_item ON materials (item_number);
CREATE INDEX paths_item ON paths (item_number, channel);
CREATE INDEX time_limits_item ON time_limits (item_number, kind);
CREATE INDEX items_category ON items (category_id);

-- Each time limit once per channel it applies to; a limit without channels applies to every
-- channel the item offers (the channels of its paths).
CREATE VIEW channel_time_limits AS
SELECT t.item_number, c.channel, t.case_id, t.kind, t.days, t.summary, t.text
FROM time_limits t JOIN time_limit_channels c ON c.time_limit_id = t.id
UNION ALL
SELECT t.item_number, p.channel, t.case_id, t.kind, t.days, t.summary, t.text
FROM time_limits t JOIN (SELECT DISTINCT item_number, channel FROM paths) p ON p.item_number = t.item_number
WHERE NOT EXISTS (SELECT 1 FROM time_limit_channels c WHERE c.time_limit_id = t.id);
"""
"""The tables of the SQLite export (see :func:`write_sqlite`)."""


def _insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid or 0)


def _fill_sqlite(db: sqlite3.Connection, kb: KnowledgeBase, items: list[Item]) -> None:
    numbers = {i.number for i in items}
    _insert(db, "meta", {"key": "rsguide_version", "value": __version__})
    _insert(db, "meta", {"key": "items", "value": str(len(items))})
    for pos, ch in enumerate(CHANNELS, 1):
        _insert(db, "channels", {"name": ch, "position": pos})
    for c in kb.categories:
        _insert(db, "categories", {"id": c.id, "name": c.name})
    for tag, desc in kb.conditions.items():
        _insert(db, "condition_tags", {"tag": tag, "description": desc})
    for o in kb.offices:
        _insert(
            db,
            "offices",
            {
                "id": o.id,
                "kind": o.kind,
                "number": o.number,
                "name": o.name,
                "district": o.district,
                "address": o.address,
                "windows": o.windows,
                "url": o.url,
                "text": o.text,
                "see_district_windows": int(o.see_district_windows),
            },
        )
        for pos, alias in enumerate(o.aliases, 1):
            _insert(db, "office_aliases", {"office_id": o.id, "position": pos, "alias": alias})
        for pos, phone in enumerate(o.phones, 1):
            _insert(db, "office_phones", {"office_id": o.id, "position": pos, "number": phone})
        for pos, text in enumerate(o.notes, 1):
            _insert(db, "notes", {"office_id": o.id, "position": pos, "text": text})
    for s in kb.subjects:
        _insert(db, "rule_subjects", {"id": s.id, "name": s.name})
        for pos, alias in enumerate(s.aliases, 1):
            _insert(db, "rule_subject_aliases", {"rule_subject_id": s.id, "position": pos, "alias": alias})
        for pos, text in enumerate(s.notes, 1):
            _insert(db, "notes", {"rule_subject_id": s.id, "position": pos, "text": text})
    for i in items:
        _insert_item(db, i)
    for r in kb.prohibited:
        if r.item is not None and r.item not in numbers:
            continue
        _insert(
            db,
            "prohibited",
            {"number": r.number, "subject": r.subject, "item_number": r.item, "rule_subject": r.rule_subject},
        )
        for pos, pc in enumerate(r.cases, 1):
            _insert(
                db, "prohibited_cases", {"rule_number": r.number, "position": pos, "number": pc.number, "text": pc.text}
            )
    for t in kb.tolerated:
        if t.item is not None and t.item not in numbers:
            continue
        _insert(
            db,
            "tolerated",
            {
                "number": t.number,
                "subject": t.subject,
                "item_number": t.item,
                "rule_subject": t.rule_subject,
                "material": t.material,
                "source": t.source,
                "correction_text": t.correction_text,
                "correction_kind": t.correction.kind,
                "correction_days": t.correction.days,
            },
        )


def _insert_item(db: sqlite3.Connection, i: Item) -> None:
    n = i.number
    _insert(
        db,
        "items",
        {
            "number": n,
            "name": i.name,
            "heading": i.heading,
            "category_id": i.category,
            "page": i.page,
            "intro": i.intro,
            "legal_basis": i.legal_basis,
            "time_limit_text": i.time_limit_text,
        },
    )
    for pos, alias in enumerate(i.aliases, 1):
        _insert(db, "item_aliases", {"item_number": n, "position": pos, "alias": alias})
    for pos, text in enumerate(i.conditions, 1):
        _insert(db, "item_conditions", {"item_number": n, "position": pos, "text": text})
    for pos, ph in enumerate(i.phones, 1):
        _insert(
            db,
            "item_phones",
            {"item_number": n, "position": pos, "number": ph.number, "label": ph.label, "case_id": ph.case},
        )
    for pos, c in enumerate(i.cases, 1):
        _insert(
            db, "cases", {"item_number": n, "id": c.id, "name": c.name, "description": c.description, "position": pos}
        )
    for gpos, g in enumerate(i.materials, 1):
        group_id = _insert(
            db,
            "material_groups",
            {
                "item_number": n,
                "position": gpos,
                "channel": g.channel,
                "case_id": g.case,
                "text": g.text,
                "remark": g.remark,
                "note": g.note,
                "none_required": int(g.none_required),
            },
        )
        base = {"group_id": group_id, "item_number": n, "channel": g.channel, "case_id": g.case}
        if g.none_required:
            _insert(db, "materials", {**base, "position": 0, "none_required": 1, "text": g.text})
        for pos, m in enumerate(g.items, 1):
            material_id = _insert(
                db,
                "materials",
                {
                    **base,
                    "position": pos,
                    "label": m.label,
                    "name": m.name,
                    "form": m.form,
                    "copies": m.copies,
                    "unit": m.unit if m.copies else None,
                    "remark": m.remark,
                    "tolerance": m.tolerance,
                    "source": m.source,
                    "tolerated_copy": m.tolerated_copy,
                    "none_required": 0,
                    "text": m.text,
                },
            )
            for tag in dict.fromkeys(m.when):
                _insert(db, "material_conditions", {"material_id": material_id, "tag": tag})
    for pos, p in enumerate(i.paths, 1):
        path_id = _insert(
            db,
            "paths",
            {
                "item_number": n,
                "position": pos,
                "channel": p.channel,
                "case_id": p.case,
                "label": p.label,
                "text": p.text,
                "url": p.url,
                "district_reference": int(p.district_reference),
            },
        )
        for gpos, text in enumerate(p.generic, 1):
            _insert(db, "path_generic", {"path_id": path_id, "position": gpos, "text": text})
        for ppos, office_id in enumerate(dict.fromkeys(p.places), 1):
            _insert(db, "path_places", {"path_id": path_id, "office_id": office_id, "position": ppos})
    for pos, t in enumerate(i.time_limits, 1):
        limit_id = _insert(
            db,
            "time_limits",
            {
                "item_number": n,
                "position": pos,
                "case_id": t.case,
                "kind": t.kind,
                "days": t.days,
                "condition": t.condition,
                "qualifier": t.qualifier,
                "summary": t.summary,
                "text": t.text,
            },
        )
        for ch in dict.fromkeys(t.channels):
            _insert(db, "time_limit_channels", {"time_limit_id": limit_id, "channel": ch})
    for pos, text in enumerate(i.tips, 1):
        _insert(db, "tips", {"item_number": n, "position": pos, "text": text})
    for pos, text in enumerate(i.notes, 1):
        _insert(db, "notes", {"item_number": n, "position": pos, "text": text})


def build_sqlite(db: sqlite3.Connection, kb: KnowledgeBase, items: list[Item]) -> None:
    """Create the schema in an empty database and insert ``items`` with every key checked."""
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(SQLITE_SCHEMA)
    with db:
        _fill_sqlite(db, kb, items)
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # pragma: no cover - foreign_keys=ON already rejects a wrong key on insert
        raise sqlite3.IntegrityError(f"foreign key check failed: {problems[:5]}")


def write_sqlite(kb: KnowledgeBase, items: list[Item], path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write a normalised SQLite database (primary and foreign keys) of ``items`` to ``path``.

    The database is built in memory and written in one atomic step, so an interrupted export
    leaves no half-built database or journal next to the target.
    """
    target, _mode = _refuse_existing(path, force)
    db = sqlite3.connect(":memory:")
    try:
        try:
            build_sqlite(db, kb, items)
        except (OverflowError, sqlite3.Error) as exc:
            raise OutputError(f"无法生成 SQLite 数据库（{exc}）", hint="请先运行 rsguide validate 检查知识库") from None
        payload = _database_bytes(db, target.parent if str(target.parent) else Path("."))
    finally:
        db.close()
    write_atomic(target, payload, force=force)


def _database_bytes(db: sqlite3.Connection, folder: Path) -> bytes:
    serialize = getattr(db, "serialize", None)  # Python >= 3.11
    if serialize is not None:
        return bytes(serialize())
    fd, name = tempfile.mkstemp(dir=folder, prefix=".rsguide-sqlite.", suffix=".tmp")  # pragma: no cover - 3.10
    os.close(fd)
    try:
        out = sqlite3.connect(name)
        try:
            db.backup(out)
        finally:
            out.close()
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


# ── Markdown ──


def page_name(kb: KnowledgeBase, category_id: int) -> str:
    """The file name of a category's page, e.g. ``01-就业失业登记服务事项.md``: no path
    separator, no control character and at most 60 characters of the name (a file name has 255 bytes)."""
    from rsguide.sanitize import clean

    cat = kb.category(category_id)
    name = clean(cat.name if cat else f"类别{category_id}").replace("\t", " ").replace("\n", " ")
    safe = "".join("-" if ch in '/\\:*?"<>|' else ch for ch in name)[:60].strip(" .") or f"类别{category_id}"
    return f"{category_id:02d}-{safe}.md"


def item_markdown(kb: KnowledgeBase, item: Item) -> str:
    """One item as a Markdown section (``## 第N项 名称``) for the category page: the same whole card
    as ``rsguide show N --full --format markdown``."""
    from rsguide.output.render import to_markdown
    from rsguide.output.views import item_card

    return to_markdown(item_card(kb, item).blocks)


def to_markdown_pages(kb: KnowledgeBase, items: list[Item]) -> dict[str, str]:
    """One Markdown page per category that has a selected item: file name → page text."""
    from rsguide.numerals import to_chinese

    pages: dict[str, str] = {}
    for cat in kb.categories:
        chosen = [i for i in items if i.category == cat.id]
        if not chosen:
            continue
        numeral = to_chinese(cat.id) + "、" if cat.id >= 1 else ""
        head = [f"# {numeral}{md_text(cat.name)}", "", f"本类共 {len(chosen)} 个事项：", ""]
        head += [f"- 第{i.number}项 {md_text(i.name)}（{'、'.join(i.channels) or '未列渠道'}）" for i in chosen]
        body = [item_markdown(kb, i) for i in chosen]
        pages[page_name(kb, cat.id)] = clean("\n".join(["\n".join(head) + "\n", *body]))
    return pages


def write_markdown_dir(
    kb: KnowledgeBase, items: list[Item], directory: str | os.PathLike[str], *, force: bool = False
) -> list[Path]:
    """Write one page per category into ``directory`` (created if missing); returns the files.

    Nothing is written when a page exists and ``force`` is false.
    """
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} 不是目录", hint="请给出目录")
    pages = to_markdown_pages(kb, items)
    targets = [folder / name for name in pages]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise OutputError(f"文件已存在：{existing[0]}", hint="加 --force 覆盖，或换一个目录")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建目录 {folder}（{exc.strerror or exc}）", hint="请检查路径和权限") from None
    return [write_atomic(t, text, force=True) for t, text in zip(targets, pages.values(), strict=True)]
