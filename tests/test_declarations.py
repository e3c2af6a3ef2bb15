"""Each entity's fields declared once (rsguide.model): the reader, JSON, CSV, diff and the
hand-written SQL all agree with the declaration."""

from __future__ import annotations

import re
import sqlite3

from rsguide.model import Bureau, Office, RuleSubject, labels, plain, yaml_spec
from rsguide.output.export_files import SQLITE_SCHEMA as SCHEMA
from rsguide.output.serialize import office_dict


def _columns(table: str) -> set[str]:
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def test_every_office_field_is_declared_with_a_label_and_a_kind():
    assert list(yaml_spec(Office)) == list(labels(Office))
    assert yaml_spec(Office)["id"] == ("str", True) and yaml_spec(Office)["url"] == ("str", False)
    assert yaml_spec(RuleSubject) == {
        "id": ("str", True),
        "name": ("str", True),
        "aliases": ("strs", False),
        "notes": ("strs", False),
    }
    assert set(yaml_spec(Bureau)) == {"name", "short_name", "notes"}


def test_json_of_an_office_is_its_declared_fields(kb):
    office = kb.offices[0]
    assert list(office_dict(office)) == list(yaml_spec(Office))
    assert plain(office)["phones"] == list(office.phones)


def test_sql_offices_table_matches_the_declaration():
    """SQL stays hand-written; this is what keeps it honest. Lists live in their own tables."""
    scalar = {name for name, (kind, _) in yaml_spec(Office).items() if kind != "strs"}
    assert _columns("offices") == scalar
    assert {"office_id", "position", "alias"} <= _columns("office_aliases")
    assert {"id", "name"} == _columns("rule_subjects")


def test_diff_labels_come_from_the_declaration():
    from rsguide.output.reports import FIELD_LABELS

    for name in ("district", "address", "windows", "url", "see_district_windows"):
        assert FIELD_LABELS[name] == labels(Office)[name]
    assert re.fullmatch(r"[\u4e00-\u9fff（）]+", labels(Office)["see_district_windows"])
