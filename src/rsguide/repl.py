"""The interactive session for service-hall terminals (``rsguide repl``, or bare ``rsguide`` on a
terminal): one prompt, open all day, answering one applicant after another.

A bare query shows the item card; short commands show materials (``m``), offices (``o``), a check
(``c``), the one-time notice (``n``) and a search list (``s``). Commands without an item use the
item shown last. No input may end the session except ``q``, ``exit`` or Ctrl-D: domain errors print
one Chinese line, anything unexpected one line more.

On a terminal the prompt is prompt_toolkit's, with completion as you type (item names, aliases,
pinyin) and history kept between sessions. When stdin or stdout is not a terminal, lines are read
from stdin without prompt_toolkit, so the session can also be driven by a pipe.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from rsguide.errors import ExitCode, NotFoundError, RsguideError, UsageError
from rsguide.render import Output
from rsguide.session import Session

MAX_WIDTH = 100
"""Answers are rendered at most this wide, even on a wide terminal."""
MAX_HISTORY_ENTRY = 500
"""Longer lines (a pasted page) are stored in the history cut to this many characters."""
HISTORY_ENV = "RSGUIDE_HISTORY"
PROMPT = "查询> "
MAX_PASTE = 300
"""A paste is cut to this many characters (a query is matched on its first 200 anyway)."""
RESERVED_MENU_ROWS = 6
"""Rows kept free under the prompt for the completion menu (prompt_toolkit's default 8 costs a
third of an 80×24 screen)."""

# command word → canonical command; matched after NFKC and lower-casing (？ → ?, Ｑ → q)
COMMANDS: dict[str, str] = {
    "m": "m",
    "materials": "m",
    "材料": "m",
    "o": "o",
    "offices": "o",
    "地点": "o",
    "c": "c",
    "check": "c",
    "核对": "c",
    "受理": "c",
    "n": "n",
    "notice": "n",
    "告知单": "n",
    "s": "s",
    "search": "s",
    "搜索": "s",
    "show": "show",
    "?": "?",
    "help": "?",
    "h": "?",
    "帮助": "?",
    "q": "q",
    "quit": "q",
    "exit": "q",
    "退出": "q",
}

COMMAND_HELP: tuple[tuple[str, str], ...] = (
    ("m", "材料清单"),
    ("o", "办事地点"),
    ("c", "能否受理（核对材料）"),
    ("n", "一次性告知单"),
    ("s", "搜索列表"),
    ("help", "查看全部命令"),
    ("q", "退出"),
)

# option word → (option, takes several values); written /when, -w, --when, /条件 …
OPTIONS: dict[str, tuple[str, bool]] = {
    "case": ("case", False),
    "情形": ("case", False),
    "when": ("when", True),
    "w": ("when", True),
    "条件": ("when", True),
    "channel": ("channel", False),
    "c": ("channel", False),
    "渠道": ("channel", False),
    "missing": ("missing", True),
    "m": ("missing", True),
    "缺": ("missing", True),
    "have": ("have", True),
    "有": ("have", True),
    "situation": ("situation", True),
    "s": ("situation", True),
    "情况": ("situation", True),
    "date": ("date", False),
    "d": ("date", False),
    "日期": ("date", False),
    "o": ("out", False),
    "out": ("out", False),
    "html": ("out", False),
    "all": ("all", False),
    "全部": ("all", False),
    "doc": ("document", False),
    "document": ("document", False),
    "文书": ("document", False),
}
FLAGS = frozenset({"all"})
ALLOWED: dict[str, tuple[str, ...]] = {
    "m": ("case", "when", "channel", "all"),
    "c": ("missing", "have", "situation", "when", "case", "channel", "date", "document"),
    "n": ("case", "when", "missing", "channel", "date", "out"),
    "o": (),
    "s": (),
    "show": (),
}
OPTION_SPELLING = {
    "case": "/case",
    "when": "/when",
    "channel": "/channel",
    "missing": "/missing",
    "have": "/have",
    "situation": "/situation",
    "date": "/date",
    "out": "/o",
    "all": "/all",
    "document": "/doc",
}
_VALUE_SEPARATORS = re.compile(r"[,，、;；]+")

HELP = """\
命令（事项可写序号、名称、拼音或口语；省略事项时用上一次的事项）：
  事项          显示事项卡片，例：失业金、4、sbk
  m [事项]      材料清单，例：m 4 /when 代办　m 10 /case 转出
                选项：/case 情形　/when 条件…　/channel 渠道　/all 全部渠道
  o [区县|事项] 办事地点，例：o　o 铁西　o 14
  c [事项]      能否受理，例：c 14 /missing 身份证复印件
                选项：/missing 材料…　/have 材料…　/situation 情形
                      /when 条件…　/case 情形　/channel 渠道　/date 日期
                /doc 文件.html：写出受理/容缺/补正/不予受理通知书
  n [事项]      一次性告知单（屏幕显示），例：n 4 /when 代办
                选项同 m，另有 /missing 材料…　/date 日期
                /o 文件.html：另存为可打印的网页
  s 关键词      搜索列表，例：s 社保卡
  ? 或 help     本帮助
  q、exit、Ctrl-D   退出；Ctrl-C 清空当前输入；Tab 或方向键选择补全
选项也可写成 -m、--missing；多个值用空格或顿号隔开：/when 代办 劳动争议"""


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# ── parsing a line ──


@dataclass
class Command:
    """A parsed line: the command, the query and the options."""

    name: str
    query: str = ""
    options: dict[str, Any] = field(default_factory=dict)


def _split_head(text: str) -> tuple[str, str]:
    parts = text.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def _option_of(token: str) -> tuple[str, str] | None:
    """``/when`` → (when, ""); ``/when代办`` → (when, 代办); ``-m`` → (missing, ""); else ``None``."""
    t = _nfkc(token)
    if not t or t[0] not in "/-" or len(t) < 2:
        return None
    body = t.lstrip("-") if t.startswith("-") else t[1:]
    if not body:
        return None
    key = body.lower()
    if key in OPTIONS:
        return OPTIONS[key][0], ""
    # the value written without a space: /when代办, -m身份证
    for word in sorted(OPTIONS, key=len, reverse=True):
        if key.startswith(word) and len(body) > len(word) and not body[len(word)].isascii():
            return OPTIONS[word][0], body[len(word) :]
    raise UsageError(f"未知的选项“{token[:20]}”", hint="输入 ? 查看命令和选项")


def parse_line(line: str) -> Command | None:
    """Parse one line; ``None`` for an empty line."""
    text = line.strip()
    if not text:
        return None
    head, rest = _split_head(text)
    name = COMMANDS.get(_nfkc(head).lower())
    if name is None or (name in ("?", "q") and rest):  # "q 4" is a query, not a way out
        return Command("show", text)
    if name in ("?", "q"):
        return Command(name)
    if name in ("s", "show"):
        return Command(name, rest.strip())
    query: list[str] = []
    options: dict[str, Any] = {}
    current: str | None = None
    for token in rest.split():
        try:
            opt = _option_of(token)
        except UsageError:
            if current is None or options[current]:
                raise
            opt = None  # the value of the option before it: /o /tmp/告知单.html
        if opt is not None:
            option, inline = opt
            if option not in ALLOWED[name]:
                raise UsageError(f"{head} 不支持选项 {OPTION_SPELLING[option]}", hint="输入 ? 查看命令和选项")
            if option in FLAGS:
                options[option] = True
                current = None
                continue
            current = option
            options.setdefault(option, [])
            if inline:
                options[option].append(inline)
            continue
        if current is None:
            query.append(token)
        else:
            options[current].append(token)
    for option, values in list(options.items()):
        if option in FLAGS:
            continue
        if not values:
            raise UsageError(f"{OPTION_SPELLING[option]} 后面缺少内容", hint="输入 ? 查看命令和选项")
        if _multi(option):
            options[option] = [v for token in values for v in _VALUE_SEPARATORS.split(token) if v]
        else:
            options[option] = " ".join(values)
    return Command(name, " ".join(query), options)


def _multi(option: str) -> bool:
    return any(o == option and multi for o, multi in OPTIONS.values())


# ── the session ──


def _for_repl(message: str) -> str:
    """Turn the CLI's hints into the session's words (``--case`` → ``/case`` …)."""
    text = message
    text = re.sub(r"(?:运行\s*)?rsguide search 关键词(?: 查看候选)?", "输入 s 关键词 查看候选", text)
    text = re.sub(r"(?:可)?运行\s*rsguide offices", "输入 o", text)
    text = re.sub(r"rsguide show ", "", text)
    for long in ("case", "when", "situation", "missing", "have", "channel", "date"):
        text = text.replace(f"--{long}", f"/{long}")
    return text


class Repl:
    """The state of one session: the knowledge base and the item shown last."""

    def __init__(self, session: Session, *, stream: TextIO, no_color: bool = False) -> None:
        self.session = session
        self.stream = stream
        self.no_color = no_color
        self.current: int | None = None

    # output

    @property
    def color(self) -> bool:
        """Whether answers are coloured."""
        from rsguide.render import use_color

        return use_color(self.stream, self.no_color)

    def width(self) -> int:
        """The width answers are rendered at: the terminal's, at most :data:`MAX_WIDTH`."""
        return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))

    def say(self, text: str, style: str = "") -> None:
        """Print one line (red for errors, dim for hints, when colours are on)."""
        codes = {"error": "31", "dim": "2", "ok": "32"}
        if self.color and style in codes:
            text = f"\x1b[{codes[style]}m{text}\x1b[0m"
        self.stream.write(text + "\n")
        self.stream.flush()

    def show(self, out: Output) -> None:
        """Render a view as a table at the session's width."""
        from rsguide.render import Fields, Section, Table, print_table

        for block in out.blocks:  # the views speak of --when and --case; here they are /when and /case
            if isinstance(block, (Section, Table, Fields)) and block.title:
                block.title = _for_repl(block.title)
            if isinstance(block, Section):
                block.lines = [_for_repl(line) for line in block.lines]
        print_table(out.blocks, self.stream, color=self.color, width=self.width())
        self.stream.flush()

    # commands

    def handle(self, line: str) -> bool:
        """Answer one line; ``False`` when the session should end. Never raises (but for Ctrl-C)."""
        try:
            cmd = parse_line(line)
            if cmd is None:
                return True
            if cmd.name == "q":
                return False
            self.run(cmd)
        except RsguideError as exc:
            self.say(_for_repl(str(exc)), "error")
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # last resort: the session must survive anything
            detail = " ".join(str(exc).split())[:120]
            self.say(f"出错了（{type(exc).__name__}{'：' + detail if detail else ''}），可以继续查询", "error")
        return True

    def run(self, cmd: Command) -> None:
        """Run a parsed command."""
        getattr(self, "cmd_" + {"?": "help"}.get(cmd.name, cmd.name))(cmd)

    def _query(self, cmd: Command, example: str) -> str:
        if cmd.query.strip():
            return cmd.query
        if self.current is not None:
            return str(self.current)
        raise UsageError("请写上事项", hint=f"例如：{example}")

    def _footer(self, number: int, name: str) -> None:
        self.current = number
        self.say(f"—— 当前：第{number}项 {name}；m、n、o、c 后面可省略事项", "dim")

    def cmd_help(self, cmd: Command) -> None:
        """``?``: the commands."""
        self.stream.write(HELP + "\n")
        self.stream.flush()

    def cmd_show(self, cmd: Command) -> None:
        """A bare query: the item card."""
        from rsguide.lookup import resolve
        from rsguide.views import item_card

        s = self.session
        if not cmd.query.strip():
            raise UsageError("请写上事项", hint="例如：失业金")
        found = resolve(s.kb, s.index, cmd.query)
        self.show(item_card(s.kb, found.item, found.others))
        self._footer(found.item.number, found.item.name)

    def cmd_s(self, cmd: Command) -> None:
        """``s 关键词``: the ranked list."""
        from rsguide import search as search_module
        from rsguide.lookup import clean_query
        from rsguide.views import search_results

        s = self.session
        if not cmd.query.strip():
            raise UsageError("请写上关键词", hint="例如：s 社保卡")
        text = clean_query(cmd.query)
        hits = search_module.search(s.index(), text, limit=10)
        if not hits:
            near = search_module.suggest(s.index(), text)
            hint = "您是不是要找：" + "、".join(f"第{h.number}项 {h.name}" for h in near) if near else "请换个说法"
            raise NotFoundError(f"没有找到“{text[:40]}”", hint=hint)
        self.show(search_results(s.kb, text[:40], hits))
        self.say("输入序号即可查看事项，例如：" + str(hits[0].number), "dim")

    def cmd_m(self, cmd: Command) -> None:
        """``m 事项 /case /when /channel /all``: the checklist."""
        from rsguide.checklist import build_checklist, choose_channel, resolve_case, resolve_tags
        from rsguide.lookup import resolve
        from rsguide.views import checklist_view

        s = self.session
        item = resolve(s.kb, s.index, self._query(cmd, "m 4 /when 代办")).item
        o = cmd.options
        ch = None if o.get("all") else choose_channel(item, o.get("channel"))
        cl = build_checklist(
            item,
            channel=ch,
            case=resolve_case(item, o.get("case")),
            when=resolve_tags(item, o.get("when", []), s.kb.conditions),
        )
        self.show(checklist_view(s.kb, cl))
        self._footer(item.number, item.name)

    def cmd_o(self, cmd: Command) -> None:
        """``o [区县|事项]``: offices, all of them, of a district, or of an item."""
        from rsguide.lookup import quick_match, resolve
        from rsguide.offices import filter_offices, item_offices
        from rsguide.views import offices_view

        s = self.session
        query = cmd.query.strip()
        if not query:
            self.show(offices_view(filter_offices(s.kb), "办事地点（县（市）区窗口与市级地点）"))
            return
        item = None
        try:
            item = quick_match(s.kb, query)
        except NotFoundError:
            item = None
        found = [] if item is not None else filter_offices(s.kb, query)
        if found:
            self.show(offices_view(found, f"办事地点：{query[:40]}"))
            return
        if item is None:
            try:
                item = resolve(s.kb, s.index, query).item
            except NotFoundError:
                raise NotFoundError(f"没有找到地点或事项“{_nfkc(query)[:40]}”", hint="输入 o 查看全部地点") from None
        offices, extra = item_offices(s.kb, item)
        self.show(offices_view(offices, f"第{item.number}项 {item.name} 的办理地点", extra))
        self._footer(item.number, item.name)

    def cmd_c(self, cmd: Command) -> None:
        """``c 事项 /missing /have /situation …``: can the application be accepted."""
        from rsguide.checker import check, parse_date
        from rsguide.views import verdict_view

        s = self.session
        o = cmd.options
        v = check(
            s.kb,
            s.index,
            self._query(cmd, "c 14 /missing 身份证复印件"),
            have=o.get("have", []),
            missing=o.get("missing", []),
            situations=o.get("situation", []),
            when=o.get("when", []),
            case=o.get("case"),
            channel=o.get("channel"),
            date=parse_date(o.get("date")),
        )
        self.show(verdict_view(s.kb, v))
        if o.get("document"):  # the paper the verdict calls for (rsguide.documents)
            from rsguide.documents import issue_document

            issued = issue_document(s.kb, v, os.path.expanduser(o["document"]))
            for line in issued.messages:
                self.say(_for_repl(line), "ok" if issued.path else "")
        if v.subject.item is not None:
            self._footer(v.subject.item.number, v.subject.item.name)

    def cmd_n(self, cmd: Command) -> None:
        """``n 事项 /case /when /missing /date /o 文件.html``: the one-time notice on screen."""
        from rsguide.checker import parse_date
        from rsguide.notice import build_notice, render_notice

        s = self.session
        o = cmd.options
        n = build_notice(
            s.kb,
            s.index,
            self._query(cmd, "n 4 /when 代办"),
            case=o.get("case"),
            when=o.get("when", []),
            missing=o.get("missing", []),
            channel=o.get("channel"),
            date=parse_date(o.get("date")),
        )
        self.stream.write(render_notice(n, "plain"))
        for note in n.clerk_notes:
            self.say(f"（给经办人）{_for_repl(note)}", "dim")
        if o.get("out"):
            from rsguide.output import write_atomic

            path = write_atomic(os.path.expanduser(o["out"]), render_notice(n, "html"))
            self.say(f"已写入 {path}（用浏览器打开后打印）", "ok")
        self._footer(n.item.number, n.item.name)

    # loops

    def run_lines(self, lines: Iterable[str]) -> int:
        """Answer each line until ``q`` or the end of input."""
        for line in lines:
            if not self.handle(line):
                break
        return ExitCode.OK

    def banner(self) -> None:
        """The greeting of an interactive session."""
        count = len(self.session.kb.items)
        self.say(f"rsguide 交互查询（共 {count} 个事项）：输入事项名称、序号、拼音或口语，回车显示。")
        self.say("? 查看命令　m 材料　n 告知单　o 地点　c 核对　s 搜索　q 退出", "dim")


def _stdin_lines(prompt: bool = False) -> Iterator[str]:
    """Lines of stdin decoded leniently; ends quietly when stdin is closed or unreadable.

    With ``prompt`` (a person types, but stdout is a pipe or a file) the prompt goes to stderr."""
    stdin = sys.stdin
    if stdin is None:
        return
    raw = getattr(stdin, "buffer", None)
    while True:
        if prompt and sys.stderr is not None:
            try:
                sys.stderr.write(PROMPT)
                sys.stderr.flush()
            except (OSError, ValueError):
                prompt = False
        try:
            line = raw.readline() if raw is not None else stdin.readline()
        except (OSError, ValueError):
            return
        if not line:
            return
        yield line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line


def _is_terminal() -> bool:
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())
    except (ValueError, OSError):
        return False


# ── prompt_toolkit ──


def history_path() -> Path:
    """Where the history is kept: ``$RSGUIDE_HISTORY``, else ``history`` in the user data folder."""
    env = os.environ.get(HISTORY_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("rsguide")) / "history"


def make_history() -> tuple[Any, str | None]:
    """A file history where it can be written, else an in-memory one and the reason."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class CappedFileHistory(FileHistory):
        """Stores at most :data:`MAX_HISTORY_ENTRY` characters of a line (a paste of a page)."""

        def store_string(self, string: str) -> None:
            super().store_string(string[:MAX_HISTORY_ENTRY])

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab"):
            pass
        return CappedFileHistory(str(path)), None
    except OSError as exc:
        return InMemoryHistory(), f"历史记录无法保存到 {path}（{exc.strerror or exc}），本次只保留在内存中"


def make_completer(session: Session, current: Callable[[], int | None] = lambda: None) -> Any:
    """Completion as you type: item names (by name, alias, pinyin), commands and option values.

    ``current`` gives the item shown last (for the values of ``/case`` and ``/when`` when the
    command names no item)."""
    from prompt_toolkit.completion import Completer, Completion

    from rsguide.lookup import MAX_QUERY
    from rsguide.normalize import fold, has_cjk

    class RsguideCompleter(Completer):
        def get_completions(self, document: Any, complete_event: Any) -> Iterator[Any]:
            text = document.text_before_cursor
            if len(text) > MAX_QUERY or not text.strip():
                return
            try:
                yield from self._complete(text.lstrip())
            except Exception:  # completion must never disturb typing
                return

        def _complete(self, text: str) -> Iterator[Any]:
            head, rest = _split_head(text)
            if not rest and not text[-1:].isspace():
                for word, desc in COMMAND_HELP:
                    if word.startswith(head.lower()) and word != head.lower():
                        yield Completion(word + " ", -len(head), display=word, display_meta=desc)
                yield from self._items(text)
                return
            name = COMMANDS.get(_nfkc(head).lower())
            if name is None:
                yield from self._items(text)
                return
            if name in ("?", "q"):
                return
            tokens = rest.split()
            last = "" if text[-1:].isspace() else (tokens[-1] if tokens else "")
            if last[:1] in ("/", "-", "／", "－"):
                yield from self._options(name, last)
                return
            before = tokens[:-1] if last else tokens
            option = None
            query: list[str] = []
            for token in before:
                try:
                    opt = _option_of(token)
                except UsageError:
                    opt = None
                if opt is not None:
                    option = opt[0]
                elif option is None:
                    query.append(token)
            if option is None:
                yield from self._items(rest.lstrip())
            else:
                yield from self._values(option, " ".join(query), last)

        def _items(self, query: str) -> Iterator[Any]:
            from rsguide.search import search

            key = fold(query)
            if not key or (len(key) < 2 and not has_cjk(key)):
                return
            kb = session.kb
            for hit in search(session.index(), query[:MAX_QUERY], limit=8):
                if fold(hit.name) == key:
                    continue
                item = kb.item(hit.number)
                category = kb.category(item.category) if item else None
                meta = f"第{hit.number}项" + (f" · {category.name}" if category else "")
                yield Completion(hit.name, -len(query), display_meta=meta)

        def _options(self, name: str, typed: str) -> Iterator[Any]:
            prefix = _nfkc(typed).lstrip("/-").lower()
            for option in ALLOWED.get(name, ()):
                spelled = OPTION_SPELLING[option]
                if spelled[1:].startswith(prefix) and spelled[1:] != prefix:
                    yield Completion(spelled + " ", -len(typed), display=spelled)

        def _values(self, option: str, query: str, typed: str) -> Iterator[Any]:
            from rsguide.lookup import resolve
            from rsguide.model import CHANNELS

            if option == "channel":
                values: list[tuple[str, str]] = [(c, "") for c in CHANNELS]
            elif option in ("case", "when"):
                number = current()
                q = query or (str(number) if number is not None else "")
                if not q:
                    return
                item = resolve(session.kb, session.index, q).item
                if option == "case":
                    values = [(c.id, c.name if c.name != c.id else "") for c in item.cases]
                else:
                    values = [(t, session.kb.conditions.get(t, "")) for t in item.condition_tags]
            else:
                return
            for value, meta in values:
                if value.startswith(typed) and value != typed:
                    yield Completion(value, -len(typed), display_meta=meta)

    return RsguideCompleter()


def _paste_bindings() -> Any:
    """A paste becomes one line (newlines → spaces), cut to :data:`MAX_PASTE` characters, so that a
    pasted page neither submits itself line by line nor fills the screen."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: Any) -> None:
        text = " ".join(event.data.split())
        event.current_buffer.insert_text(text[:MAX_PASTE])

    return bindings


def _prompt_loop(repl: Repl, *, input: Any = None, output: Any = None) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import ThreadedCompleter
    from prompt_toolkit.output import ColorDepth

    history, problem = make_history()
    completer = make_completer(repl.session, lambda: repl.current)

    def toolbar() -> str:
        hints = " ? 帮助  Tab 补全  Ctrl-C 清空  q 退出"
        item = repl.session.kb.item(repl.current) if repl.current is not None else None
        return hints + (f" │ 当前：第{item.number}项 {item.name}" if item else "")

    session: PromptSession[str] = PromptSession(
        key_bindings=_paste_bindings(),
        reserve_space_for_menu=RESERVED_MENU_ROWS,
        message=PROMPT,
        history=history,
        completer=ThreadedCompleter(completer) if input is None else completer,
        complete_while_typing=True,
        bottom_toolbar=toolbar,
        input=input,
        output=output,
        color_depth=ColorDepth.MONOCHROME if repl.no_color else None,
        enable_history_search=False,
        mouse_support=False,
    )
    repl.banner()
    if problem:
        repl.say(problem, "dim")
    while True:
        try:
            line = session.prompt()
        except KeyboardInterrupt:  # Ctrl-C: clear the line, stay
            continue
        except EOFError:  # Ctrl-D
            break
        try:
            if not repl.handle(line):
                break
        except KeyboardInterrupt:
            repl.say("已中断", "dim")
    return ExitCode.OK


def run_repl(
    session: Session,
    *,
    no_color: bool = False,
    input: Any = None,
    output: Any = None,
    stream: TextIO | None = None,
) -> int:
    """Run the interactive session until ``q``, ``exit``, Ctrl-D or the end of input; returns the exit code.

    ``input`` and ``output`` are prompt_toolkit's (tests pass ``create_pipe_input()`` and
    ``DummyOutput()``); answers are written to ``stream`` (default: stdout). Without ``input`` and
    when stdin or stdout is not a terminal, lines are read from stdin without a prompt.
    """
    out = stream or sys.stdout
    repl = Repl(session, stream=out, no_color=no_color)
    try:
        session.index()  # loads the knowledge base too; completion needs both at once
    except RsguideError as exc:
        repl.say(str(exc), "error")
        return exc.exit_code
    try:
        if input is None and not _is_terminal():
            try:
                typing = bool(sys.stdin and sys.stdin.isatty())
            except (ValueError, OSError):
                typing = False
            return repl.run_lines(_stdin_lines(prompt=typing))
        return _prompt_loop(repl, input=input, output=output)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (… | head)
        return ExitCode.OK
