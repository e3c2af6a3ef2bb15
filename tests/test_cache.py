"""The compiled knowledge base: one SQLite store, rebuilt when data or version change, never a wrong
answer, never code from the cache, never a file that is not its own."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field

import pytest

from rsguide.kb import cache
from rsguide.kb.loader import load
from rsguide.kb.store import Store, connect, read_card, write_store
from rsguide.search.engine import SearchIndex, build_index, search

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(d))
    return d


def the_store(cache_dir):
    (store,) = cache_dir.glob("kb-*.sqlite")
    return store


def show_json(run, data, query="2"):
    result = run("--data", str(data), "show", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_one_sqlite_store_no_pickle_private_folder(cache_dir, data_copy):
    kb1, idx1 = cache.load(data_copy)
    store = the_store(cache_dir)
    assert store.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not [p for p in cache_dir.rglob("*") if "pickle" in p.name or p.suffix == ".bin"]
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    kb2, idx2 = cache.load(data_copy)
    assert kb2 == kb1 == load(data_copy)
    assert idx2 is not None and list(idx2.texts) == idx1.texts


def test_store_answers_like_the_index_in_memory(cache_dir, data_copy, kb):
    memory = build_index(kb)
    store = cache.open_store(data_copy)
    assert store is not None
    stored = store.index()
    for q in (
        "社保卡丢了",
        "sbk",
        "失业登纪",
        "失業登記",
        "身份证",
        "sbk换领",
        "怎么办理退休",
        "调档",
        "量子物理",
        "14",
    ):
        assert search(stored, q) == search(memory, q), q


def test_store_reads_single_items_and_names(cache_dir, data_copy, kb):
    store = cache.open_store(data_copy)
    assert store is not None
    assert store.item(4) == kb.item(4) and store.item(999) is None
    assert store.exact_number("失业登记") == 2 and store.exact_number("无此事项") is None
    assert store.item_count == len(kb.items) and store.last_number == kb.last_number
    assert store.core().offices == kb.offices and store.core().prohibited == kb.prohibited


def test_card_reads_the_same_stored_as_text_or_compressed(cache_dir, data_copy, run):
    store = cache.open_store(data_copy)
    assert store is not None
    conn = sqlite3.connect(store.path)
    types = conn.execute("SELECT typeof(plain), typeof(json_text), typeof(blocks) FROM items WHERE number = 2").fetchone()
    assert types == ("text", "blob", "text")  # short texts are not worth zlib's time
    cards = {form: store.card(2, form) for form in ("plain", "json_text", "blocks")}
    assert cards["plain"] == run("--data", str(data_copy), "show", "2", "-f", "plain").stdout
    store.close()
    for form in ("plain", "blocks"):  # a card stored compressed reads back the same
        conn.execute(f"UPDATE items SET {form} = ? WHERE number = 2", (zlib.compress(cards[form].encode()),))
    conn.commit()
    conn.close()
    again = connect(store.path)
    assert {form: read_card(again, 2, form) for form in cards} == cards
    again.close()


def test_index_fields_are_stored_by_shape_not_by_name(tmp_path, kb):
    @dataclass
    class Extended(SearchIndex):
        concepts: dict[str, list[int]] = field(default_factory=dict)
        concept_names: dict[str, str] = field(default_factory=dict)
        version: int = 0

    base = build_index(kb)
    index = Extended(**{f: getattr(base, f) for f in SearchIndex.__dataclass_fields__})
    index.concepts = {"退休": [24, 25, 26]}
    index.concept_names = {"退休": "退休类"}
    index.version = 7
    path = str(tmp_path / "kb-x.sqlite")
    write_store(path, "k", kb, index)
    read = Store(path, "k").index()
    assert list(read.concepts["退休"]) == [24, 25, 26] and "失业" not in read.concepts
    assert read.concept_names == {"退休": "退休类"} and read.version == 7


def test_large_lexicon_tables_are_rows_read_on_demand_with_the_same_answers(tmp_path, kb, index, monkeypatch):
    """A province's concept lexicon (an item → description table of 100,000 rows) is not parsed whole
    for a query: tables over the threshold are stored as rows of their own. Shown here with the
    threshold lowered so that the 36-item lexicon is split: the answers do not change."""
    from rsguide.kb import store as store_module
    from rsguide.search.engine import analyse

    monkeypatch.setattr(store_module, "SPLIT_BYTES", 64)
    path = str(tmp_path / "kb-x.sqlite")
    write_store(path, "k", kb, index)
    read = Store(path, "k").index()
    assert not isinstance(read.concepts["described"], dict)  # read a row at a time
    assert dict(read.concepts["described"]) == index.concepts["described"]
    for query in ("失业了怎么领失业金", "社保卡丢了咋整", "退休了档案放哪", "单位给员工办就业登记", "公积金提取"):
        mine, stored = analyse(index, query), analyse(read, query)
        assert stored.hits == mine.hits and stored.related == mine.related


def test_the_concept_data_reads_back_as_written(tmp_path, kb, index):
    path = str(tmp_path / "kb-x.sqlite")
    write_store(path, "k", kb, index)
    assert Store(path, "k").part("concepts") == kb.concepts  # item descriptions included (a Mapping field)


def test_rebuilt_when_the_data_changes(cache_dir, data_copy, run):
    assert show_json(run, data_copy)["name"] == "失业登记"
    items = data_copy / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    name: 失业登记\n", "    name: 失业登记（新）\n"),
        encoding="utf-8",
    )
    assert show_json(run, data_copy)["name"] == "失业登记（新）"


@pytest.mark.parametrize("name", ["synonyms.yaml", "concepts.yaml", "eligibility.yaml"])
def test_every_data_file_is_part_of_the_key(cache_dir, data_copy, run, name):
    # The vocabulary files change answers as much as the items do: a cached answer must never
    # outlive them (a broken file is reported, a removed one changes the key).
    from rsguide.kb.paths import OPTIONAL_FILES

    assert name in OPTIONAL_FILES
    before = cache.content_key(str(data_copy))
    assert run("--data", str(data_copy), "show", "4", "-f", "json").exit_code == 0
    (data_copy / name).write_text("version: [[[\n  bad: :\n", encoding="utf-8")
    broken = run("--data", str(data_copy), "show", "4", "-f", "json")
    assert broken.exit_code == 3 and "YAML" in broken.stderr, broken.stderr
    (data_copy / name).unlink()
    assert cache.content_key(str(data_copy)) != before


def test_same_size_and_restored_mtime_is_noticed(cache_dir, data_copy, run):
    assert show_json(run, data_copy)["name"] == "失业登记"
    items = data_copy / "items.yaml"
    before = items.stat()
    text = items.read_text(encoding="utf-8").replace("    name: 失业登记\n", "    name: 失业登纪\n")
    items.write_text(text, encoding="utf-8")  # same length in bytes
    os.utime(items, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert items.stat().st_size == before.st_size and items.stat().st_mtime_ns == before.st_mtime_ns
    assert show_json(run, data_copy)["name"] == "失业登纪"


def test_key_depends_on_version(data_copy, monkeypatch):
    key = cache.content_key(data_copy)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.content_key(data_copy) != key


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed"])
def test_damaged_store_falls_back_to_yaml(cache_dir, data_copy, run, damage):
    cache.load(data_copy)
    store = the_store(cache_dir)
    raw = store.read_bytes()
    if damage == "garbage":
        store.write_bytes(b"not a database" * 100)
    elif damage == "truncated":
        store.write_bytes(raw[: len(raw) // 2])
    else:
        store.write_bytes(raw[:8192] + bytes(len(raw) - 8192))
    for args in (["show", "4"], ["show", "失业金"], ["search", "社保卡"], ["show", "36", "--format", "plain"]):
        result = run("--data", str(data_copy), *args, "--format", "json") if "--format" not in args else None
        result = result or run("--data", str(data_copy), *args)
        assert result.exit_code == 0 and "Traceback" not in result.output, (damage, args)
    assert show_json(run, data_copy, "4")["name"] == "失业保险金申领"
    assert show_json(run, data_copy, "36")["name"] == "社会保障卡应用状态查询"


def test_store_of_another_key_is_ignored(cache_dir, data_copy):
    cache.load(data_copy)
    path = the_store(cache_dir)
    items = data_copy / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    name: 失业登记\n", "    name: 失业登记（改）\n"),
        encoding="utf-8",
    )
    other = cache.cache_file(cache.content_key(data_copy))
    shutil.copy2(path, other)  # a stale store under the new name: its key does not match
    kb, _ = cache.load(data_copy)
    assert kb == load(data_copy) and kb.item(2).name == "失业登记（改）"


def plant(cache_dir, data_copy, run):
    """Build the store, then change its answer for item 2 (as someone who can write the folder could)."""
    run("--data", str(data_copy), "show", "2")
    store = the_store(cache_dir)
    conn = sqlite3.connect(store)
    conn.execute("UPDATE names SET number = 3 WHERE key = '失业登记'")
    conn.execute("UPDATE items SET json = replace(json, '失业登记', '被篡改') WHERE number = 2")
    conn.commit()
    conn.close()
    return store


def test_store_in_a_group_writable_folder_is_not_used(cache_dir, data_copy, run):
    plant(cache_dir, data_copy, run)
    cache_dir.chmod(0o770 | stat.S_IWGRP)
    cache._warned.clear()
    result = run("--data", str(data_copy), "show", "失业登记", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["number"] == 2
    assert json.loads(result.stdout)["name"] == "失业登记"
    (warning,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert "缓存目录" in warning and "已忽略缓存" in warning
    assert show_json(run, data_copy, "2")["name"] == "失业登记"


def test_group_writable_store_file_is_not_used(cache_dir, data_copy, run):
    store = plant(cache_dir, data_copy, run)
    store.chmod(0o666)
    cache._warned.clear()
    result = run("--data", str(data_copy), "show", "2", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["name"] == "失业登记"
    assert "缓存文件" in result.stderr


def test_cache_folder_is_created_private(tmp_path, monkeypatch, data_copy, run):
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(tmp_path / "a" / "cache"))
    run("--data", str(data_copy), "show", "4")
    assert stat.S_IMODE((tmp_path / "a" / "cache").stat().st_mode) == 0o700


def test_default_cache_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("RSGUIDE_CACHE_DIR", raising=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG on Linux only")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "rsguide")
    from platformdirs import user_cache_dir

    assert cache.cache_dir() == user_cache_dir("rsguide", appauthor=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "  ")
    assert cache.cache_dir() == user_cache_dir("rsguide", appauthor=False)


def test_pruning_deletes_only_its_own_stores(tmp_path, monkeypatch, data_copy, run):
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    work.mkdir(mode=0o700)
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(work))
    for year in range(2016, 2026):  # a user's folders and files that look like stores
        (work / f"kb-{year}").mkdir()
        (work / f"kb-{year}" / "report.txt").write_text("keep")
    (work / "kb-notes.sqlite").write_text("keep")
    (work / "kb-0123456789abcdef01234567.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(100))  # not ours
    outside = tmp_path / "precious.sqlite"
    outside.write_bytes(b"keep")
    (work / "kb-76543210fedcba9876543210.sqlite").symlink_to(outside)
    for n in range(cache.KEEP + 3):  # more knowledge bases than the cache keeps
        items = data_copy / "items.yaml"
        items.write_text(items.read_text(encoding="utf-8") + f"\n# {n}\n", encoding="utf-8")
        assert run("--data", str(data_copy), "show", "4").exit_code == 0
    assert len([p for p in work.iterdir() if cache.is_own_store(str(p))]) == cache.KEEP
    assert run("cache", "clear").exit_code == 0
    assert not [p for p in work.iterdir() if cache.is_own_store(str(p))]
    for year in range(2016, 2026):
        assert (work / f"kb-{year}" / "report.txt").read_text() == "keep"
    assert (work / "kb-notes.sqlite").read_text() == "keep"
    assert (work / "kb-0123456789abcdef01234567.sqlite").exists()
    assert (work / "kb-76543210fedcba9876543210.sqlite").is_symlink() and outside.read_bytes() == b"keep"


def test_leftovers_of_killed_runs_and_full_disks_are_cleaned(cache_dir, data_copy, run):
    cache_dir.mkdir(mode=0o700)
    old = time.time() - 2 * cache.STALE_SECONDS
    stale = [cache_dir / ".kb-tmp-123-abcdef.sqlite", cache_dir / ".kb-tmp-123-abcdef.sqlite-journal"]
    stale.append(cache_dir / "key-0123456789abcdef.77.tmp")
    fresh = cache_dir / ".kb-tmp-456-fedcba.sqlite"  # perhaps another run building right now
    for p in [*stale, fresh]:
        p.write_bytes(b"")
        p.chmod(0o600)
    for p in stale:
        os.utime(p, (old, old))
    old_format = cache_dir / ".kb-tmp-x1y2z3"  # a folder of the pickle format, left by a killed run
    old_format.mkdir()
    (old_format / "items.bin").write_bytes(b"")
    old_store = cache_dir / f"kb-{'a' * 24}"
    old_store.mkdir()
    for name in ("core.pickle", "items.bin", "index.pickle"):
        (old_store / name).write_bytes(b"\x80\x05.")
    (cache_dir / "key-0123456789abcdef.pickle").write_bytes(b"\x80\x05.")
    assert run("--data", str(data_copy), "show", "4").exit_code == 0
    left = {p.name for p in cache_dir.iterdir()}
    assert not left & {p.name for p in stale} and fresh.name in left
    assert old_format.name not in left and old_store.name not in left
    assert not [name for name in left if name.endswith(".pickle")]


def test_full_disk_leaves_no_key_memo_temp_file(cache_dir, data_copy, monkeypatch):
    cache_dir.mkdir(mode=0o700)
    real_fdopen = os.fdopen

    def full(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        fh.write = lambda text: (_ for _ in ()).throw(OSError(28, "No space left on device"))
        return fh

    monkeypatch.setattr(cache.os, "fdopen", full)
    cache.content_key(data_copy, str(cache_dir))
    assert not list(cache_dir.glob("key-*"))


@pytest.mark.skipif(IS_ROOT, reason="root can write anywhere")
def test_cache_clear_on_a_read_only_folder_is_one_chinese_line(cache_dir, run):
    run("show", "4")
    cache_dir.chmod(0o500)
    try:
        result = run("cache", "clear")
    finally:
        cache_dir.chmod(0o700)
    assert result.exit_code == 6 and "Traceback" not in result.output
    assert result.stderr.startswith("rsguide：无法清除缓存目录")


def test_cache_clear_that_cannot_delete_is_one_chinese_line(cache_dir, run, monkeypatch):
    run("show", "4")

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(cache.os, "unlink", refuse)
    result = run("cache", "clear")
    assert result.exit_code == 6 and "Traceback" not in result.output
    assert result.stderr.startswith("rsguide：无法清除缓存目录") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX byte file names")
def test_data_folder_with_a_non_utf8_name(cache_dir, data_copy, tmp_path, run):
    odd = tmp_path / os.fsdecode(b"\xb9\xa4\xd7\xf7kb")  # GBK bytes
    shutil.copytree(data_copy, odd)
    for _ in range(2):  # built, then read
        assert show_json(run, odd, "失业登记")["number"] == 2
        result = run("--data", str(odd), "search", "社保卡", "--format", "json")
        assert result.exit_code == 0 and "Traceback" not in result.output


@pytest.mark.skipif(IS_ROOT, reason="root can write anywhere")
def test_unwritable_cache_still_answers(tmp_path, monkeypatch, data_copy):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(ro / "sub"))
    kb, _ = cache.load(data_copy)
    assert len(kb.items) == 36


def test_cache_dir_that_is_a_file_still_answers(tmp_path, monkeypatch, data_copy, run):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(blocker))
    assert show_json(run, data_copy, "4")["number"] == 4


def test_concurrent_first_runs(cache_dir, data_copy):
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(cache_dir)}
    cmd = [sys.executable, "-m", "rsguide", "--data", str(data_copy), "show", "2", "--format", "json"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and json.loads(out)["name"] == "失业登记", err
    assert len(list(cache_dir.glob("kb-*.sqlite"))) == 1
    assert not list(cache_dir.glob(".kb-tmp-*"))


def test_cache_info_and_clear(cache_dir, run):
    run("show", "4")
    info = run("cache", "info")
    assert info.exit_code == 0 and "已生成" in info.stdout and str(cache_dir) in info.stdout
    assert ".sqlite" in info.stdout
    cleared = run("cache", "clear")
    assert cleared.exit_code == 0 and "已删除 1 个缓存文件" in cleared.stdout
    assert "未生成" in run("cache", "info").stdout


def test_no_cache_option(cache_dir, run):
    assert run("--no-cache", "show", "4").exit_code == 0
    assert not cache_dir.exists() or not list(cache_dir.glob("kb-*"))


def test_session_reads_through_the_store(cache_dir, data_copy, kb):
    from rsguide.session import Catalog, Session

    session = Session(data_copy)
    assert isinstance(session.catalog, Catalog)
    assert session.catalog.item(14) == kb.item(14) and session.catalog.category(1) == kb.category(1)
    assert session.item_count() == 36
    assert search(session.index(), "失业金")[0].number == 4
    assert session.kb == kb


@pytest.mark.parametrize(
    "args",
    [
        ["show", "失业登记", "--format", "plain"],
        ["show", "4", "--format", "json"],
        ["--no-color", "show", "退休"],
        ["search", "社保卡", "-f", "csv"],
        ["search", "sbk", "--limit", "2", "--format", "json"],
        ["show", "量子物理"],
        ["show", "4", "--format", "xml"],
        ["show", "99"],
        ["--data", "/nonexistent", "show", "4"],
    ],
)
def test_fast_show_and_full_cli_agree(run, run_full, args):
    run(*args)  # the store is built
    fast, full = run(*args), run_full(*args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (full.exit_code, full.stdout, full.stderr)


def test_stored_cards_are_what_show_prints(cache_dir, run, run_full, monkeypatch):
    from rsguide.cli import fastshow
    run("show", "1")
    for number in range(1, 37):
        for fmt in ("plain", "json", "table"):
            args = ["--no-color", "show", str(number), "--format", fmt]
            assert fastshow.parse_show(args) is not None
            fast, full = run(*args), run_full(*args)
            assert (fast.exit_code, fast.stdout) == (full.exit_code, full.stdout), (number, fmt)
    card = fastshow.find_card("失业登记", None, "plain")
    assert card is not None and card.startswith("第2项  失业登记")


def test_fast_show_leaves_the_rest_to_the_full_cli():
    from rsguide.cli.fastshow import parse_show

    for args in (
        ["show", "4", "-o", "x"],
        ["show", "--help"],
        ["show"],
        ["materials", "4"],
        ["show", "a", "b"],
        ["--bogus", "show", "4"],
        ["show", "4", "--format", "csv"],
        ["--no-pager", "show", "4"],
    ):
        assert parse_show(args) is None, args


def test_streamed_store_in_batches_equals_the_whole_store(tmp_path, kb, monkeypatch):
    """The streamed build (items staged, then cards and index a batch at a time) writes what the
    in-memory build writes, whatever the batches (a bigram's items come in 序号 order)."""
    from rsguide.kb import loader as kb_module
    from rsguide.kb import store as store_module

    whole = tmp_path / "whole.sqlite"
    write_store(str(whole), "k", kb, build_index(kb))
    for batch in (store_module.BATCH, 5):
        monkeypatch.setattr(store_module, "BATCH", batch)
        streamed = tmp_path / f"streamed-{batch}.sqlite"
        writer = store_module.StoreWriter(str(streamed))
        writer.finish(kb_module.load_streaming(None, writer.add), "k")
        writer.close()
        a, b = sqlite3.connect(whole), sqlite3.connect(streamed)
        for (table,) in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            rows_a = a.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            rows_b = b.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            assert rows_a == rows_b, (batch, table)
        store = Store(str(streamed), "k")
        assert [h.number for h in search(store.index(), "社保卡补办")[:3]] == [
            h.number for h in search(build_index(kb), "社保卡补办")[:3]
        ]
        store.close()


def test_invalid_data_leaves_no_store_and_no_temporary_file(cache_dir, data_copy, run):
    items = data_copy / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace("category: 1\n", "category: 99\n", 1), encoding="utf-8")
    result = run("--data", str(data_copy), "show", "4")
    assert result.exit_code != 0 and "类别 99 不存在" in result.output
    assert not [p for p in cache_dir.iterdir() if p.name.endswith(".sqlite") or p.name.startswith(".kb-tmp-")]


def _cap(positions: list[int], cap: int, group) -> list[int]:
    """The reference cap, as plain as it can be written: the first ``cap`` positions of each group."""
    if len(positions) <= cap:
        return positions
    if group is None:
        return positions[:cap]
    seen: dict[object, int] = {}
    out: list[int] = []
    for pos in positions:
        g = group[pos]
        if seen.get(g, 0) < cap:
            seen[g] = seen.get(g, 0) + 1
            out.append(pos)
    return out


def test_capping_packed_positions_keeps_what_the_plain_cap_keeps():
    """The build caps candidate lists in C loops (_cap_packed); it keeps exactly the positions the plain
    cap keeps: the first ``cap`` of each group (field), in order."""
    import random
    from array import array

    from rsguide.kb.store import _cap_packed, _group_codes

    rng = random.Random(7)
    for trial in range(200):
        n = rng.randint(1, 2000)
        if trial % 3:
            groups = [rng.choice("名称别名口语拼音材料说明"[: rng.randint(1, 12)]) for _ in range(n)]
        else:  # one group holding most positions
            groups = ["材料" if rng.random() < 0.9 else rng.choice(["名称", "别名"]) for _ in range(n)]
        positions = sorted(rng.sample(range(n), rng.randint(0, n)))
        cap = rng.choice([1, 3, 40, 256, 4001])
        packed = array("i", positions).tobytes()
        assert list(array("i", _cap_packed(packed, cap, _group_codes(groups)))) == _cap(positions, cap, groups)
        assert list(array("i", _cap_packed(packed, cap, None))) == _cap(positions, cap, None)


def test_streamed_store_caps_lists_as_the_whole_store_does(tmp_path, kb, monkeypatch):
    """Candidate lists capped as they grow, batch after batch, keep what capping the whole list keeps
    (caps of a few positions, so that the 36 items fill them)."""
    from rsguide.kb import loader as kb_module
    from rsguide.kb import store as store_module

    monkeypatch.setattr(store_module, "LIST_CAP", 3)
    monkeypatch.setattr(store_module, "LIST_CAPS", {"by_text": 2})
    monkeypatch.setattr(store_module, "BATCH", 4)
    whole = tmp_path / "whole.sqlite"
    write_store(str(whole), "k", kb, build_index(kb))
    streamed = tmp_path / "streamed.sqlite"
    writer = store_module.StoreWriter(str(streamed))
    writer.finish(kb_module.load_streaming(None, writer.add), "k")
    writer.close()
    a, b = sqlite3.connect(whole), sqlite3.connect(streamed)
    capped = a.execute("SELECT count(*) FROM ix_map WHERE field = 'postings' AND length(value) >= 12").fetchone()[0]
    assert capped > 20  # many lists reached the cap
    for table in ("ix_map", "ix_rows", "ix_layout", "ix_value"):
        assert a.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == b.execute(
            f"SELECT * FROM {table} ORDER BY 1, 2"
        ).fetchall(), table
    # exact texts: the first 2 positions of each field, as the in-memory index's lists capped
    memory = build_index(kb)
    store = Store(str(streamed), "k")
    shared = [t for t, positions in memory.by_text.items() if len(positions) > 2]
    assert len(shared) > 5
    for text in shared:
        assert store.index().by_text[text] == _cap(memory.by_text[text], 2, memory.fields), text
    assert store.index().by_text.get("没有这个材料") is None
    store.close()
