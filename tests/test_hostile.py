"""A knowledge base from anywhere and any output target (issue 18): no hang, no escape sequence,
no formula, no lost file. Each test is named after a row of the issue's table.

The corpus (tests/data/hostile/) goes through validate, show, search, check, export in every
format and notice; each command runs in a child process under a time and memory limit
(``resource.setrlimit``). The children are forked from this process after rsguide is imported,
so a command costs its own work, not an interpreter start; the checks that need a fresh
interpreter (closed stdout, /dev/full, a closed pipe, Ctrl-C) start real ``rsguide`` processes.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork, FIFOs and rlimits are POSIX")

HOSTILE = Path(__file__).parent / "data" / "hostile"
RSGUIDE = [sys.executable, "-m", "rsguide"]
TIME_LIMIT = 20  # seconds of wall time per command (they take well under one)
MEMORY_LIMIT = 1 << 30  # bytes of address space a command may add


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("hostile_corpus", HOSTILE / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


# ── running commands in limited children ──


@dataclass
class Run:
    args: list[str]
    code: int | None  # None: killed after TIME_LIMIT
    stdout: bytes
    stderr: bytes
    seconds: float

    def __str__(self) -> str:
        err = self.stderr.decode("utf-8", "replace")[-600:]
        return f"rsguide {' '.join(self.args)[:200]} → {self.code} in {self.seconds:.1f}s\n{err}"


def _vsize() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _warm_up() -> None:
    """Import what the commands import, so that forked children start with it."""
    import openpyxl  # noqa: F401
    import rich.console
    import rich.table  # noqa: F401

    import rsguide.cli.main
    import rsguide.cli.printer
    import rsguide.commands
    import rsguide.output.export_files
    import rsguide.output.notice
    import rsguide.output.views
    import rsguide.search.engine
    import rsguide.search.pinyin

    rsguide.search.pinyin.full("失业")


def _child(args: list[str], env: dict[str, str], out: int, err: int, limit: int) -> None:
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.environ.update(env)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        from rsguide.cli.main import main

        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # a traceback is what the corpus must never produce
        import traceback

        traceback.print_exc()
        code = 99
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(code)


def run_many(jobs: list[tuple[list[str], dict[str, str]]], workers: int = 2) -> list[Run]:
    """Run every ``(args, env)`` in a forked child under the limits, ``workers`` at a time."""
    _warm_up()
    limit = _vsize() + MEMORY_LIMIT
    results: list[Run | None] = [None] * len(jobs)
    pending = list(enumerate(jobs))
    running: dict[int, tuple[int, float, object, object]] = {}
    while pending or running:
        while pending and len(running) < workers:
            i, (args, env) = pending.pop(0)
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                _child(args, env, out.fileno(), err.fileno(), limit)
            running[pid] = (i, time.monotonic(), out, err)
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for p, (_i, started, _o, _e) in running.items():
                if now - started > TIME_LIMIT:
                    os.kill(p, signal.SIGKILL)
            time.sleep(0.005)
            continue
        if pid not in running:
            continue
        i, started, out, err = running.pop(pid)
        killed = os.WIFSIGNALED(status)
        code = None if killed else os.WEXITSTATUS(status)
        out.seek(0)  # type: ignore[attr-defined]
        err.seek(0)  # type: ignore[attr-defined]
        results[i] = Run(jobs[i][0], code, out.read(), err.read(), time.monotonic() - started)  # type: ignore[attr-defined]
        out.close()  # type: ignore[attr-defined]
        err.close()  # type: ignore[attr-defined]
    return [r for r in results if r is not None]


# ── what no output may contain ──

_ESCAPE_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae\x8e\x8f]|\xe2\x81[\xa6-\xa9]")
"""C0 but TAB and LF, DEL, C1, and the bidi controls, as UTF-8 bytes."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RAW_TAG = re.compile(r"(?<!\\)<(?:script|img|b )")
"""An HTML tag from the data that a Markdown renderer would run (``\\<`` and ``&lt;`` are text)."""


def escape_bytes(data: bytes) -> list[bytes]:
    return _ESCAPE_BYTES.findall(data)


def formula_cells(text: str) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    return [c for c in cells if c.startswith(FORMULA_STARTS)]


def assert_clean(run: Run) -> None:
    assert run.code is not None, f"hang: {run}"
    assert run.code != 99, f"traceback: {run}"
    assert b"Traceback" not in run.stderr and b"Exception ignored" not in run.stderr, str(run)
    assert not escape_bytes(run.stdout), f"escape bytes {escape_bytes(run.stdout)[:5]} on stdout: {run}"
    assert not escape_bytes(run.stderr), f"escape bytes on stderr: {run}"


# ── the corpus ──


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("hostile")
    return {c.name: c for c in corpus.build(root)}


REFUSED_COMMANDS = [
    ["validate"],
    ["show", "2", "-f", "plain"],
    ["search", "失业"],
    ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
    ["export", "-f", "json"],
    ["notice", "2", "-f", "plain"],
]


def loaded_commands(out: Path) -> list[list[str]]:
    """Every command and format over a knowledge base that loads (item 2 carries the payload)."""
    cmds = [["show", "2", "-f", f] for f in ("table", "plain", "markdown", "csv", "json", "yaml")]
    cmds += [["search", "失业", "-f", f] for f in ("table", "plain", "csv", "markdown")]
    cmds += [
        ["materials", "2", "-f", "csv"],
        ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
        ["offices", "-f", "plain"],
        ["validate"],
    ]
    cmds += [["export", "-f", f] for f in ("json", "yaml", "markdown")]
    cmds += [["export", "-f", "csv", "--table", t] for t in ("materials", "items", "paths")]
    cmds += [
        ["export", "-f", "csv", "-o", str(out / "m.csv")],
        ["export", "-f", "xlsx", "-o", str(out / "kb.xlsx")],
        ["export", "-f", "sqlite", "-o", str(out / "kb.db")],
        ["export", "-f", "markdown", "-o", str(out / "wiki") + "/"],
    ]
    cmds += [["notice", "2", "-f", f] for f in ("plain", "markdown", "html")]
    return cmds


@pytest.fixture(scope="module")
def corpus_runs(cases: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Run]]:
    """Every case through every command: {case name: runs}."""
    jobs: list[tuple[list[str], dict[str, str]]] = []
    owners: list[str] = []
    cache = tmp_path_factory.mktemp("cache")
    for case in cases.values():
        env = {"RSGUIDE_CACHE_DIR": str(cache / case.name), "NO_COLOR": "1", **case.env}
        if case.expect == "refused":
            # --no-cache: the cache hashes the files before rsguide reads them (see the xfail below)
            commands = [["--no-cache", "--data", str(case.folder), *c] for c in REFUSED_COMMANDS]
        else:
            out = tmp_path_factory.mktemp(case.name)
            commands = [["--data", str(case.folder), *c] for c in loaded_commands(out)]
        for c in commands:
            jobs.append((c, env))
            owners.append(case.name)
    runs = run_many(jobs)
    grouped: dict[str, list[Run]] = {}
    for owner, run in zip(owners, runs, strict=True):
        grouped.setdefault(owner, []).append(run)
    return grouped


REFUSED = [name for name, expect in corpus.catalogue() if expect == "refused"]
LOADS = [name for name, expect in corpus.catalogue() if expect == "loads"]


@pytest.mark.parametrize("name", REFUSED)
def test_corpus_refused(name: str, cases: dict[str, object], corpus_runs: dict[str, list[Run]]) -> None:
    """A hostile file is refused by every command: exit 3, the file (and line) named, nothing on stdout."""
    case = cases[name]
    for run in corpus_runs[name]:
        assert_clean(run)
        assert run.code == 3, str(run)
        assert run.stdout == b"", str(run)
        assert case.where in run.stderr.decode("utf-8"), f"stderr does not name {case.where!r}: {run}"
        assert len(run.stderr) < 20_000, "the refusal is short, not a dump of the value"


@pytest.mark.parametrize("name", LOADS)
def test_corpus_loads(name: str, cases: dict[str, object], corpus_runs: dict[str, list[Run]]) -> None:
    """Valid but dangerous data: every command and format succeeds with no escape byte, no formula
    cell, no HTML tag from the data in Markdown."""
    for run in corpus_runs[name]:
        assert_clean(run)
        assert run.code == 0, str(run)
        text = run.stdout.decode("utf-8")
        if "csv" in run.args:
            assert not formula_cells(text), f"formula cells {formula_cells(text)[:3]}: {run}"
        if "markdown" in run.args:
            assert not RAW_TAG.findall(text), f"raw HTML {RAW_TAG.findall(text)[:3]}: {run}"


def test_corpus_is_fast_enough(corpus_runs: dict[str, list[Run]]) -> None:
    """No command over the corpus runs anywhere near the time limit (the alias bomb used to hang)."""
    slow = [r for runs in corpus_runs.values() for r in runs if r.seconds > TIME_LIMIT / 2]
    assert not slow, "\n".join(map(str, slow))


# ── escape sequences in the data ──


def test_escape_sequences_in_data_refused_with_file_and_line(cases: dict[str, object]) -> None:
    from rsguide.errors import DataError
    from rsguide.kb.loader import load

    with pytest.raises(DataError) as err:
        load(cases["esc-csi-erase-line"].folder)
    issue = str(err.value.issues[0])
    assert "items.yaml:75" in issue and "U+001B" in issue and "\x1b" not in issue


ESCAPES = "\x1b[2K\x1b[1A\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\链接\x1b]8;;\x1b\\\x9b2J\u202e\x00\r"


@pytest.mark.parametrize("fmt", ["table", "plain", "markdown", "csv", "json", "yaml"])
def test_escape_sequences_in_data_stripped_in_every_format(fmt: str) -> None:
    """Whatever still arrives (a query echoed back, a value from a cache) is stripped in every format."""
    from rsguide.output.render import Fields, Heading, Output, Section, Table, render, text_of

    out = Output(
        data={"name": "失业登记" + ESCAPES, "list": ["a" + ESCAPES]},
        blocks=[
            Heading("第2项 失业登记" + ESCAPES, ESCAPES),
            Fields([("名称" + ESCAPES, "值" + ESCAPES)], title=ESCAPES),
            Table(ESCAPES, ["列" + ESCAPES], [["格" + ESCAPES]], note=ESCAPES),
            Section("禁办" + ESCAPES, ["不予受理" + ESCAPES], "warn"),
        ],
        csv_columns=["名称"],
        csv_rows=[["失业登记" + ESCAPES]],
    )
    buf = io.StringIO()
    render(out, fmt, stream=buf, no_color=True)
    for text in (buf.getvalue(), text_of(out, fmt)):
        assert not escape_bytes(text.encode("utf-8")), repr(text)
        assert "禁办" in text or fmt in ("csv", "json", "yaml")
    if fmt == "json":
        import json

        assert json.loads(buf.getvalue())["name"] == "失业登记" + ESCAPES  # escaped, not lost


def test_escape_sequences_in_queries(tmp_path: Path) -> None:
    """Queries with escape sequences (echoed in headings and messages) print no escape byte."""
    env = {"RSGUIDE_CACHE_DIR": str(tmp_path), "NO_COLOR": "1"}
    jobs = [
        (["show", "\x1b[2J失业登记" + "\u202e"], env),
        (["search", "\x1b]0;pwned\x07失业", "-f", "plain"], env),
        (["search", "\x1b]52;c;eA==\x07zzqqxx"], env),
        (["check", "14", "--situation", "\x1b[1A\x1b[2K外省市", "--date", "2026-12-01", "-f", "plain"], env),
        (["notice", "\x9b31m失业登记", "-f", "plain"], env),
        (["materials", "\x1b[8m失业登记", "--when", "\x1b[31m代办"], env),
    ]
    for run in run_many(jobs):
        assert_clean(run)
        assert run.code in (0, 1, 2, 4, 5), str(run)


def test_escape_sequences_in_the_repl() -> None:
    from rsguide.cli.repl import run_repl
    from rsguide.session import Session

    stream = io.StringIO()
    sys_stdin = sys.stdin
    try:
        sys.stdin = io.StringIO("\x1b[2J失业登记\ns \x1b]0;x\x07失业\nzz\x1b[1Aqq\n")
        run_repl(Session(None, use_cache=False), stream=stream, no_color=True)
    finally:
        sys.stdin = sys_stdin
    assert "失业登记" in stream.getvalue()
    assert not escape_bytes(stream.getvalue().encode("utf-8"))


# ── CSV formula injection ──


def test_csv_formula_injection(cases: dict[str, object], tmp_path: Path) -> None:
    """Text cells starting with = + - @ TAB CR get a leading ' in every CSV; XLSX holds no formula."""
    from openpyxl import load_workbook

    from rsguide.kb.loader import load
    from rsguide.output.export import run_export

    kb = load(cases["formula-cells"].folder)
    text, _ = run_export(kb, list(kb.items), "csv", output=None, force=False, table="materials")
    assert text is not None
    assert not formula_cells(text)
    assert "'=HYPERLINK(" in text and "'\t=1+1" in text and "'-2+3" in text and "'@SUM(A1)" in text
    assert "'=cmd|' /C calc'!A0" in text and "'+1" in text
    run_export(kb, list(kb.items), "xlsx", output=str(tmp_path / "kb.xlsx"), force=False)
    wb = load_workbook(tmp_path / "kb.xlsx")
    assert not [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_csv_formula_injection_leading_tab_kept_on_load(cases: dict[str, object]) -> None:
    """``\\t=1+1`` stays ``\\t=1+1`` (it used to be stripped to ``=1+1``)."""
    from rsguide.kb.loader import load

    item = load(cases["formula-cells"].folder).item(2)
    texts = [m.text for g in item.materials for m in g.items]
    assert "\t=1+1" in texts


def test_csv_formula_injection_numbers_stay_numbers() -> None:
    from rsguide.output.render import to_csv

    assert to_csv(["a", "b", "c"], [[-5, "-5", "普通"]]).splitlines()[1] == "-5,'-5,普通"


# ── YAML alias bomb, amplification, long fields ──


def _read(cases: dict[str, object], name: str) -> tuple[float, list[str]]:
    from rsguide.errors import DataError
    from rsguide.kb.loader import load

    started = time.monotonic()
    with pytest.raises(DataError) as err:
        load(cases[name].folder)
    return time.monotonic() - started, [str(i) for i in err.value.issues]


def test_yaml_alias_bomb(cases: dict[str, object]) -> None:
    seconds, issues = _read(cases, "alias-bomb")
    assert "别名炸弹" in issues[0] and "items.yaml:" in issues[0]
    assert seconds < 5


def test_yaml_alias_bomb_recursive_alias(cases: dict[str, object]) -> None:
    assert "循环引用" in _read(cases, "alias-recursive")[1][0]


def test_amplification(cases: dict[str, object]) -> None:
    """One tip aliased 100,000 times (a 474 KB file that printed 300 MB) is refused at load."""
    assert (cases["amplification-100k-aliases"].folder / "items.yaml").stat().st_size < 600_000
    assert "别名（*）使用过多" in _read(cases, "amplification-100k-aliases")[1][0]


def test_amplification_by_text_size(tmp_path: Path) -> None:
    """Fewer aliases of a longer text: the expanded text is capped at the file size limit."""
    from rsguide.kb.yamlio import read_yaml

    path = tmp_path / "items.yaml"
    path.write_text("tip: &t " + "长" * 20_000 + "\nitems:\n" + "  - *t\n" * 2_000, encoding="utf-8")
    data, issues = read_yaml(path)
    assert data is None and "文本过长" in str(issues[0])


def test_long_fields_refused_by_length_limit(cases: dict[str, object]) -> None:
    """Pinyin indexing of a 200,000-character name took 16 s; names are limited to 200 characters
    (texts, which are not pinyin-indexed, to 20,000), so it never gets there."""
    assert "name: 值过长（200000 个字符，上限 200）" in _read(cases, "name-200k-chars")[1][0]
    assert "上限 20000" in _read(cases, "intro-200k-chars")[1][0]


def test_long_fields_short_repr(cases: dict[str, object]) -> None:
    issues = _read(cases, "huge-list-for-name")[1]
    assert "应为文本，实为 列表（20000 项）" in issues[0] and len(issues[0]) < 200


# ── device files as data ──


@pytest.mark.parametrize("name", ["items-dev-zero", "rules-fifo", "offices-directory", "items-21mb-sparse"])
def test_device_files_as_data(name: str, cases: dict[str, object]) -> None:
    seconds, issues = _read(cases, name)
    assert seconds < 5
    assert "不是普通文件" in issues[0] or "实为目录" in issues[0] or "文件过大" in issues[0]


def test_device_files_as_data_with_the_cache(cases: dict[str, object], tmp_path: Path) -> None:
    env = {"RSGUIDE_CACHE_DIR": str(tmp_path)}
    global TIME_LIMIT
    saved, TIME_LIMIT = TIME_LIMIT, 3
    try:
        runs = run_many([(["--data", str(cases["rules-fifo"].folder), "show", "2"], env)])
    finally:
        TIME_LIMIT = saved
    assert runs[0].code == 3


def test_device_files_as_data_read_limited(tmp_path: Path) -> None:
    from rsguide.kb.yamlio import read_limited

    big = tmp_path / "big"
    big.write_bytes(b"x" * 1000)
    with pytest.raises(ValueError, match="文件过大"):
        read_limited(big, limit=999)
    assert read_limited(big, limit=1000) == b"x" * 1000


# ── output targets ──


def _cli(args: list[str], tmp_path: Path, **kw: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([*RSGUIDE, *args], env=env, stderr=subprocess.PIPE, timeout=60, **kw)  # type: ignore[call-overload]


def test_output_to_device_node_or_fifo(tmp_path: Path) -> None:
    """``-o`` writes only a regular file: /dev/null stays a device (as root it was replaced), a
    FIFO's reader is not left with nothing, a directory is refused; one Chinese line, exit 6."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    jobs = [
        (["show", "2", "-o", "/dev/null", "--force"], {}),
        (["show", "2", "-o", str(fifo), "--force"], {}),
        (["show", "2", "-o", str(tmp_path)], {}),
        (["export", "-f", "xlsx", "-o", "/dev/null", "--force"], {}),
        (["export", "-f", "sqlite", "-o", str(fifo), "--force"], {}),
        (["notice", "2", "-o", "/dev/null", "--force"], {}),
    ]
    for run in run_many([(["--no-cache", *a], e) for a, e in jobs]):
        assert_clean(run)
        assert run.code == 6, str(run)
        assert run.stderr.decode().count("\n") == 1, str(run)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_small_ones_force_keeps_mode(tmp_path: Path) -> None:
    from rsguide.kb.loader import load
    from rsguide.output.export_files import write_sqlite, write_xlsx
    from rsguide.output.files import write_atomic

    kb = load()
    for name, write in (
        ("a.txt", lambda p: write_atomic(p, "新", force=True)),
        ("a.xlsx", lambda p: write_xlsx(kb, list(kb.items[:1]), p, force=True)),
        ("a.db", lambda p: write_sqlite(kb, list(kb.items[:1]), p, force=True)),
    ):
        target = tmp_path / name
        target.write_text("旧")
        target.chmod(0o600)
        write(target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, name
        assert target.read_bytes() != "旧".encode()


def test_small_ones_dangling_symlink_counts_as_existing(tmp_path: Path) -> None:
    from rsguide.errors import OutputError
    from rsguide.output.files import write_atomic

    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="文件已存在"):
        write_atomic(link, "{}")
    write_atomic(link, "{}", force=True)
    assert link.is_file() and not link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_small_ones_no_temporary_files_left(tmp_path: Path) -> None:
    from rsguide.kb.loader import load
    from rsguide.output.export_files import write_sqlite

    kb = load()
    write_sqlite(kb, list(kb.items), tmp_path / "kb.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.db"]


# ── write errors ──


@pytest.mark.parametrize(
    "args",
    [["show", "2", "-f", "json"], ["show", "2"], ["export", "-f", "json"], ["export", "-f", "csv"], ["check", "14"]],
)
def test_write_errors_dev_full(args: list[str], tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        proc = _cli(["--no-cache", *args], tmp_path, stdout=full)
    err = proc.stderr.decode()
    assert proc.returncode == 6, err
    assert err.count("\n") == 1 and "磁盘已满" in err, err


def test_write_errors_closed_stdout(tmp_path: Path) -> None:
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    # show twice: once while the cache is built, once from the store (show's fast path), in each format
    shows = [["show", "2"], ["show", "2"], ["show", "2", "-f", "plain"], ["show", "失业登记", "-f", "json"]]
    for args in (*shows, ["export", "-f", "json"], ["search", "失业", "-f", "plain"]):
        proc = subprocess.run(
            f"exec {sys.executable} -m rsguide {' '.join(args)} >&-",
            shell=True,
            env=env,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        err = proc.stderr.decode()
        assert proc.returncode == 6, err
        assert err.count("\n") == 1 and "标准输出已关闭" in err, err


@pytest.mark.parametrize("fmt", ["table", "plain", "json"])
def test_write_errors_dev_full_on_shows_fast_path(fmt: str, tmp_path: Path) -> None:
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "rsguide", "show", "2"], env=env, capture_output=True, timeout=120)
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "rsguide", "show", "2", "-f", fmt], env=env, stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    err = proc.stderr.decode()
    assert proc.returncode == 6, err
    assert err.count("\n") == 1 and "磁盘已满" in err, err


def test_write_errors_closed_stdout_with_output_file(tmp_path: Path) -> None:
    """A closed stdout does not matter when the answer goes to ``-o``."""
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    target = tmp_path / "a.json"
    proc = subprocess.run(
        f"exec {sys.executable} -m rsguide show 2 -f json -o {target} >&-", shell=True, env=env, timeout=60
    )
    assert proc.returncode == 0 and target.stat().st_size > 100


@pytest.mark.parametrize("args", [["export", "-f", "json"], ["export", "-f", "yaml"], ["show", "2", "-f", "yaml"]])
def test_write_errors_broken_pipe_is_quiet(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    proc = subprocess.run(
        f"{sys.executable} -m rsguide {' '.join(args)} | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        env=env,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()


# ── raw HTML in Markdown ──


def test_raw_html_in_markdown(cases: dict[str, object], tmp_path: Path) -> None:
    from rsguide.kb.loader import load
    from rsguide.output.export_files import write_markdown_dir
    from rsguide.output.notice import build_notice, render_notice
    from rsguide.output.render import to_markdown
    from rsguide.output.views import item_card
    from rsguide.search.engine import build_index

    kb = load(cases["html-in-data"].folder)
    card = to_markdown(item_card(kb, kb.item(2), []).blocks)
    assert "失业登记&lt;script&gt;alert(1)&lt;/script&gt;" in card and "<script" not in card
    pages = write_markdown_dir(kb, list(kb.items), tmp_path / "wiki")
    page = pages[0].read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page and "<script" not in page
    index = build_index(kb)
    notice = render_notice(build_notice(kb, lambda: index, "2"), "markdown")
    assert not RAW_TAG.findall(notice) and "%22%3E%3Cscript%3E" in notice


# ── tracebacks ──


def test_tracebacks_date_9999(tmp_path: Path) -> None:
    proc = _cli(["--no-cache", "check", "14", "--missing", "身份证复印件", "--date", "9999-12-31"], tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and "超出可计算的范围" in err, err


def test_tracebacks_category_names_in_markdown_export(tmp_path: Path) -> None:
    """A NUL (if it got past validation) or a > 255-byte category name makes a usable file name."""
    import dataclasses

    from rsguide.kb.loader import load
    from rsguide.output.export_files import page_name, write_markdown_dir

    kb = load()
    cats = (dataclasses.replace(kb.categories[0], name="就业\x00/../" + "服务" * 100), *kb.categories[1:])
    kb = dataclasses.replace(kb, categories=cats)
    name = page_name(kb, 1)
    assert "\x00" not in name and "/" not in name and len(name.encode()) <= 255
    files = write_markdown_dir(kb, list(kb.items), tmp_path / "wiki")
    assert all(f.parent == tmp_path / "wiki" for f in files)


def test_tracebacks_big_integer_for_sqlite(tmp_path: Path) -> None:
    """Refused by validation (> 10⁹); and were one to get past it, the SQLite export says so in one line."""
    import dataclasses

    from rsguide.errors import OutputError
    from rsguide.kb.loader import load
    from rsguide.output.export_files import write_sqlite

    kb = load()
    item = dataclasses.replace(kb.items[0], page=2**64 + 1)
    with pytest.raises(OutputError, match="SQLite"):
        write_sqlite(kb, [item], tmp_path / "kb.db")
    assert not list(tmp_path.iterdir())


def test_tracebacks_max_file_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    from rsguide.kb.yamlio import MAX_FILE_BYTES, max_file_bytes

    for bad in ("inf", "-inf", "nan", "-5", "0", "abc", "1e400"):
        monkeypatch.setenv("RSGUIDE_MAX_FILE_MB", bad)
        assert max_file_bytes() == MAX_FILE_BYTES, bad
    monkeypatch.setenv("RSGUIDE_MAX_FILE_MB", "50")
    assert max_file_bytes() == 50 * 1024 * 1024


# ── small ones ──


def test_small_ones_ctrl_c_says_interrupted(tmp_path: Path) -> None:
    """Ctrl-C in the full CLI: 已中断 on stderr and exit code 130 (typer used to swallow the line)."""
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [*RSGUIDE, "repl"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    assert "已中断" in err.decode() and b"Traceback" not in err


def test_small_ones_repl_history_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rsguide.cli.repl import make_history

    monkeypatch.setenv("RSGUIDE_HISTORY", str(tmp_path / "h" / "history"))
    old = os.umask(0o022)
    try:
        _history, problem = make_history()
    finally:
        os.umask(old)
    assert problem is None
    assert stat.S_IMODE((tmp_path / "h" / "history").stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", "18", "--situation", "外省评的"], 5),
        (["check", "14", "--missing", "身份证"], 4),
        (["check", "18"], 7),
        (["show", "卡"], 1),
        (["search", "社保卡"], 0),
        (["show", "4"], 0),
    ],
)
def test_a_closed_pipe_keeps_the_answers_exit_code(args: list[str], code: int, tmp_path: Path) -> None:
    # `rsguide check … | head -1`: the reader is gone before anything is written. The verdict's
    # exit code (5 禁办, 4 材料不全, 7 待确认) must not turn into 0 (可以受理) on the way.
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # a cold and a warm cache (show's fast path)
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "rsguide", *args], env=env, stdout=write_end, stderr=subprocess.PIPE, timeout=120
            )
        finally:
            os.close(write_end)
        assert proc.returncode == code, proc.stderr.decode()
        assert "Traceback" not in proc.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [["show", "4", "-o"], ["export", "-f", "json", "-o"], ["check", "14", "--situation", "无", "--document"]],
)
def test_a_file_name_with_escape_sequences_does_not_reach_the_terminal(args: list[str], tmp_path: Path) -> None:
    name = "d\x1b]0;pwn\x07\x1b[2J.txt"
    env = {**os.environ, "RSGUIDE_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "rsguide", *args, name], env=env, cwd=tmp_path, capture_output=True, timeout=120
    )
    assert (tmp_path / name).exists(), proc.stderr.decode()
    assert "已写入" in proc.stderr.decode()
    assert b"\x1b" not in proc.stderr and b"\x07" not in proc.stderr
