"""The parallel build of a large knowledge base (this process and a forked worker each read, check
and render parts of items.yaml) writes the same store as the build in one process, and falls back to
that build whenever it cannot (a cut that is not between items, items out of 序号 order, a knowledge
base other than the one read ahead, a worker that fails)."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rsguide.errors import DataError
from rsguide.kb import cache, parallel, parts

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not parallel.possible(), reason="needs fork and two cores")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "kb"
    subprocess.run([sys.executable, str(ROOT / "bench/synth_kb.py"), "300", str(out)], check=True, capture_output=True)
    return out


def build(
    tmp_path: Path,
    data: Path,
    monkeypatch,
    *,
    parallel_build: bool,
    part_bytes: int = 16384,
    events: list[str] | None = None,
) -> tuple[Path, list[str]]:
    """Build the store of ``data`` (parts of ``part_bytes``); what happened (``events``, also when the
    build raises): parallel build begun, worker started, built again alone."""
    monkeypatch.setattr(parallel, "PART_BYTES", part_bytes)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0 if parallel_build else 1 << 60)
    events = [] if events is None else events
    worker_init = parallel._Worker.__init__

    def spy(self, *args):
        events.append("worker")
        worker_init(self, *args)

    monkeypatch.setattr(parallel._Worker, "__init__", spy)
    build_once = cache._build_once

    def once(directory, path, key, data_dir, early):
        events.append("parallel" if early is not None else "alone")
        build_once(directory, path, key, data_dir, early)

    monkeypatch.setattr(cache, "_build_once", once)
    directory = tmp_path / ("p" if parallel_build else "s") / str(part_bytes)
    directory.mkdir(parents=True, mode=0o700, exist_ok=True)
    path = Path(cache.store_path(str(directory), "k" * 64))
    if path.exists():
        path.unlink()
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


@pytest.mark.parametrize("part_bytes", [1, 16384, 1 << 20])
def test_parallel_build_writes_the_same_store(tmp_path, synthetic, monkeypatch, part_bytes):
    """An item a part (1 byte: every element starts a part), parts of a few dozen items, one part."""
    alone, events = build(tmp_path, synthetic, monkeypatch, parallel_build=False)
    assert events == ["alone"]
    both, events = build(tmp_path, synthetic, monkeypatch, parallel_build=True, part_bytes=part_bytes)
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
    alone, _ = build(tmp_path, data, monkeypatch, parallel_build=False)
    both, events = build(tmp_path, data, monkeypatch, parallel_build=True)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


def test_conditions_after_the_items_are_built_again_alone(tmp_path, synthetic, monkeypatch):
    """The read-ahead sees no condition tags before ``items:``: the knowledge base differs from it."""

    def conditions_last(data):
        data["conditions"] = data.pop("conditions")
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    data = rewrite(synthetic, tmp_path / "late", conditions_last)
    alone, _ = build(tmp_path, data, monkeypatch, parallel_build=False)
    both, events = build(tmp_path, data, monkeypatch, parallel_build=True)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


def test_invalid_data_stops_the_worker_and_leaves_nothing(tmp_path, synthetic, monkeypatch):
    def bad_category(data):
        data["items"][250]["category"] = 99
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    data = rewrite(synthetic, tmp_path / "bad", bad_category)
    with pytest.raises(DataError) as err:
        build(tmp_path, data, monkeypatch, parallel_build=True)
    assert "类别 99 不存在" in str(err.value.issues)
    assert multiprocessing.active_children() == []
    assert not [p for p in (tmp_path / "p").rglob("*") if p.is_file()]


def test_invalid_data_says_what_the_build_alone_says(tmp_path, synthetic, monkeypatch):
    """A problem only the whole knowledge base shows (a category that does not exist) is reported by
    the parallel build itself, with the lines the build alone gives; a problem inside an item makes
    the parallel build give way to the build alone, which reports it as ever."""

    def problems(data):
        data["items"][250]["category"] = 99
        data["items"][120].pop("name")
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    def late_problem(data):
        data["items"][250]["category"] = 99
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    for name, change, expected in [("one", late_problem, ["parallel", "worker"]), ("two", problems, None)]:
        data = rewrite(synthetic, tmp_path / name, change)
        with pytest.raises(DataError) as alone:
            build(tmp_path / name, data, monkeypatch, parallel_build=False)
        events: list[str] = []
        with pytest.raises(DataError) as both:
            build(tmp_path / name, data, monkeypatch, parallel_build=True, events=events)
        assert events == (expected or ["parallel", "worker", "alone"])
        assert [str(i) for i in both.value.issues] == [str(i) for i in alone.value.issues]
        assert any("类别 99 不存在" in str(i) for i in both.value.issues)


def test_a_cut_inside_a_quoted_text_is_noticed(tmp_path, synthetic, monkeypatch):
    """A quoted text may run over lines that look like the start of an item: a part cut there does
    not read, and the file is read whole."""
    text = (synthetic / "items.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  intro:") and i > len(lines) // 2)
    lines[at] = '  intro: "第一行\n\n- number: 9999\n  name: 假的\n  category: 1\n"'
    data = tmp_path / "quoted"
    data.mkdir()
    for f in synthetic.iterdir():
        (data / f.name).write_bytes(f.read_bytes())
    (data / "items.yaml").write_text("\n".join(lines), encoding="utf-8")
    alone, _ = build(tmp_path, data, monkeypatch, parallel_build=False)
    both, events = build(tmp_path, data, monkeypatch, parallel_build=True, part_bytes=1)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


def test_a_failing_worker_gives_way_to_the_build_alone(tmp_path, synthetic, monkeypatch):
    parent = os.getpid()
    compute = parallel.compute_part

    def failing(path, part, *args):
        if os.getpid() != parent and part.start > 200_000:
            raise MemoryError("no memory left")
        return compute(path, part, *args)

    monkeypatch.setattr(parallel, "compute_part", failing)
    alone, _ = build(tmp_path, synthetic, monkeypatch, parallel_build=False)
    both, events = build(tmp_path, synthetic, monkeypatch, parallel_build=True)
    assert events == ["parallel", "worker", "alone"]
    assert rows(both) == rows(alone)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_parts_start_at_items_and_know_their_lines(tmp_path, newline):
    """Every part but the first starts with an element of ``items:``; the parts cover the file; each
    knows its first line as the YAML parser counts lines (CR LF, and NEL/LS inside text)."""
    body = ["categories:", "- id: 1", "  name: 甲", "items:"]
    for n in range(1, 40):
        body += [f"- number: {n}", f'  name: "事项{n}\u2028 续"', "  tips:", '  - "一条\u0085 两条"', f"  - {'长' * n}"]
    text = newline.join(body) + newline
    path = tmp_path / "items.yaml"
    path.write_bytes(text.encode())
    got = list(parts.cut(path, 50))
    assert got[0].start == 0 and got[-1].end == len(text.encode())
    assert all(a.end == b.start for a, b in itertools.pairwise(got))
    if newline == "\r":  # lines broken by CR alone (old Mac files) are not cut: one part, read whole
        assert len(got) == 1
        return
    assert len(got) > 10
    data = text.encode()
    element = b"- number: "
    # the line the parser (libyaml, as the build) gives each element, by where its mapping starts
    nodes = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    items = next(v for k, v in nodes.value if k.value == "items")
    starts = {n.start_mark.index: n.start_mark.line + 1 for n in items.value}
    assert len(starts) == 39
    for part in got[1:]:
        assert data[part.start : part.start + len(element)] == element
        assert starts[len(data[: part.start + 2].decode())] == part.first_line


def test_a_file_without_a_plain_items_list_is_one_part(tmp_path):
    path = tmp_path / "items.yaml"
    path.write_text("categories: []\nitems: [{number: 1}, {number: 2}]\n", encoding="utf-8")
    assert [(p.start, p.end, p.first_line) for p in parts.cut(path, 1)] == [(0, path.stat().st_size, 1)]


def test_the_worker_ends_when_the_build_is_killed(tmp_path, synthetic):
    """A clerk closes the terminal in the middle of a first build: the worker does not live on."""
    import signal
    import time

    script = f"""
import os, sys, time
from rsguide.kb import cache, parallel
parallel.MIN_BYTES = 0
parallel.PART_BYTES = 65536
start = parallel._Worker.__init__
def spy(self, *args):
    start(self, *args)
    open({str(tmp_path / "worker")!r}, "w").write(str(self.process.pid))
parallel._Worker.__init__ = spy
compute = parallel.compute_part
def slow(*args):
    time.sleep(0.5)
    return compute(*args)
parallel.compute_part = slow
directory = {str(tmp_path / "cache")!r}
os.makedirs(directory, mode=0o700)
cache._build(directory, cache.store_path(directory, "k" * 64), "k" * 64, {str(synthetic)!r})
"""
    main = subprocess.Popen([sys.executable, "-c", script])
    pid_file = tmp_path / "worker"
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    time.sleep(0.5)
    main.send_signal(signal.SIGKILL)
    main.wait()

    def alive(pid: int) -> bool:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
        return "State:\tZ" not in status

    deadline = time.monotonic() + 15
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        assert not alive(worker)
    finally:
        if alive(worker):
            os.kill(worker, signal.SIGKILL)
