"""The ``rsguide`` command's first stop: ``show`` by number or exact name, read from the compiled store.

``rsguide show 失业登记 [--format plain|json|table]`` reads one row of the store (the card rendered
when the store was built, see :mod:`rsguide.kb.store`) and prints it, without importing the model,
the search, pathlib, platformdirs or Typer. Anything else — another command, an option only the
full CLI knows, a query that needs the search, a missing or unsafe store, any error — goes to
:func:`rsguide.cli.main.main` unchanged, which gives the same answer the slow way.
"""

from __future__ import annotations

import os
import sys

_FORMATS = {"plain": "plain", "txt": "plain", "text": "plain", "json": "json", "table": "table"}
MAX_QUERY = 200


def parse_show(args: list[str]) -> tuple[str, str, str | None, bool] | None:
    """``[--data D] [--no-color] [--no-pager] show QUERY [-f F]`` → (query, format, data, no_color), else ``None``."""
    i, data, no_color = 0, None, False
    if "--no-pager" in args:  # pages only on a terminal; leave it to the full CLI
        return None
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        if a == "--no-color":
            no_color = True
        elif a == "--data" and i + 1 < len(args):
            data = args[i + 1]
            i += 1
        elif a.startswith("--data="):
            data = a.split("=", 1)[1]
        else:
            return None
        i += 1
    if i >= len(args) or args[i] != "show":
        return None
    query, fmt = None, "table"
    i += 1
    while i < len(args):
        a = args[i]
        if a in ("--format", "-f") and i + 1 < len(args):
            fmt = args[i + 1]
            i += 1
        elif a.startswith("--format="):
            fmt = a.split("=", 1)[1]
        elif a.startswith("-") or query is not None:
            return None
        else:
            query = a
        i += 1
    f = _FORMATS.get(fmt.strip().lower())
    if query is None or f is None:
        return None
    return query, f, data, no_color


def find_card(query: str, data: str | None, form: str) -> str | None:
    """The stored card (``plain``, ``json_text`` or ``blocks``) of the item ``query`` names by number
    or exact name, or ``None``."""
    from rsguide.kb import cache
    from rsguide.kb.paths import data_path

    path = cache.current_store(data_path(data))
    if path is None:
        return None
    from rsguide.kb.store import FORMAT, connect, exact_number, read_card
    from rsguide.search.itemno import item_number
    from rsguide.search.normalize import clean_input, fold

    key = fold(clean_input(query)[:MAX_QUERY])
    if not key:
        return None
    conn = connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            return None
        number = item_number(key, query)
        if number is None:
            number = exact_number(conn, key)
        return read_card(conn, number, form) if number is not None else None
    finally:
        conn.close()


_FORMS = {"plain": "plain", "json": "json_text", "table": "blocks"}


def print_card(card: str, fmt: str, no_color: bool) -> None:
    """Print a stored card as ``show`` does: on a terminal at the screen's width and through the
    pager when taller than the screen (as :mod:`rsguide.cli.printer` does)."""
    out = sys.stdout
    try:
        terminal = out.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if fmt != "table" and not terminal:
        out.write(card)
        return
    text = card
    if fmt == "table":
        import io
        import json

        from rsguide.output import render
        blocks = []
        for raw in json.loads(card):
            b = dict(raw)
            blocks.append(getattr(render, b.pop("type"))(**b))
        color = render.use_color(out, no_color)
        if not terminal:
            render.print_table(blocks, out, color=color)
            return
        from rsguide.cli.pager import screen_size

        buffer = io.StringIO()
        render.print_table(blocks, buffer, color=color, width=screen_size()[0])
        text = buffer.getvalue()
    if fmt == "json":
        out.write(text)
        return
    from rsguide.cli.pager import page, too_tall

    if too_tall(text):
        page(text)
    else:
        out.write(text)


def run_fast_show(args: list[str]) -> int | None:
    """Answer ``args`` from the store and return the exit code, or ``None`` when the full CLI must."""
    parsed = parse_show(args)
    if parsed is None or os.environ.get("RSGUIDE_NO_CACHE") or sys.stdout is None:
        return None  # (a stdout closed by the shell is reported by the full CLI)
    query, fmt, data, no_color = parsed
    try:
        card = find_card(query, data, _FORMS[fmt])
    except Exception:  # a damaged store, an odd path …: the full CLI knows what to say
        return None
    if card is None:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        print_card(card, fmt, no_color)
        sys.stdout.flush()
    except (OSError, KeyboardInterrupt) as exc:
        # rare ends, said as every other command says them (the streams module only loads here)
        from rsguide.cli import streams

        if isinstance(exc, KeyboardInterrupt):
            streams.fail("已中断")
            return 130
        streams.silence_closed_pipes()  # so that the final flush cannot fail
        return 0 if isinstance(exc, BrokenPipeError) else streams._write_error(exc)
    return 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``rsguide`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the process is rsguide's own (not a caller's in-process run)
        _process_start()
    try:
        code = run_fast_show(args)
        if code is None:
            from rsguide.cli.main import main as full_main

            full_main(args)
            return
        sys.exit(code)
    finally:
        if argv is None:  # the process ends here (not a caller's in-process run)
            _before_exit()


YOUNG_OBJECTS = 25_000
"""Allocations between two collections of the youngest generation (Python's default is 700)."""


def _process_start() -> None:
    """A command allocates most of its objects once, while importing and decoding (functions,
    classes, the index, the items), and keeps them to the end: with Python's default threshold the
    collector would walk them about thirty times, ≈ 4 ms of a search. A larger young generation
    collects the same garbage in a few passes; the older generations keep their thresholds."""
    import gc

    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)


def _before_exit() -> None:
    """The answer is out: spare the interpreter's last garbage collection the walk over every
    object of the run (the modules, the decoded index …), ≈ 5 ms of a search's end. The objects
    are still released as the interpreter shuts down; only the cycle search skips them."""
    import gc

    gc.freeze()
