"""Reading YAML with line numbers: the first stage of loading (file → raw mappings).

Mappings come back as :class:`LineDict`, which remembers the line of the mapping and of each
key, so that validation can name the line of every problem.

A knowledge base may come from anyone, so reading is bounded before anything is built
(docs/data-format.md「上限」): only regular files are read (a FIFO or ``/dev/zero`` is refused
after ``open``, never waited on), at most :func:`max_file_bytes` of them; the parsed document is
checked as a graph of nodes before it is expanded into Python objects: at most
:data:`MAX_ALIASES` alias uses, :data:`MAX_NODES` nodes and :func:`max_file_bytes` characters of
text once every alias is expanded (a "billion laughs" alias bomb fails in microseconds), at most
:data:`MAX_DEPTH` levels, no alias that contains itself, no control character
(:mod:`rsguide.sanitize`), no text longer than :data:`MAX_NAME_CHARS` (names, ids, tags …) or
:data:`MAX_TEXT_CHARS` (other text) and no integer above :data:`MAX_INT`.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from rsguide.errors import Issue
from rsguide.sanitize import describe, find_control

try:  # the C parser when the wheel has it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A knowledge-base file larger than this is refused (a province has ~10,000 items ≈ 17 MB);
``RSGUIDE_MAX_FILE_MB`` raises the limit for a larger knowledge base."""

MAX_ALIASES = 50_000
"""Alias uses (``*name``) counted as often as they are expanded."""

MAX_NODES = 2_000_000
"""Nodes (mappings, lists, scalars) of a file once every alias is expanded."""

MAX_DEPTH = 64
"""Levels of nesting (the knowledge base needs 6)."""

MAX_NAME_CHARS = 200
"""Longest name, id, alias, tag, label, channel, phone number … (one line each)."""

MAX_URL_CHARS = 2000
"""Longest web address."""

MAX_TEXT_CHARS = 20_000
"""Longest other text (an intro, a material's wording, a tip, a note)."""

MAX_INT = 1_000_000_000
"""Largest integer (序号, 页码, 份数, 工作日)."""

ONE_LINE_KEYS = frozenset(
    {
        "name",
        "heading",
        "aliases",
        "id",
        "number",
        "label",
        "channel",
        "channels",
        "case",
        "kind",
        "form",
        "tolerance",
        "when",
        "places",
        "district",
        "subject",
        "rule_subject",
        "phones",
        "windows",
        "url",
        "source",
        "material",
        "category",
    }
)
"""Keys whose text is one line: no TAB or LF, at most :data:`MAX_NAME_CHARS` characters."""

_MAX_MB = 1024 * 1024  # 1 TB: the most RSGUIDE_MAX_FILE_MB may say


_SYNTAX = (
    ("did not find expected key", "这里缺少“键: 值”里的键，或缩进不齐"),
    ("did not find expected node content", "这里缺少内容（列表或值没有写完）"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有配对，或缺少逗号"),
    ("did not find expected '-' indicator", "列表项的“-”缩进不齐"),
    ("mapping values are not allowed", "这里不能写冒号（含冒号的文字请加引号）"),
    ("found unexpected end of stream", "文件在引号或括号里就结束了"),
    ("found undefined alias", "用到了没有定义的别名（*）"),
    ("found duplicate anchor", "锚点（&）重复定义"),
    ("could not find expected ':'", "缺少冒号"),
    ("found unexpected ':'", "这里不能写冒号（含冒号的文字请加引号）"),
    ("expected <block end>, but found", "缩进不齐"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("while scanning a simple key", "缺少冒号，或缩进不齐"),
    ("found character that cannot start any token", "有不能作为开头的字符（TAB 缩进，或 @、` 开头），请改用空格缩进或给文字加引号"),
)


def syntax_problem(problem: str) -> str:
    """libyaml's English description of a syntax error, in Chinese (the line is given apart)."""
    for english, chinese in _SYNTAX:
        if problem.startswith(english):
            return chinese
    return "请检查缩进、冒号、引号和括号"


def max_file_bytes() -> int:
    """The size limit in force: ``RSGUIDE_MAX_FILE_MB`` (a positive number of megabytes) or the default."""
    try:
        mb = float(os.environ["RSGUIDE_MAX_FILE_MB"])
    except (KeyError, ValueError):
        return MAX_FILE_BYTES
    if not math.isfinite(mb) or mb <= 0:
        return MAX_FILE_BYTES
    return int(min(mb, _MAX_MB) * 1024 * 1024)


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the (1-based) line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _Loader(_BaseLoader):
    duplicate_keys: list[tuple[Any, int]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            key = f"（{_kind(key)}）"  # never str() of a value that may be large
        if key in result:
            loader.duplicate_keys.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return f"列表，{len(value)} 项"
    if isinstance(value, dict):
        return f"映射，{len(value)} 个键"
    return type(value).__name__


class _Refused(Exception):
    """A file that is not read at all (its issue says why)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} 字节"


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default :func:`max_file_bytes`).

    The file is opened without waiting (a FIFO with no writer does not block) and checked with
    ``fstat`` after opening, so a symlink to a device or a FIFO is refused whatever its name says;
    at most ``limit + 1`` bytes are read, so a file that grows while it is read cannot exhaust memory.
    Raises ``OSError`` (``FileNotFoundError`` …) or ``ValueError`` with a Chinese message.
    """
    limit = max_file_bytes() if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError("应为文件，实为目录")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("不是普通文件（设备、管道或套接字），不能作为知识库文件")
        hint = "确需更大可设环境变量 RSGUIDE_MAX_FILE_MB"
        if st.st_size > limit:
            raise ValueError(f"文件过大（{_mb(st.st_size)}，上限 {_mb(limit)}；{hint}）")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ValueError(f"文件过大（读取时超过上限 {_mb(limit)}；{hint}）")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _check_graph(root: yaml.Node, name: str, constructor: Any) -> list[Issue]:
    """Bounds of the node graph, computed without expanding aliases (each node is visited once)."""
    issues: list[Issue] = []
    expanded: dict[int, tuple[int, int]] = {}  # id(node) → (nodes, characters) once expanded
    on_path: set[int] = set()
    aliases = 0
    char_limit = max_file_bytes()

    def issue(node: yaml.Node, message: str, key: str | None = None) -> None:
        if len(issues) < 1000:
            issues.append(Issue(name, node.start_mark.line + 1, None, key, message))

    def scalar(node: yaml.ScalarNode, key: str | None, is_key: bool) -> None:
        text = node.value
        what = "键" if is_key else "值"
        where = None if is_key else (key[:40] if key else None)
        if node.tag == "tag:yaml.org,2002:int":
            too_big = len(text) > 12
            if not too_big:
                try:
                    too_big = abs(int(constructor.construct_yaml_int(node))) > MAX_INT
                except ValueError:
                    pass
            if too_big:
                issue(node, f"数值过大（上限 {MAX_INT}）", where)
            return
        one_line = is_key or key in ONE_LINE_KEYS
        bad = find_control(text, one_line=one_line)
        if bad is not None:
            issue(node, f"{what}含控制字符 {describe(bad)}（第 {text.index(bad) + 1} 个字符），请删除", where)
        limit = MAX_URL_CHARS if key == "url" and not is_key else MAX_NAME_CHARS if one_line else MAX_TEXT_CHARS
        if len(text) > limit:
            issue(node, f"{what}过长（{len(text)} 个字符，上限 {limit}）", where)

    # An iterative post-order walk: (node, key, is_key, depth, children done?)
    stack: list[tuple[yaml.Node, str | None, bool, int, bool]] = [(root, None, False, 1, False)]
    while stack:
        node, key, is_key, depth, done = stack.pop()
        ident = id(node)
        if done:
            on_path.discard(ident)
            nodes, chars = 1, 0
            for child in _children(node):
                n, c = expanded[id(child)]
                nodes += n
                chars += c
            expanded[ident] = (min(nodes, MAX_NODES + 1), chars)
            if nodes > MAX_NODES:
                raise _Refused(f"展开别名后节点过多（超过 {MAX_NODES:,} 个；疑似“别名炸弹”）", node.start_mark.line + 1)
            if chars > char_limit:
                raise _Refused(
                    f"展开别名后文本过长（超过 {_mb(char_limit)}；疑似“别名炸弹”）", node.start_mark.line + 1
                )
            continue
        if ident in expanded:  # a second use of an anchored node: an alias
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _Refused(f"别名（*）使用过多（超过 {MAX_ALIASES:,} 次）", node.start_mark.line + 1)
            continue
        if ident in on_path:
            raise _Refused("别名引用了包含它自己的节点（循环引用）", node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise _Refused(f"嵌套过深（超过 {MAX_DEPTH} 层）", node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            scalar(node, key, is_key)
            expanded[ident] = (1, len(node.value))
            continue
        on_path.add(ident)
        stack.append((node, key, is_key, depth, True))
        if isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                child_key = k.value if isinstance(k, yaml.ScalarNode) else None
                stack.append((v, child_key, False, depth + 1, False))
                stack.append((k, None, True, depth + 1, False))
        else:
            for v in reversed(node.value):
                stack.append((v, key, False, depth + 1, False))
    return issues


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_yaml(path: Path) -> tuple[Any, list[Issue]]:
    """Parse one YAML file; returns the data (``None`` on failure) and the issues found."""
    name = str(path)
    try:
        raw = read_limited(path)
    except FileNotFoundError:
        return None, [Issue(name, None, None, None, "文件不存在")]
    except ValueError as exc:
        return None, [Issue(name, None, None, None, str(exc))]
    except OSError as exc:
        return None, [Issue(name, None, None, None, f"无法读取文件（{exc.strerror or exc}）")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM from Windows editors is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Issue(name, line, None, None, "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8")]
    del raw
    if not text.strip():
        return None, [Issue(name, None, None, None, "文件为空")]
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Issue(name, None, None, None, "文件没有内容（只有注释或空值）")]
        found = _check_graph(node, name, loader)
        if found:
            return None, found
        data = loader.construct_document(node)
    except _Refused as exc:
        return None, [Issue(name, exc.line, None, None, exc.message)]
    except yaml.reader.ReaderError as exc:  # a raw control character in the file
        at = text[: exc.position].count("\n") + 1
        return None, [Issue(name, at, None, None, f"含控制字符 {describe(chr(exc.character))}，请删除")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第{mark.column + 1}列" if mark else ""
        problem = syntax_problem(exc.problem or exc.context or "")
        return None, [Issue(name, mark.line + 1 if mark else None, None, None, f"YAML 语法错误（{where}）：{problem}")]
    except yaml.YAMLError:
        return None, [Issue(name, None, None, None, "YAML 语法错误：请检查缩进、冒号和引号")]
    except RecursionError:
        return None, [Issue(name, None, None, None, "YAML 嵌套过深")]
    except (ValueError, OverflowError) as exc:  # a scalar no constructor accepts (e.g. a date 0000-00-00)
        return None, [Issue(name, None, None, None, f"YAML 值无法解析：{str(exc)[:200]}")]
    finally:
        loader.dispose()
    issues = [Issue(name, line, None, str(key), "键重复") for key, line in loader.duplicate_keys]
    if data is None:
        issues.append(Issue(name, None, None, None, "文件没有内容（只有注释或空值）"))
    return data, issues
