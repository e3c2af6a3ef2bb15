"""The parallel build of a large knowledge base (a forked worker renders cards and search texts while
the items are read) writes the same store as the build in one process, and falls back to that build
whenever it cannot (items out of 序号 order, a knowledge base other than the one read ahead)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rsguide.errors import DataError
from rsguide.kb import cache
from rsguide.kb import store as store_module

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not store_module.parallel_possible(), reason="needs fork and two cores")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "kb"
    subprocess.run([sys.executable, str(ROOT / "bench/synth_kb.py"), "300", str(out)], check=True, capture_output=True)
    return out


def build(
    tmp_path: Path, data: Path, monkeypatch, *, parallel: bool, steal: bool | None = None
) -> tuple[Path, list[str]]:
    """Build the store of ``data`` (batches of 40 items); what happened: worker started, restarted.
    ``steal``: the reading process renders every batch's cards (True), none (False), as it decides (None)."""
    monkeypatch.setattr(store_module, "BATCH", 40)
    if steal is not None:
        monkeypatch.setattr(store_module.StoreWriter, "_worker_busier", lambda self: steal)
    monkeypatch.setattr(store_module, "PARALLEL_MIN_BYTES", 0 if parallel else 1 << 60)
    events: list[str] = []
    worker_init = store_module._Worker.__init__

    def spy(self, core):
        events.append("worker")
        worker_init(self, core)

    monkeypatch.setattr(store_module._Worker, "__init__", spy)
    build_once = cache._build_once

    def once(directory, path, key, data_dir, early):
        events.append("parallel" if early is not None else "alone")
        build_once(directory, path, key, data_dir, early)

    monkeypatch.setattr(cache, "_build_once", once)
    directory = tmp_path / ("p" if parallel else "s") / str(steal)
    directory.mkdir(parents=True, mode=0o700)
    path = Path(cache.store_path(str(directory), "k" * 64))
    cache._build(str(directory), str(path), "k" * 64, str(data))
    assert multiprocessing.active_children() == []
    return path, events


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    out = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        out[table] = sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    conn.close()
    return out


@pytest.mark.parametrize("steal", [False, True, None])
def test_parallel_build_writes_the_same_store(tmp_path, synthetic, monkeypatch, steal):
    """Cards made by the worker, by the reading process, or by either as their CPU time says."""
    alone, events = build(tmp_path, synthetic, monkeypatch, parallel=False)
    assert events == ["alone"]
    both, events = build(tmp_path, synthetic, monkeypatch, parallel=True, steal=steal)
    assert events == ["parallel", "worker"]
    assert rows(both) == rows(alone)
    assert len(rows(both)["items"]) == 300


def rewrite(src: Path, dst: Path, change) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    data = yaml.safe_load((src / "items.yaml").read_text(encoding="utf-8"))
    text = change(data)
    (dst / "items.yaml").write_text(text, encoding="utf-8")
    return dst


def test_items_out_of_order_are_built_again_alone(tmp_path, synthetic, monkeypatch):
    def swap(data):
        items = data["items"]
        items[200], items[201] = items[201], items[200]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    data = rewrite(synthetic, tmp_path / "swapped", swap)
    alone, _ = build(tmp_path, data, monkeypatch, parallel=False)
    both, events = build(tmp_path, data, monkeypatch, parallel=True)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


def test_conditions_after_the_items_are_built_again_alone(tmp_path, synthetic, monkeypatch):
    """The read-ahead sees no condition tags before ``items:``: the knowledge base differs from it."""

    def conditions_last(data):
        data["conditions"] = data.pop("conditions")
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    data = rewrite(synthetic, tmp_path / "late", conditions_last)
    alone, _ = build(tmp_path, data, monkeypatch, parallel=False)
    both, events = build(tmp_path, data, monkeypatch, parallel=True)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


def test_invalid_data_stops_the_worker_and_leaves_nothing(tmp_path, synthetic, monkeypatch):
    def bad_category(data):
        data["items"][250]["category"] = 99
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    data = rewrite(synthetic, tmp_path / "bad", bad_category)
    with pytest.raises(DataError) as err:
        build(tmp_path, data, monkeypatch, parallel=True)
    assert "类别 99 不存在" in str(err.value.issues)
    assert multiprocessing.active_children() == []
    assert not [p for p in (tmp_path / "p").rglob("*") if p.is_file()]
