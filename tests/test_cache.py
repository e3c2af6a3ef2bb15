"""The compiled knowledge base: rebuilt when data or version change, never a wrong answer."""

from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

from rsguide import cache
from rsguide.kb import load


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(d))
    return d


def test_built_once_then_read(cache_dir, data_copy):
    kb1, idx1 = cache.load(data_copy)
    (store,) = cache_dir.glob("kb-*")
    assert {p.name for p in store.iterdir()} == {"core.pickle", "items.bin", "index.pickle"}
    kb2, idx2 = cache.load(data_copy)
    assert kb2 == kb1 and idx2 is not None and idx2.texts == idx1.texts


def test_rebuilt_when_the_data_changes(cache_dir, data_copy, run):
    assert json.loads(run("--data", str(data_copy), "show", "2", "--format", "json").stdout)["name"] == "失业登记"
    items = data_copy / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    name: 失业登记\n", "    name: 失业登记（新）\n"),
        encoding="utf-8",
    )
    assert json.loads(run("--data", str(data_copy), "show", "2", "--format", "json").stdout)["name"] == "失业登记（新）"


def test_key_depends_on_version(data_copy, monkeypatch):
    key = cache.content_key(data_copy)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.content_key(data_copy) != key


@pytest.mark.parametrize("damaged", ["core.pickle", "items.bin", "index.pickle"])
def test_corrupt_cache_falls_back_to_yaml(cache_dir, data_copy, run, damaged):
    cache.load(data_copy)
    (store,) = cache_dir.glob("kb-*")
    (store / damaged).write_bytes(b"not a pickle")
    kb, _idx = cache.load(data_copy)
    assert kb == load(data_copy)
    (store,) = cache_dir.glob("kb-*")
    (store / damaged).write_bytes(b"\x80\x05garbage")
    for args in (["show", "4"], ["show", "失业金"], ["search", "社保卡"]):
        result = run("--data", str(data_copy), *args, "--format", "json")
        assert result.exit_code == 0 and "Traceback" not in result.output, (damaged, args)
    assert json.loads(run("--data", str(data_copy), "show", "4", "--format", "json").stdout)["name"] == "失业保险金申领"


def test_truncated_items_file_is_not_a_wrong_answer(cache_dir, data_copy, run):
    run("--data", str(data_copy), "show", "4")
    (store,) = cache_dir.glob("kb-*")
    items = store / "items.bin"
    items.write_bytes(items.read_bytes()[: len(items.read_bytes()) // 2])
    data = json.loads(run("--data", str(data_copy), "show", "36", "--format", "json").stdout)
    assert data["number"] == 36 and data["name"] == "社会保障卡应用状态查询"


def test_cache_of_another_key_is_ignored(cache_dir, data_copy):
    cache.load(data_copy)
    (path,) = cache_dir.glob("kb-*")
    items = data_copy / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    name: 失业登记\n", "    name: 失业登记（改）\n"),
        encoding="utf-8",
    )
    other = cache.cache_file(cache.content_key(data_copy))
    shutil.copytree(path, other)  # a stale store under the new name: its key does not match
    kb, _ = cache.load(data_copy)
    assert kb == load(data_copy) and kb.item(2).name == "失业登记（改）"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
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
    result = run("--data", str(data_copy), "show", "4", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["number"] == 4


def test_cache_info_and_clear(cache_dir, run):
    run("show", "4")
    info = run("cache", "info")
    assert info.exit_code == 0 and "已生成" in info.stdout and str(cache_dir) in info.stdout
    cleared = run("cache", "clear")
    assert cleared.exit_code == 0 and "已删除 1 个缓存文件" in cleared.stdout
    assert "未生成" in run("cache", "info").stdout


def test_no_cache_option(cache_dir, run):
    assert run("--no-cache", "show", "4").exit_code == 0
    assert not cache_dir.exists() or not list(cache_dir.glob("kb-*"))

