"""Start-up discipline: the commonest commands don't import what they don't use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("pypinyin", "opencc", "chinese_calendar", "jinja2", "prompt_toolkit", "yaml", "typer", "rich")

PROBE = """
import sys
from rsguide.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted({m.split('.')[0] for m in sys.modules})
print('\\nMODULES', ' '.join(loaded), file=sys.stderr)
"""


def loaded_modules(*args: str) -> set[str]:
    env = {**os.environ}
    subprocess.run([sys.executable, "-c", PROBE, "show", "4"], env=env, capture_output=True, check=False)  # warm
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, check=False)
    line = [x for x in proc.stderr.decode().splitlines() if x.startswith("MODULES ")][-1]
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("show", "4", "--format", "plain"), ("show", "失业登记", "--format", "json")])
def test_show_by_number_or_name_loads_nothing_heavy(args):
    loaded = loaded_modules(*args)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_table_output_loads_rich_but_not_typer():
    loaded = loaded_modules("show", "失业登记")
    assert "rich" in loaded
    assert not loaded & {"pypinyin", "opencc", "chinese_calendar", "jinja2", "typer", "yaml"}


def test_help_loads_no_domain_libraries():
    loaded = loaded_modules("--help")
    assert not loaded & {"pypinyin", "opencc", "chinese_calendar", "jinja2", "prompt_toolkit"}
