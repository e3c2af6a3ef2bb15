"""Reading YAML with line numbers: the first stage of loading (file → raw mappings).

Mappings come back as :class:`LineDict`, which remembers the line of the mapping and of each
key, so that validation can name the line of every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rsguide.errors import Issue

try:  # the C parser when the wheel has it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A knowledge-base file larger than this is refused (a province has ~10,000 items ≈ 17 MB);
``RSGUIDE_MAX_FILE_MB`` raises the limit for a larger knowledge base."""


def max_file_bytes() -> int:
    """The size limit in force."""
    import os

    try:
        return int(float(os.environ["RSGUIDE_MAX_FILE_MB"]) * 1024 * 1024)
    except (KeyError, ValueError):
        return MAX_FILE_BYTES


class LineDict(dict):
    """A mapping that knows the (1-based) line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
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
            key = str(key)
        if key in result:
            loader.duplicate_keys.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_yaml(path: Path) -> tuple[Any, list[Issue]]:
    """Parse one YAML file; returns the data (``None`` on failure) and the issues found."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [Issue(name, None, None, None, "文件不存在")]
    except OSError as exc:
        return None, [Issue(name, None, None, None, f"无法读取文件（{exc.strerror or exc}）")]
    if path.is_dir():
        return None, [Issue(name, None, None, None, "应为文件，实为目录")]
    limit = max_file_bytes()
    if size > limit:
        message = f"文件过大（{size // (1024 * 1024)} MB，上限 {limit // (1024 * 1024)} MB；确需更大可设环境变量 RSGUIDE_MAX_FILE_MB）"
        return None, [Issue(name, None, None, None, message)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Issue(name, None, None, None, f"无法读取文件（{exc.strerror or exc}）")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM from Windows editors is harmless
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Issue(name, line, None, None, "文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8")]
    if not text.strip():
        return None, [Issue(name, None, None, None, "文件为空")]
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "语法错误"
        return None, [Issue(name, line, None, None, f"YAML 语法错误：{problem}")]
    except yaml.YAMLError as exc:
        return None, [Issue(name, None, None, None, f"YAML 语法错误：{exc}")]
    except RecursionError:
        return None, [Issue(name, None, None, None, "YAML 嵌套过深")]
    finally:
        loader.dispose()
    issues = [Issue(name, line, None, str(key), "键重复") for key, line in loader.duplicate_keys]
    if data is None:
        issues.append(Issue(name, None, None, None, "文件没有内容（只有注释或空值）"))
    return data, issues
