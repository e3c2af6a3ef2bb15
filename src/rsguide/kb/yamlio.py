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
from collections.abc import Callable, Iterable
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


_HINT = "确需更大可设环境变量 RSGUIDE_MAX_FILE_MB"


def _open_checked(path: Path, limit: int) -> int:
    """A descriptor of the regular file ``path`` of at most ``limit`` bytes (see :func:`read_limited`)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError("应为文件，实为目录")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("不是普通文件（设备、管道或套接字），不能作为知识库文件")
        if st.st_size > limit:
            raise ValueError(f"文件过大（{_mb(st.st_size)}，上限 {_mb(limit)}；{_HINT}）")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default :func:`max_file_bytes`).

    The file is opened without waiting (a FIFO with no writer does not block) and checked with
    ``fstat`` after opening, so a symlink to a device or a FIFO is refused whatever its name says;
    at most ``limit + 1`` bytes are read, so a file that grows while it is read cannot exhaust memory.
    Raises ``OSError`` (``FileNotFoundError`` …) or ``ValueError`` with a Chinese message.
    """
    limit = max_file_bytes() if limit is None else limit
    fd = _open_checked(path, limit)
    try:
        hint = _HINT
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


def node_limit() -> int:
    """Nodes allowed in a file once every alias is expanded: :data:`MAX_NODES` per
    :data:`MAX_FILE_BYTES` of the size limit in force (a larger knowledge base allowed by
    ``RSGUIDE_MAX_FILE_MB`` has proportionally more nodes; the default is :data:`MAX_NODES`)."""
    return max(MAX_NODES, MAX_NODES * (max_file_bytes() // MAX_FILE_BYTES))


class _Graph:
    """Bounds of a node graph, computed without expanding aliases (each node is visited once).

    A document may be walked whole (:func:`_check_graph`) or one part at a time (the elements of a
    streamed list): the alias count is kept for the whole file, and so are the totals of nodes and
    characters (:meth:`add_total`)."""

    def __init__(self, name: str, constructor: Any) -> None:
        self.name = name
        self.constructor = constructor
        self.issues: list[Issue] = []
        self.expanded: dict[yaml.Node, tuple[int, int]] = {}  # node → (nodes, characters) once expanded
        self.aliases = 0
        self.char_limit = max_file_bytes()
        self.node_limit = node_limit()
        self.total_nodes = 0
        self.total_chars = 0

    def issue(self, node: yaml.Node, message: str, key: str | None = None) -> None:
        if len(self.issues) < 1000:
            self.issues.append(Issue(self.name, node.start_mark.line + 1, None, key, message))

    def scalar(self, node: yaml.ScalarNode, key: str | None, is_key: bool) -> None:
        text = node.value
        what = "键" if is_key else "值"
        where = None if is_key else (key[:40] if key else None)
        if node.tag == "tag:yaml.org,2002:int":
            too_big = len(text) > 12
            if not too_big:
                try:
                    too_big = abs(int(self.constructor.construct_yaml_int(node))) > MAX_INT
                except ValueError:
                    pass
            if too_big:
                self.issue(node, f"数值过大（上限 {MAX_INT}）", where)
            return
        one_line = is_key or key in ONE_LINE_KEYS
        bad = find_control(text, one_line=one_line)
        if bad is not None:
            self.issue(node, f"{what}含控制字符 {describe(bad)}（第 {text.index(bad) + 1} 个字符），请删除", where)
        limit = MAX_URL_CHARS if key == "url" and not is_key else MAX_NAME_CHARS if one_line else MAX_TEXT_CHARS
        if len(text) > limit:
            self.issue(node, f"{what}过长（{len(text)} 个字符，上限 {limit}）", where)

    def check_size(self, nodes: int, chars: int, line: int) -> None:
        if nodes > self.node_limit:
            raise _Refused(f"展开别名后节点过多（超过 {self.node_limit:,} 个；疑似“别名炸弹”）", line)
        if chars > self.char_limit:
            raise _Refused(f"展开别名后文本过长（超过 {_mb(self.char_limit)}；疑似“别名炸弹”）", line)

    def add_total(self, nodes: int, chars: int, line: int) -> None:
        """Count a streamed part towards the file's totals."""
        self.total_nodes += nodes
        self.total_chars += chars
        self.check_size(self.total_nodes, self.total_chars, line)

    def forget(self, keep: Iterable[yaml.Node]) -> None:
        """Drop what is known of nodes no longer reachable (all but ``keep``, the anchored ones)."""
        if len(self.expanded) > 10_000:
            self.expanded = {n: self.expanded[n] for n in keep if n in self.expanded}

    def walk(self, root: yaml.Node, key: str | None = None, is_key: bool = False, depth: int = 1) -> tuple[int, int]:
        """Check ``root`` and what it contains; returns its (nodes, characters) once expanded."""
        expanded = self.expanded
        on_path: set[int] = set()
        # An iterative post-order walk: (node, key, is_key, depth, children done?)
        stack: list[tuple[yaml.Node, str | None, bool, int, bool]] = [(root, key, is_key, depth, False)]
        while stack:
            node, key, is_key, depth, done = stack.pop()
            ident = id(node)
            if done:
                on_path.discard(ident)
                nodes, chars = 1, 0
                for child in _children(node):
                    n, c = expanded[child]
                    nodes += n
                    chars += c
                expanded[node] = (min(nodes, self.node_limit + 1), chars)
                self.check_size(nodes, chars, node.start_mark.line + 1)
                continue
            if node in expanded:  # a second use of an anchored node: an alias
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise _Refused(f"别名（*）使用过多（超过 {MAX_ALIASES:,} 次）", node.start_mark.line + 1)
                continue
            if ident in on_path:
                raise _Refused("别名引用了包含它自己的节点（循环引用）", node.start_mark.line + 1)
            if depth > MAX_DEPTH:
                raise _Refused(f"嵌套过深（超过 {MAX_DEPTH} 层）", node.start_mark.line + 1)
            if isinstance(node, yaml.ScalarNode):
                self.scalar(node, key, is_key)
                expanded[node] = (1, len(node.value))
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
        return expanded[root]


def _check_graph(root: yaml.Node, name: str, constructor: Any) -> list[Issue]:
    """Bounds of the node graph of a whole document (see :class:`_Graph`)."""
    graph = _Graph(name, constructor)
    graph.walk(root)
    return graph.issues


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _StreamReader:
    """The bytes of a regular file for the parser, a chunk at a time: at most :func:`max_file_bytes`,
    checked as UTF-8 on the way (with the line of a bad byte), the lines of recent chunks kept so that
    a reader error can be given its line."""

    def __init__(self, fd: int, limit: int, *, start: int = 0, end: int | None = None, prefix: bytes = b"") -> None:
        import codecs

        self.fd = fd
        self.limit = limit
        self.size = 0
        self.lines = 0  # line breaks before the current chunk
        self.recent: list[tuple[int, int, bytes]] = []  # (offset, line breaks before, chunk)
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.blank = True  # nothing but white space so far
        self.first = start == 0 and not prefix
        # A part of the file (see read_yaml_part): ``prefix``, then the bytes from ``start`` to ``end``.
        self.prefix = prefix
        self.pos = start
        self.end = end

    def read(self, size: int) -> bytes:
        if self.prefix:
            chunk, self.prefix = self.prefix, b""
        elif self.end is not None:
            chunk = os.pread(self.fd, max(0, min(max(size, 1), 1 << 16, self.end - self.pos)), self.pos)
            self.pos += len(chunk)
        else:
            chunk = os.read(self.fd, min(max(size, 1), 1 << 16, self.limit + 1 - self.size) or 1)
        if self.first:
            self.first = False
            if chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]  # a BOM from Windows editors is harmless
        offset = self.size
        self.size += len(chunk)
        if self.size > self.limit:
            raise _Refused(f"文件过大（读取时超过上限 {_mb(self.limit)}；{_HINT}）")
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            line = self.lines + chunk[: max(exc.start, 0)].count(b"\n") + 1
            raise _Refused("文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8", line) from None
        if self.blank and text.strip():
            self.blank = False
        self.recent.append((offset, self.lines, chunk))
        del self.recent[:-4]
        self.lines += chunk.count(b"\n")
        return chunk

    def line_at(self, offset: int) -> int | None:
        """The line of a byte offset among the recent chunks."""
        for start, before, chunk in self.recent:
            if start <= offset <= start + len(chunk):
                return before + chunk[: offset - start].count(b"\n") + 1
        return None


class _StreamLoader(_BaseLoader):
    """The C parser's events composed into nodes in Python, so that one element of a long list can
    be composed, checked and built at a time."""

    duplicate_keys: list[tuple[Any, int]]

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        from yaml.composer import Composer

        Composer.__init__(self)  # type: ignore[arg-type]

    compose_node = yaml.composer.Composer.compose_node
    compose_scalar_node = yaml.composer.Composer.compose_scalar_node
    compose_sequence_node = yaml.composer.Composer.compose_sequence_node
    compose_mapping_node = yaml.composer.Composer.compose_mapping_node


_StreamLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


_MAP_TAG = "tag:yaml.org,2002:map"
_NULL_TAG = "tag:yaml.org,2002:null"


def _construct_pair(loader: _StreamLoader, key: yaml.Node, value: yaml.Node) -> LineDict:
    """One key and its value, built as a one-entry mapping (so keys are built as ever)."""
    ld: Any = loader
    data: LineDict = ld.construct_document(yaml.MappingNode(_MAP_TAG, [(key, value)], key.start_mark, key.end_mark))
    return data


def _put(loader: _StreamLoader, target: LineDict, pair: LineDict) -> None:
    for k, v in pair.items():
        line = pair.key_lines[k]
        if k in target:
            loader.duplicate_keys.append((k, line))
        target[k] = v
        target.key_lines[k] = line


def _compose_streaming(
    loader: _StreamLoader, graph: _Graph, key: str | None, on_element: Callable[[Any, int], None] | None
) -> tuple[bool, Any]:
    """(whether there is a document, its data). Each list and mapping under the top-level mapping is
    read an element at a time: composed, checked (:class:`_Graph`), built, and its nodes dropped, so
    that no file is ever held as a whole graph of nodes. The elements of the top-level list ``key``
    are handed to ``on_element`` (data, line of the top mapping) instead of being kept."""
    from yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

    ld: Any = loader  # PyYAML's composer and parser methods, mixed in at run time (loosely typed stubs)

    ld.get_event()  # stream start
    if ld.check_event(StreamEndEvent):
        ld.get_event()
        return False, None
    ld.get_event()  # document start
    data: Any
    first_mark: Any
    if ld.check_event(MappingStartEvent) and ld.peek_event().anchor is None:
        start = ld.get_event()
        first_mark = start.start_mark
        parent = yaml.MappingNode(_MAP_TAG, [], start.start_mark, None)
        top = LineDict()
        top.line = start.start_mark.line + 1
        top.key_lines = {}
        nodes, chars = 1, 0
        failed = False
        while not ld.check_event(MappingEndEvent):
            key_node = ld.compose_node(parent, None)
            n, c = graph.walk(key_node, None, True, 2)
            nodes, chars = nodes + n, chars + c
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            value: Any
            if ld.check_event(SequenceStartEvent) and ld.peek_event().anchor is None:
                seq_start = ld.get_event()
                holder = yaml.SequenceNode("tag:yaml.org,2002:seq", [], seq_start.start_mark, None)
                value = []
                index = 0
                while not ld.check_event(SequenceEndEvent):
                    element = ld.compose_node(holder, index)
                    index += 1
                    n, c = graph.walk(element, name, False, 3)
                    graph.add_total(n, c, element.start_mark.line + 1)
                    failed = failed or bool(graph.issues)
                    if not failed:
                        built = ld.construct_document(element)
                        if on_element is not None and name == key:
                            on_element(built, top.line)
                        else:
                            value.append(built)
                    graph.forget(ld.anchors.values())
                    del element
                ld.get_event()
                graph.add_total(1, 0, seq_start.start_mark.line + 1)
            elif ld.check_event(MappingStartEvent) and ld.peek_event().anchor is None:
                map_start = ld.get_event()
                map_holder = yaml.MappingNode(_MAP_TAG, [], map_start.start_mark, None)
                value = LineDict()
                value.line = map_start.start_mark.line + 1
                value.key_lines = {}
                while not ld.check_event(MappingEndEvent):
                    entry_key = ld.compose_node(map_holder, None)
                    entry_value = ld.compose_node(map_holder, entry_key)
                    n1, c1 = graph.walk(entry_key, None, True, 3)
                    child = entry_key.value if isinstance(entry_key, yaml.ScalarNode) else None
                    n2, c2 = graph.walk(entry_value, child, False, 3)
                    graph.add_total(n1 + n2, c1 + c2, entry_key.start_mark.line + 1)
                    failed = failed or bool(graph.issues)
                    if not failed:
                        _put(loader, value, _construct_pair(loader, entry_key, entry_value))
                    graph.forget(ld.anchors.values())
                ld.get_event()
                graph.add_total(1, 0, map_start.start_mark.line + 1)
            else:
                value_node = ld.compose_node(parent, key_node)
                n, c = graph.walk(value_node, name, False, 2)
                nodes, chars = nodes + n, chars + c
                failed = failed or bool(graph.issues)
                value = ld.construct_document(value_node) if not failed else None
            if not failed:
                pair = _construct_pair(loader, key_node, yaml.ScalarNode(_NULL_TAG, "", key_node.start_mark, None))
                for k in pair:
                    if k in top:
                        ld.duplicate_keys.append((k, pair.key_lines[k]))
                    top[k] = value
                    top.key_lines[k] = pair.key_lines[k]
        ld.get_event()
        graph.add_total(nodes, chars, top.line)
        data = top
    else:
        node = ld.compose_node(None, None)
        first_mark = node.start_mark
        graph.walk(node)
        data = ld.construct_document(node) if not graph.issues else None
    ld.get_event()  # document end
    ld.anchors = {}
    if not ld.check_event(StreamEndEvent):
        event = ld.get_event()
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", first_mark, "but found another document", event.start_mark
        )
    ld.get_event()
    return True, data


class _Slow(Exception):
    """The fast reader met something it leaves to the exact reader (see :func:`_read_fast`)."""


_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FAST_TAGS = frozenset({_STR_TAG, _INT_TAG, _NULL_TAG, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float"})
_RESOLVED: dict[str, tuple[str, Any]] = {}  # short plain scalar → (tag, value), for the ones a resolver may claim


def _plain_scalar(value: str) -> tuple[str, Any]:
    """The tag and the value of a plain scalar, as PyYAML's resolver and safe constructor make them
    (:class:`_Slow` for a tag the fast reader does not build)."""
    found = _RESOLVED.get(value)
    if found is not None:
        return found
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag not in _FAST_TAGS:
        raise _Slow(tag)
    built = value if tag == _STR_TAG else _CONSTRUCT.construct_object(yaml.ScalarNode(tag, value), deep=True)
    if len(value) <= 40:  # numbers, yes/no, dates: short ones only, so the memo stays small
        if len(_RESOLVED) > 10_000:
            _RESOLVED.clear()
        _RESOLVED[value] = (tag, built)
    return tag, built


_CONSTRUCT: Any = yaml.constructor.SafeConstructor()
_RESOLVER: Any = yaml.resolver.Resolver()
_RESOLVER_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)


def _read_fast(
    reader: _StreamReader,
    key: str | None,
    on_element: Callable[[Any, int], None] | None,
    line_base: int = 0,
    counts: list[int] | None = None,
) -> Any:
    """The data of a plain, valid file, built straight from libyaml's events (no node graph).

    The same data, lines and bounds as the exact reader (:func:`_compose_streaming` with
    :class:`_Graph`) for a file within every bound, without anchors, aliases, explicit tags, merge
    keys, complex or duplicate keys or more than one document. Anything else — any bound passed,
    any syntax error, any value the exact reader would report — raises :class:`_Slow` (or the
    parser's own exception) before it is built, and the exact reader reads the file again to say
    what is wrong. Elements handed to ``on_element`` before that are valid and are the same ones the
    exact reader hands over first.

    ``line_base`` is added to every line (a part of a file, see :func:`read_yaml_part`); ``counts``,
    when given, receives the nodes and characters read (bounded here as for a whole file)."""
    from yaml._yaml import CParser

    from rsguide.sanitize import _UNSAFE, _UNSAFE_ONE_LINE

    stream: Any = reader
    parser = CParser(stream)
    get: Callable[[], Any] = parser.get_event
    ev_scalar, ev_seq, ev_map = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
    ev_seq_end, ev_map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
    one_line_keys, first_chars, resolved = ONE_LINE_KEYS, _RESOLVER_FIRST, _RESOLVED
    # the compiled patterns' own methods: LazyPattern.search is a Python call per scalar (≈ 13 million
    # scalars at 100,000 items)
    unsafe_search, unsafe_one_line_search = _UNSAFE.compiled().search, _UNSAFE_ONE_LINE.compiled().search
    most_nodes, most_chars = node_limit(), max_file_bytes()
    nodes = chars = 0
    known_keys: set[str] = set()  # plain keys that read as themselves and passed every check of a key
    try:
        if get().__class__ is not yaml.StreamStartEvent or get().__class__ is not yaml.DocumentStartEvent:
            raise _Slow("no document")
        event = get()
        if event.__class__ is not ev_map or event.anchor is not None or event.tag not in (None, "!", _MAP_TAG):
            raise _Slow("not a mapping")
        mark: Any = event.start_mark
        top = LineDict()
        top.line = mark.line + 1 + line_base
        top.key_lines = {}
        # The open collections: [container, key lines (None for a list), context key, depth,
        # pending key of a mapping (_NO_KEY when none), its line, elements handed over?, the
        # pending key as written (the context of its value)].
        stack: list[list[Any]] = [[top, top.key_lines, None, 1, _NO_KEY, 0, False, None]]
        nodes = 1
        while stack:
            event = get()
            cls = event.__class__
            frame = stack[-1]
            container, key_lines, context, depth, pending = frame[0], frame[1], frame[2], frame[3], frame[4]
            is_key = key_lines is not None and pending is _NO_KEY
            if cls is ev_seq_end or cls is ev_map_end:
                stack.pop()
                if not stack:
                    break
                if not frame[6]:  # the streamed list itself is already in place (empty)
                    _fast_put(stack[-1], container, on_element, top.line)
                continue
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                raise _Slow("anchor, alias or tag")
            depth += 1
            nodes += 1
            if depth > MAX_DEPTH or nodes > most_nodes:
                raise _Slow("bound")
            if cls is ev_scalar:
                text = event.value
                chars += len(text)
                if chars > most_chars:
                    raise _Slow("bound")
                if is_key and text in known_keys and event.implicit[0]:  # a plain key read before: checked
                    if text in container:
                        raise _Slow("duplicate key")
                    frame[4] = frame[7] = text
                    frame[5] = event.start_mark.line + 1 + line_base
                    continue
                if event.implicit[0] and (not text or text[0] in first_chars):
                    found = resolved.get(text)
                    tag, value = found if found is not None else _plain_scalar(text)
                    if tag == _INT_TAG and (len(text) > 12 or abs(value) > MAX_INT):
                        raise _Slow("integer")
                else:
                    tag, value = _STR_TAG, text
                if tag != _INT_TAG:
                    ctx = None if is_key else frame[7] if key_lines is not None else context
                    one_line = is_key or ctx in one_line_keys
                    if (unsafe_one_line_search if one_line else unsafe_search)(text) is not None:
                        raise _Slow("control character")
                    limit = (
                        MAX_URL_CHARS if ctx == "url" and not is_key else MAX_NAME_CHARS if one_line else MAX_TEXT_CHARS
                    )
                    if len(text) > limit:
                        raise _Slow("too long")
                if is_key:
                    if value in container:
                        raise _Slow("duplicate key")
                    if tag == _STR_TAG and event.implicit[0] and len(known_keys) < 1000:
                        known_keys.add(text)
                    frame[4] = value
                    frame[5] = event.start_mark.line + 1 + line_base
                    frame[7] = text  # the key as written: the context of its value
                    continue
                if key_lines is None:
                    if frame[6]:
                        _fast_put(frame, value, on_element, top.line)
                    else:
                        container.append(value)
                else:
                    container[pending] = value
                    key_lines[pending] = frame[5]
                    frame[4] = _NO_KEY
                continue
            if cls is not ev_seq and cls is not ev_map:
                raise _Slow("event")
            if is_key:
                raise _Slow("complex key")
            child_context = frame[7] if key_lines is not None else context
            stream = len(stack) == 1 and cls is ev_seq and on_element is not None and child_context == key
            if cls is ev_seq:
                if stream:
                    top[pending] = []
                    top.key_lines[pending] = frame[5]
                    frame[4] = _NO_KEY
                stack.append([[], None, child_context, depth, _NO_KEY, 0, stream, None])
            else:
                child = LineDict()
                child.line = event.start_mark.line + 1 + line_base
                child.key_lines = {}
                stack.append([child, child.key_lines, child_context, depth, _NO_KEY, 0, False, None])
        if get().__class__ is not yaml.DocumentEndEvent or get().__class__ is not yaml.StreamEndEvent:
            raise _Slow("more than one document")
    finally:
        parser.dispose()
    if counts is not None:
        counts[:] = [nodes, chars]
    return top


_NO_KEY: Any = object()


def _fast_put(frame: list[Any], value: Any, on_element: Callable[[Any, int], None] | None, line: int) -> None:
    """Add a finished value to the open collection ``frame``, or hand it over when it is an element
    of the streamed list (see :func:`_read_fast`)."""
    key_lines = frame[1]
    if frame[6]:
        assert on_element is not None
        on_element(value, line)
        return
    if key_lines is None:
        frame[0].append(value)
        return
    key = frame[4]
    frame[0][key] = value
    key_lines[key] = frame[5]
    frame[4] = _NO_KEY


def read_yaml_stream(
    path: Path, key: str | None = None, on_element: Callable[[Any, int], None] | None = None
) -> tuple[Any, list[Issue]]:
    """Like :func:`read_yaml`, reading the file a chunk at a time: each element of the top-level list
    ``key`` is composed, checked (the same bounds, counted for the whole file) and built on its own
    and handed to ``on_element(data, line of the top mapping)``; that list is left empty in the data
    returned. Nothing of the file is kept whole, so memory does not grow with the list.

    A plain, valid file is read by :func:`_read_fast` (libyaml's events straight into data); when
    that reader meets anything else, the file is read again by the exact reader, which reports the
    same issues as ever (the elements already handed over are not handed over twice).

    When the data comes back ``None`` (the file is refused), elements may already have been handed
    over: the caller discards what it made of them.
    """
    handed = 0
    in_callback = False

    def counted(data: Any, line: int) -> None:
        nonlocal handed, in_callback
        assert on_element is not None
        in_callback = True
        on_element(data, line)
        in_callback = False
        handed += 1

    try:
        fd = _open_checked(path, max_file_bytes())
    except (OSError, ValueError):
        fd = None
    if fd is not None:
        try:
            data = _read_fast(_StreamReader(fd, max_file_bytes()), key, counted if on_element is not None else None)
            return data, []
        except Exception:
            if in_callback:
                raise
        finally:
            os.close(fd)
    if handed and on_element is not None:
        skip = handed
        inner = on_element

        def on_element(data: Any, line: int) -> None:
            nonlocal skip
            if skip:
                skip -= 1
                return
            inner(data, line)

    return _read_exact(path, key, on_element)


class PartError(Exception):
    """A part of a file that :func:`read_yaml_part` does not read as a plain, valid part of the whole
    (the whole file is then read as ever, which says what is wrong, if anything)."""


def read_yaml_part(
    path: Path, key: str, on_element: Callable[[Any, int], None], start: int, end: int, first_line: int
) -> tuple[Any, int, int]:
    """Read the bytes ``start`` to ``end`` of ``path`` — where the file is cut at elements of its
    top-level list ``key`` (see :mod:`rsguide.kb.parts`) — as :func:`read_yaml_stream` reads a whole
    file with the fast reader: each element of the list is handed to ``on_element`` with the lines it
    has in the whole file (``first_line`` is the line at ``start``). A part after the first is read
    as a document of its own: ``key:`` then the part. Returns the top mapping (the list left empty),
    and the nodes and characters read (the caller bounds the whole file by their sums). Anything the
    fast reader does not read — a syntax error, an anchor, a bound passed … — raises :class:`PartError`."""
    fd = _open_checked(path, max_file_bytes())
    try:
        head = start == 0
        prefix = b"" if head else key.encode() + b":\n"
        reader = _StreamReader(fd, max_file_bytes(), start=start, end=end, prefix=prefix)
        counts: list[int] = []
        try:
            top = _read_fast(reader, key, on_element, 0 if head else first_line - 2, counts)
        except PartError:
            raise
        except Exception as exc:  # _Slow, the parser's errors, _Refused: the whole file says what it is
            raise PartError(f"{type(exc).__name__}: {exc}") from None
    finally:
        os.close(fd)
    return top, counts[0], counts[1]


def _read_exact(path: Path, key: str | None, on_element: Callable[[Any, int], None] | None) -> tuple[Any, list[Issue]]:
    """:func:`read_yaml_stream` through PyYAML's composer, every node checked by :class:`_Graph`."""
    name = str(path)
    try:
        fd = _open_checked(path, max_file_bytes())
    except FileNotFoundError:
        return None, [Issue(name, None, None, None, "文件不存在")]
    except ValueError as exc:
        return None, [Issue(name, None, None, None, str(exc))]
    except OSError as exc:
        return None, [Issue(name, None, None, None, f"无法读取文件（{exc.strerror or exc}）")]
    reader = _StreamReader(fd, max_file_bytes())
    loader: _StreamLoader | None = None
    try:
        loader = _StreamLoader(reader)
        loader.duplicate_keys = []
        graph = _Graph(name, loader)
        found, data = _compose_streaming(loader, graph, key, on_element)
        if not found:
            message = "文件为空" if reader.blank else "文件没有内容（只有注释或空值）"
            return None, [Issue(name, None, None, None, message)]
        if graph.issues:
            return None, graph.issues
    except _Refused as exc:
        return None, [Issue(name, exc.line, None, None, exc.message)]
    except yaml.reader.ReaderError as exc:  # a raw control character in the file
        at = reader.line_at(exc.position)
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
        if loader is not None:
            loader.dispose()
        os.close(fd)
    assert loader is not None
    issues = [Issue(name, line, None, str(k), "键重复") for k, line in loader.duplicate_keys]
    if data is None:
        issues.append(Issue(name, None, None, None, "文件没有内容（只有注释或空值）"))
    return data, issues


def read_yaml(path: Path) -> tuple[Any, list[Issue]]:
    """Parse one YAML file; returns the data (``None`` on failure) and the issues found. The file is
    read an element at a time (see :func:`read_yaml_stream`); the data is the whole file."""
    return read_yaml_stream(path)
