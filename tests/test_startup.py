"""Start-up discipline: the commonest commands don't import what they don't use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("pypinyin", "opencc", "chinese_calendar", "jinja2", "prompt_toolkit", "yaml", "typer", "rich")
NOT_FOR_SHOW = ("rsguide.model", "rsguide.search.engine", "rsguide.output.views", "pathlib", "platformdirs", "dataclasses", "pickle", "typing")

PROBE = """
import sys
from rsguide.cli.fastshow import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted(sys.modules)
print('\\nMODULES', ' '.join(loaded), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def user_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The real user path: no RSGUIDE_CACHE_DIR, the default cache folder (under a temporary XDG_CACHE_HOME)."""
    env = {k: v for k, v in os.environ.items() if k != "RSGUIDE_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg"))
    return env


def loaded_modules(env: dict[str, str], *args: str) -> set[str]:
    subprocess.run([sys.executable, "-c", PROBE, "show", "4"], env=env, capture_output=True, check=False)  # warm
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, check=False)
    line = [x for x in proc.stderr.decode().splitlines() if x.startswith("MODULES ")][-1]
    return set(line.split()[1:])


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("args", [("show", "4", "--format", "plain"), ("show", "失业登记", "--format", "json")])
def test_show_by_number_or_name_reads_one_row_and_loads_nothing_else(user_env, args):
    loaded = loaded_modules(user_env, *args)
    assert not top(loaded) & set(HEAVY), top(loaded) & set(HEAVY)
    assert not loaded & set(NOT_FOR_SHOW), loaded & set(NOT_FOR_SHOW)
    assert "sqlite3" in loaded


def test_table_output_loads_neither_rich_nor_typer_nor_the_model(user_env):
    # Chinese text is measured without Rich's width tables; the table is drawn by output.terminal.
    loaded = loaded_modules(user_env, "show", "失业登记")
    assert "rsguide.output.terminal" in loaded
    assert not top(loaded) & set(HEAVY)
    assert not loaded & set(NOT_FOR_SHOW), loaded & set(NOT_FOR_SHOW)


def test_search_does_not_load_the_phrase_dictionary_for_plain_chinese(user_env):
    loaded = loaded_modules(user_env, "search", "社保卡")
    assert not top(loaded) & {"pypinyin", "typer", "yaml"}


def test_help_loads_no_domain_libraries(user_env):
    loaded = loaded_modules(user_env, "--help")
    assert not top(loaded) & {"pypinyin", "opencc", "chinese_calendar", "jinja2", "prompt_toolkit"}


def test_simplified_search_does_not_load_opencc(user_env):
    """A simplified query has no character that t2s changes: OpenCC's dictionaries are not loaded."""
    loaded = loaded_modules(user_env, "search", "社保卡", "--format", "plain")
    assert "opencc" not in loaded and "shutil" not in loaded and "subprocess" not in loaded


def test_traditional_search_still_converts(user_env):
    out = subprocess.run(
        [sys.executable, "-m", "rsguide", "show", "失業登記", "--format", "plain"], env=user_env, capture_output=True
    )
    assert out.returncode == 0 and "失业登记" in out.stdout.decode()


def test_t2s_characters_match_opencc():
    """The precomputed set is exactly the CJK characters OpenCC's t2s changes on their own."""
    opencc = pytest.importorskip("opencc")
    from rsguide.search.normalize import normalize
    from rsguide.search.t2s_chars import T2S_CHARS

    conv = opencc.OpenCC("t2s")
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF)]
    changed = {chr(cp) for a, b in ranges for cp in range(a, b + 1) if conv.convert(chr(cp)) != chr(cp)}
    assert changed == T2S_CHARS
    assert normalize("失業登記") == "失业登记" and normalize("社保卡") == "社保卡"
