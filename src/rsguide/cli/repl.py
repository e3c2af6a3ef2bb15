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
from typing import TYPE_CHECKING, Any, TextIO

from rsguide.cli.spec import COMMANDS as SPECS
from rsguide.cli.spec import Param, convert
from rsguide.errors import ExitCode, RsguideError, UsageError
from rsguide.output.render import Output
from rsguide.session import Session

if TYPE_CHECKING:
    from rsguide.commands import Result

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
third of an 80×24 screen); fewer after an answer that needs them to stay in view."""
PROMPT_ROWS = 3
"""Rows under an answer that the session itself needs: the footer (当前：…), the prompt, the toolbar."""
PAGER_HEAD = "（回答超过一屏，在翻页程序中显示：空格 下一页，b 上一页，q 返回查询）"
PAGER_TAIL = "—— 以上是全部内容：按 q 返回查询 ——"
"""The first and last lines of a paged answer: how to leave the pager (``less`` 590 cannot show
Chinese in its own status line, and “(END)” does not say that q leads back to the prompt)."""

# command word → short command; matched after NFKC and lower-casing (？ → ?, Ｑ → q)
WORDS: dict[str, str] = {
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
COMMANDS = WORDS  # the name the completer and older callers use

TARGETS: dict[str, str] = {"m": "materials", "o": "offices", "c": "check", "n": "notice", "s": "search", "show": "show"}
"""The command of :data:`rsguide.cli.spec.COMMANDS` each short command runs."""

COMMAND_HELP: tuple[tuple[str, str], ...] = (
    ("m", "材料清单"),
    ("o", "办事地点"),
    ("c", "能否受理（核对材料）"),
    ("n", "一次性告知单"),
    ("s", "搜索列表"),
    ("help", "查看全部命令"),
    ("q", "退出"),
)


def _params(short: str) -> tuple[Param, ...]:
    """The options the session offers for a short command: those declared with a ``repl`` spelling."""
    target = TARGETS.get(short)
    return tuple(p for p in SPECS[target].options if p.repl) if target else ()


OPTIONS: dict[str, Param] = {word: p for short in TARGETS for p in _params(short) for word in p.repl}
"""Option word → parameter; written /when, -w, --when, /条件 …"""
OPTION_SPELLING: dict[str, str] = {p.name: "/" + p.repl[0] for p in OPTIONS.values()}
ALLOWED: dict[str, tuple[str, ...]] = {short: tuple(p.name for p in _params(short)) for short in TARGETS}
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
                      /doc 文件.html：写出受理、容缺、补正或不予受理通知书
  n [事项]      一次性告知单（屏幕显示），例：n 4 /when 代办
                选项同 m，另有 /missing 材料…　/date 日期
                /o 文件.html：另存为可打印的网页
  s 关键词      搜索列表，例：s 社保卡
  ? 或 help     本帮助
  q、exit、Ctrl-D   退出；Ctrl-C 清空当前输入；Tab 或方向键选择补全
选项也可写成 -m、--missing；多个值用空格或顿号隔开：/when 代办 劳动争议
超过一屏的回答在翻页程序中显示：空格 下一页，b 上一页，q 返回查询"""


EXAMPLES = {
    "show": "例如：失业金",
    "s": "例如：s 社保卡",
    "m": "例如：m 4 /when 代办",
    "c": "例如：c 14 /missing 身份证复印件",
    "n": "例如：n 4 /when 代办",
}


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
        return OPTIONS[key].name, ""
    # the value written without a space: /when代办, -m身份证
    for word in sorted(OPTIONS, key=len, reverse=True):
        if key.startswith(word) and len(body) > len(word) and not body[len(word)].isascii():
            return OPTIONS[word].name, body[len(word) :]
    raise UsageError(f"未知的选项“{token[:20]}”", hint="输入 ? 查看命令和选项")


def _show(text: str) -> Command:
    """A bare query: the card; ``/full`` (or ``/全部``) at the end asks for the whole card. Any other
    word, slashes included, belongs to the query (缴费到账/划账)."""
    words = text.split()
    full = bool(words) and _nfkc(words[-1]).lower() in {"/" + w for w in SPECS["show"].param("full").repl}
    if full:
        words = words[:-1]
    return Command("show", " ".join(words), {"full": True} if full else {})


def parse_line(line: str) -> Command | None:
    """Parse one line; ``None`` for an empty line."""
    text = line.strip()
    if not text:
        return None
    head, rest = _split_head(text)
    name = WORDS.get(_nfkc(head).lower())
    if name is None or (name in ("?", "q") and rest):  # "q 4" is a query, not a way out
        return _show(text)
    if name in ("?", "q"):
        return Command(name)
    if name == "show":
        return _show(rest)
    if name == "s":
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
            if _kind(option) == "flag":
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
        if _kind(option) == "flag":
            continue
        if not values:
            raise UsageError(f"{OPTION_SPELLING[option]} 后面缺少内容", hint="输入 ? 查看命令和选项")
        if _multi(option):
            options[option] = [v for token in values for v in _VALUE_SEPARATORS.split(token) if v]
        else:
            options[option] = " ".join(values)
    return Command(name, " ".join(query), options)


def _kind(option: str) -> str:
    return next(p.kind for p in OPTIONS.values() if p.name == option)


def _multi(option: str) -> bool:
    return _kind(option) == "multi"


# ── the session ──


def _for_repl(message: str) -> str:
    """Turn the CLI's hints into the session's words (``--case`` → ``/case`` …)."""
    text = message
    text = re.sub(r"(?:运行\s*)?rsguide search 关键词(?: 查看候选)?", "输入 s 关键词 查看候选", text)
    text = re.sub(r"(?:可)?运行\s*rsguide offices", "输入 o", text)
    text = re.sub(r"rsguide show ", "", text)
    for long in ("case", "when", "situation", "missing", "have", "channel", "date", "full"):
        text = text.replace(f"--{long}", f"/{long}")
    return text


_YES = frozenset({"是", "是的", "对", "属于", "有", "y", "yes", "1"})
_NO = frozenset({"否", "不是", "不", "不对", "不属于", "没有", "无", "n", "no", "0"})


@dataclass
class _PendingCheck:
    """A check waiting for the applicant's answers about open 禁办情形."""

    values: dict[str, Any]
    questions: list[tuple[str, str]]
    subject: str = ""
    """The subject being checked as the status bar names it (第18项 职称证书补发)."""


class Repl:
    """The state of one session: the knowledge base and the item shown last."""

    def __init__(self, session: Session, *, stream: TextIO, no_color: bool = False) -> None:
        self.session = session
        self.stream = stream
        self.no_color = no_color
        self.current: int | None = None
        self.pending: _PendingCheck | None = None
        self.menu_rows = RESERVED_MENU_ROWS
        """Rows the next prompt keeps free for the completion menu (fewer under a tall answer)."""

    # output

    @property
    def color(self) -> bool:
        """Whether answers are coloured."""
        from rsguide.output.render import use_color

        return use_color(self.stream, self.no_color)

    def width(self) -> int:
        """The width answers are rendered at: the terminal's, at most :data:`MAX_WIDTH`."""
        return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))

    def _dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.color else text

    def say(self, text: str, style: str = "") -> None:
        """Print one line (red for errors, dim for hints, when colours are on)."""
        from rsguide.sanitize import clean

        text = clean(text)  # an error may quote the input line
        codes = {"error": "31", "dim": "2", "ok": "32"}
        if self.color and style in codes:
            text = f"\x1b[{codes[style]}m{text}\x1b[0m"
        self.stream.write(text + "\n")
        self.stream.flush()

    def show(self, out: Output) -> None:
        """Render a view as a table at the session's width."""
        from rsguide.output.render import Fields, Section, Table, clean_output, print_table

        out = clean_output(out)
        for block in out.blocks:  # the views speak of --when and --case; here they are /when and /case
            if isinstance(block, (Section, Table, Fields)) and block.title:
                block.title = _for_repl(block.title)
            if isinstance(block, Section):
                block.lines = [_for_repl(line) for line in block.lines]
            if isinstance(block, Fields):
                block.rows = [(key, _for_repl(value)) for key, value in block.rows]
        import io

        from rsguide.cli.pager import is_terminal, page, screen_size, too_tall

        buffer = io.StringIO()
        print_table(out.blocks, buffer, color=self.color, width=self.width())
        text = buffer.getvalue()
        self.menu_rows = RESERVED_MENU_ROWS
        if not is_terminal(self.stream):
            self.stream.write(text)
        else:
            # An answer that fits above the footer, the prompt and the toolbar is printed, and the next
            # prompt keeps only the rows left for the menu, so its top (the name, the verdict) stays in
            # view; a taller one goes through the pager, whose status line says how to get back here.
            rows = screen_size()[1]
            if too_tall(text, rows - PROMPT_ROWS + 1):
                page(f"{self._dim(PAGER_HEAD)}\n{text}{self._dim(PAGER_TAIL)}\n", self.stream)
            else:
                self.stream.write(text)
                self.menu_rows = min(RESERVED_MENU_ROWS, rows - PROMPT_ROWS - text.count("\n"))
        self.stream.flush()

    # commands

    def handle(self, line: str) -> bool:
        """Answer one line; ``False`` when the session should end. Never raises (but for Ctrl-C)."""
        cmd = None
        try:
            if self.pending is not None and self._answer(line):
                return True
            cmd = parse_line(line)
            if cmd is None:
                return True
            if cmd.name == "q":
                return False
            self.run(cmd)
        except RsguideError as exc:
            self.say(_for_repl(str(exc)), "error")
            if cmd is not None and cmd.query.strip() and self.current is not None:
                self.current = None  # the next short command must not silently fall back on an older item
                self.say("当前事项已清除：下一条命令请写上事项", "dim")
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # last resort: the session must survive anything
            detail = " ".join(str(exc).split())[:120]
            self.say(f"出错了（{type(exc).__name__}{'：' + detail if detail else ''}），可以继续查询", "error")
        return True

    def run(self, cmd: Command) -> None:
        """Run a parsed command through the command layer and print its result."""
        if cmd.name == "?":
            self.stream.write(HELP + "\n")
            self.stream.flush()
            return
        spec = SPECS[TARGETS[cmd.name]]
        raw: dict[str, object] = dict(cmd.options)
        query = cmd.query.strip()
        if cmd.name == "o":
            self._offices(query)
            return
        argument = spec.arguments[0].name
        if cmd.name == "show" and not query and cmd.options.get("full") and self.current is not None:
            raw[argument] = str(self.current)  # the card's own hint: “加 /full 显示全部信息”
        elif cmd.name in ("show", "s"):
            if not query:
                raise UsageError("请写上" + ("关键词" if cmd.name == "s" else "事项"), hint=EXAMPLES[cmd.name])
            raw[argument] = query
        else:
            raw[argument] = self._query(cmd, EXAMPLES[cmd.name])
        raw["fmt"] = "plain" if cmd.name == "n" else "table"
        values = convert(spec, raw)
        if cmd.name == "c" and self._ask_open(values):
            return
        result = self._run(spec.name, values)
        self.print_result(result)
        if cmd.name == "n" and values.get("output"):
            from rsguide.output.files import write_atomic

            values["fmt"] = "html"
            page = self._run(spec.name, values)
            path = write_atomic(os.path.expanduser(str(values["output"])), page.text or "")
            self.say(f"已写入 {path}（用浏览器打开后打印）", "ok")
        if cmd.name == "s" and result.output is not None and result.exit_code == ExitCode.OK:
            data = result.output.data
            if isinstance(data, list) and data:
                self.say(f"输入序号即可查看事项，例如：{data[0]['number']}", "dim")
        if result.item is not None:
            self._footer(*result.item)

    def _ask_open(self, values: dict[str, Any]) -> bool:
        """``c`` where 禁办情形 are still open: ask them one by one (是/否) before the verdict."""
        from rsguide.check.checker import Verdict, check, parse_date

        s = self.session
        v = check(
            s.catalog,  # items read one at a time from the store, not the whole knowledge base
            s.index,
            str(values["subject"]),
            have=list(values.get("have") or ()),
            missing=list(values.get("missing") or ()),
            situations=list(values.get("situation") or ()),
            when=list(values.get("when") or ()),
            case=values.get("case"),
            channel=values.get("channel"),
            date=parse_date(values.get("date")),
        )
        if v.verdict is not Verdict.UNCONFIRMED or not v.questions:
            return False
        item = v.subject.item
        if item is not None:
            self.current = item.number  # the status bar names the item whose 禁办 questions are asked
        named = f"第{item.number}项 {item.name}" if item is not None else v.subject.name
        self.pending = _PendingCheck(values, [(f.label, f.question) for f in v.questions], named)
        self.say(
            f"{v.subject.name}：有 {len(v.questions)} 种禁办情形要向申请人核对（回答 是/否，其他输入放弃核对）", "dim"
        )
        self._ask()
        return True

    def _ask(self) -> None:
        assert self.pending is not None
        label, question = self.pending.questions[0]
        self.say(f"{label}：{question}（是/否）")

    def _answer(self, line: str) -> bool:
        """An answer to the pending 禁办 question; ``False`` (and the check abandoned) for anything else."""
        pending = self.pending
        assert pending is not None
        key = unicodedata.normalize("NFKC", line).strip().lower().rstrip("。.!！")
        label, _question = pending.questions[0]
        situations = list(pending.values.get("situation") or ())
        if key in _YES:
            situations.append(label)
        elif key in _NO:
            situations.append(f"不是{label}")
        else:
            self.pending = None
            self.say("已放弃禁办核对", "dim")
            return False
        pending.values["situation"] = situations
        pending.questions.pop(0)
        if key in _NO and pending.questions:
            self._ask()
            return True
        self.pending = None
        result = self._run("check", pending.values)
        self.print_result(result)
        if result.item is not None:
            self._footer(*result.item)
        return True

    def _run(self, name: str, values: dict[str, object]) -> Result:
        from rsguide import commands

        return commands.run(SPECS[name], self.session, values)

    def _offices(self, query: str) -> None:
        """``o``: the current item's places, a district's, an item's, or all of them."""
        from rsguide.commands.offices import offices, places_or_item

        if query:
            result = places_or_item(self.session, query=query)
        elif self.current is not None:
            result = offices(self.session, item=str(self.current))
        else:
            result = offices(self.session)
        self.print_result(result)
        if result.item is not None:
            self._footer(*result.item)

    def print_result(self, result: Result) -> None:
        """Show what a command produced at the session's width."""
        for note in result.notes:
            self.say(f"（给经办人）{_for_repl(note)}", "dim")
        if result.output is not None and (result.exit_code == ExitCode.OK or result.screen_on_failure):
            self.show(result.output)
        elif result.text is not None:
            self.stream.write(result.text)
            self.stream.flush()
        if result.written:
            self.say(f"已写入 {result.written}", "ok")
        if result.message:
            self.say(_for_repl(result.message), "error")

    def _query(self, cmd: Command, example: str) -> str:
        if cmd.query.strip():
            return cmd.query
        if self.current is not None:
            return str(self.current)
        raise UsageError("请写上事项", hint=example)

    def status(self) -> str:
        """What the status bar says about the session: the subject whose 禁办 questions are being
        asked, else the item shown last (``""`` when there is none)."""
        if self.pending is not None and self.pending.subject:
            return f"核对中：{self.pending.subject}"
        item = self.session.catalog.item(self.current) if self.current is not None else None
        return f"当前：第{item.number}项 {item.name}" if item else ""

    def _footer(self, number: int, name: str) -> None:
        self.current = number
        self.say(f"—— 当前：第{number}项 {name}；m、n、o、c 后面可省略事项", "dim")

    # loops

    def run_lines(self, lines: Iterable[str]) -> int:
        """Answer each line until ``q`` or the end of input."""
        for line in lines:
            if not self.handle(line):
                break
        return ExitCode.OK

    def banner(self) -> None:
        """The greeting of an interactive session."""
        count = self.session.item_count()
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
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)  # queries may name a person
        os.close(fd)
        return CappedFileHistory(str(path)), None
    except OSError as exc:
        return InMemoryHistory(), f"历史记录无法保存到 {path}（{exc.strerror or exc}），本次只保留在内存中"


def make_completer(session: Session, current: Callable[[], int | None] = lambda: None) -> Any:
    """Completion as you type: item names (by name, alias, pinyin), commands and option values.

    ``current`` gives the item shown last (for the values of ``/case`` and ``/when`` when the
    command names no item)."""
    from prompt_toolkit.completion import Completer, Completion

    from rsguide.search.lookup import MAX_QUERY
    from rsguide.search.normalize import fold, has_cjk

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
            from rsguide.search.engine import search

            key = fold(query)
            if not key or (len(key) < 2 and not has_cjk(key)):
                return
            kb = session.catalog
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
            from rsguide.model import CHANNELS
            from rsguide.search.lookup import resolve

            if option == "channel":
                values: list[tuple[str, str]] = [(c, "") for c in CHANNELS]
            elif option in ("case", "when"):
                number = current()
                q = query or (str(number) if number is not None else "")
                if not q:
                    return
                item = resolve(session.catalog, session.index, q).item
                if option == "case":
                    values = [(c.id, c.name if c.name != c.id else "") for c in item.cases]
                else:
                    values = [(t, session.catalog.conditions.get(t, "")) for t in item.condition_tags]
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
        status = repl.status()
        return hints + (f" │ {status}" if status else "")

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
            line = session.prompt(reserve_space_for_menu=repl.menu_rows)
            repl.menu_rows = RESERVED_MENU_ROWS  # what is typed next may need the whole menu
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
        from rsguide.cli.streams import fail

        fail("已中断")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (… | head)
        return ExitCode.OK
