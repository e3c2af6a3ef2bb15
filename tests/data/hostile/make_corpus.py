"""The hostile corpus: knowledge bases as an attacker would hand them over (issue 18).

Each case is the packaged knowledge base with one thing changed; the small static files next to
this script (``alias-bomb.yaml``, ``alias-recursive.yaml``, ``raw-escapes.yaml``) replace
``items.yaml`` whole, the rest is generated here because the files would be huge (200,000
characters, 100,000 aliases, 21 MB) or cannot be stored in git (a FIFO, a symlink to /dev/zero).

``expect`` says what rsguide must do: ``refused`` — every command exits 3 with the file (and
line) named on stderr and nothing on stdout; ``loads`` — the data is valid and dangerous only to
what reads our output (a spreadsheet, a wiki, a terminal), so every command and format runs.

Run ``python tests/data/hostile/make_corpus.py OUT`` to build the folders by hand.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGED = HERE.parents[2] / "data"


@dataclass
class Case:
    """One hostile knowledge base."""

    name: str
    row: str  # the row of issue 18 it belongs to
    expect: str  # "refused" or "loads"
    folder: Path
    where: str = ""  # for refused: what stderr must name, e.g. "items.yaml:75"
    env: dict[str, str] = field(default_factory=dict)


# (name, row, file, old text, new text, where) — one replacement in a copy of the packaged data
_ITEM2 = "    name: 失业登记\n"
_TIPS2 = "      - 为保障您便捷快速办理失业登记，建议您优先选择“网上办”或“掌上办”方式办理。\n"
_MATERIAL2 = "          - name: 与为其最后缴纳失业保险单位的终止、解除劳动关系材料\n"
_PATCHES: list[tuple[str, str, str, str, str, str]] = [
    (
        "esc-csi-erase-line",
        "escape sequences",
        "items.yaml",
        _ITEM2,
        '    name: "失业登记\\e[2K\\e[1A"\n',
        "items.yaml:75",
    ),
    ("osc0-window-title", "escape sequences", "items.yaml", _TIPS2, '      - "\\e]0;pwned\\a提示"\n', "items.yaml:106"),
    (
        "osc8-hidden-link",
        "escape sequences",
        "items.yaml",
        _TIPS2,
        '      - "\\e]8;;http://evil.example/\\e\\\\点这里\\e]8;;\\e\\\\"\n',
        "items.yaml:106",
    ),
    (
        "osc52-clipboard",
        "escape sequences",
        "items.yaml",
        "            text: 劳动者需申领失业金",
        '            text: "\\e]52;c;cm0gLXJmIH4=\\a"\n            remark: 劳动者需申领失业金',
        "items.yaml:92",
    ),
    ("bidi-rlo-name", "escape sequences", "items.yaml", _ITEM2, "    name: 失业\u202e登记\n", "items.yaml:75"),
    (
        "c1-csi-intro",
        "escape sequences",
        "items.yaml",
        "    intro: 劳动年龄内",
        '    intro: "\\x9b2J"\n    legal_basis: 劳动年龄内',
        "items.yaml:78",
    ),
    (
        "nul-category",
        "tracebacks (NUL category)",
        "items.yaml",
        "name: 就业失业登记服务事项}",
        'name: "就业\\0服务"}',
        "items.yaml:5",
    ),
    ("tab-in-name", "escape sequences", "items.yaml", _ITEM2, '    name: "失业\\t登记"\n', "items.yaml:75"),
    (
        "cr-in-text",
        "escape sequences",
        "items.yaml",
        "        text: ②“窗口办”：需要提供要件（可容缺受理）",
        '        text: "需要\\r禁办"',
        "items.yaml:87",
    ),
    (
        "int-over-2e63",
        "tracebacks (sqlite)",
        "items.yaml",
        "    page: 13\n",
        "    page: 18446744073709551617\n",
        "items.yaml:77",
    ),
    (
        "int-5000-digits",
        "tracebacks (sqlite)",
        "items.yaml",
        "    page: 13\n",
        "    page: " + "9" * 5000 + "\n",
        "items.yaml:77",
    ),
    ("impossible-date", "tracebacks", "items.yaml", "    page: 13\n", "    page: 2026-13-45\n", "items.yaml"),
    (
        "esc-in-key",
        "escape sequences",
        "items.yaml",
        "    page: 13\n",
        '    page: 13\n    "pa\\e[8mge": 1\n',
        "items.yaml:78",
    ),
    (
        "list-as-key",
        "long fields (short repr)",
        "items.yaml",
        "    page: 13\n",
        "    page: 13\n    ? [a, b]\n    : 1\n",
        "items.yaml",
    ),
    (
        "huge-list-for-name",
        "long fields (short repr)",
        "items.yaml",
        _ITEM2,
        "    name: [" + ", ".join(["失业登记"] * 20000) + "]\n",
        "列表（20000 项）",
    ),
    (
        "rule-cursor-up",
        "escape sequences",
        "rules.yaml",
        "  - number: 1\n",
        '  - number: 1\n    subject: "\\e[1A\\e[2K"\n',
        "rules.yaml",
    ),
    (
        "office-osc-address",
        "escape sequences",
        "offices.yaml",
        "    address: ",
        '    address: "\\e]0;x\\a"\n    windows: ',
        "offices.yaml",
    ),
    (
        "synonym-esc",
        "escape sequences",
        "synonyms.yaml",
        "synonyms:\n",
        'synonyms:\n  "\\e[31m红": [失业]\n',
        "synonyms.yaml",
    ),
]

# valid data that is dangerous to what reads our output
_LOADS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "html-in-data",
        "raw HTML in Markdown",
        [
            ("items.yaml", _ITEM2, "    name: 失业登记<script>alert(1)</script>\n"),
            ("items.yaml", _MATERIAL2, '          - name: "<img src=x onerror=alert(1)>"\n'),
            (
                "items.yaml",
                "        places: [app-12333, app-liaoshitong]\n",
                '        places: [app-12333, app-liaoshitong]\n        url: "https://x.example/\\"><script>alert(2)</script>"\n',
            ),
            ("items.yaml", _TIPS2, "      - <b onmouseover=alert(3)>提示</b> & [链接](javascript:alert(4))\n"),
        ],
    ),
    (
        "formula-cells",
        "CSV formula injection",
        [
            ("items.yaml", _MATERIAL2, """          - name: '=HYPERLINK("http://evil.example","点我")'\n"""),
            (
                "items.yaml",
                "            text: 劳动者需申领失业金",
                """            text: "\\t=1+1"\n            remark: "=cmd|' /C calc'!A0"\n            source: "@SUM(A1)"\n            label: "+1"\n            form: 原件\n            copies: 1\n            tolerance: 告知承诺\n            when: [申领失业金]\n          - name: "-2+3"\n            text: 劳动者需申领失业金""",
            ),
            ("items.yaml", _TIPS2, "      - '=1+1'\n"),
        ],
    ),
    (
        "long-category-name",
        "tracebacks (>255-byte category name)",
        [("items.yaml", "name: 就业失业登记服务事项}", "name: ../../" + "就业" * 50 + "}")],
    ),
]


_GENERATED = [
    ("alias-bomb", "refused"),
    ("alias-recursive", "refused"),
    ("raw-escapes", "refused"),
    ("amplification-100k-aliases", "refused"),
    ("name-200k-chars", "refused"),
    ("intro-200k-chars", "refused"),
    ("nesting-10000-deep", "refused"),
    ("items-dev-zero", "refused"),
    ("rules-fifo", "refused"),
    ("offices-directory", "refused"),
    ("items-21mb-sparse", "refused"),
    ("items-gbk", "refused"),
    ("packaged-max-mb-inf", "loads"),
]


def catalogue() -> list[tuple[str, str]]:
    """(name, expect) of every case, without building any."""
    return [(p[0], "refused") for p in _PATCHES] + [(name, "loads") for name, _row, _p in _LOADS] + _GENERATED


def _copy_packaged(folder: Path) -> None:
    folder.mkdir(parents=True)
    for f in PACKAGED.glob("*.yaml"):
        shutil.copy(f, folder / f.name)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{path.name}: the corpus patch no longer applies: {old!r}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(root: Path) -> list[Case]:
    """Create every case under ``root``; returns them."""
    cases: list[Case] = []

    def new(name: str, row: str, expect: str, where: str = "", env: dict[str, str] | None = None) -> Path:
        folder = root / name
        _copy_packaged(folder)
        cases.append(Case(name, row, expect, folder, where, env or {}))
        return folder

    for name, row, file, old, text, where in _PATCHES:
        _replace(new(name, row, "refused", where) / file, old, text)
    for name, row, patches in _LOADS:
        folder = new(name, row, "loads")
        for file, old, text in patches:
            _replace(folder / file, old, text)
    new("packaged-max-mb-inf", "tracebacks (RSGUIDE_MAX_FILE_MB=inf)", "loads", env={"RSGUIDE_MAX_FILE_MB": "inf"})

    for static, row in (
        ("alias-bomb.yaml", "YAML alias bomb"),
        ("alias-recursive.yaml", "YAML alias bomb"),
        ("raw-escapes.yaml", "escape sequences"),
    ):
        folder = new(static.removesuffix(".yaml"), row, "refused", "items.yaml:")
        shutil.copy(HERE / static, folder / "items.yaml")

    # amplification: one 3,000-character tip aliased 100,000 times (a 474 KB file printing 300 MB)
    folder = new("amplification-100k-aliases", "amplification", "refused", "items.yaml:")
    tip = "长" * 3000
    aliases = ", *t" * 100_000
    _replace(folder / "items.yaml", "    tips:\n" + _TIPS2, f"    tips: [&t {tip}{aliases}]\n")
    # long fields: pinyin of a 200,000-character name was quadratic; the length limit refuses it
    folder = new("name-200k-chars", "long fields", "refused", "items.yaml:75")
    _replace(folder / "items.yaml", _ITEM2, "    name: " + "失业登记" * 50_000 + "\n")
    folder = new("intro-200k-chars", "long fields", "refused", "items.yaml:78")
    _replace(folder / "items.yaml", "    intro: 劳动年龄内", "    intro: " + "劳" * 200_000 + "劳动年龄内")
    folder = new("nesting-10000-deep", "long fields", "refused", "items.yaml:")
    _replace(folder / "items.yaml", _TIPS2, "      - " + "[" * 10_000 + "]" * 10_000 + "\n")
    # device files as data
    folder = new("items-dev-zero", "device files as data", "refused", "items.yaml")
    (folder / "items.yaml").unlink()
    (folder / "items.yaml").symlink_to("/dev/zero")
    folder = new("rules-fifo", "device files as data", "refused", "rules.yaml")
    (folder / "rules.yaml").unlink()
    os.mkfifo(folder / "rules.yaml")
    folder = new("offices-directory", "device files as data", "refused", "offices.yaml")
    (folder / "offices.yaml").unlink()
    (folder / "offices.yaml").mkdir()
    folder = new("items-21mb-sparse", "device files as data", "refused", "items.yaml")
    with open(folder / "items.yaml", "r+b") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: nothing is written to disk
    folder = new("items-gbk", "tracebacks", "refused", "items.yaml:")
    text = (folder / "items.yaml").read_text(encoding="utf-8")
    (folder / "items.yaml").write_bytes(text.encode("gbk", errors="replace"))
    assert sorted(c.name for c in cases) == sorted(name for name, _e in catalogue())
    return cases


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in build(out):
        print(f"{case.expect:8} {case.name:28} {case.row}")
