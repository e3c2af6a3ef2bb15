"""Writing output files safely: atomically (temporary file, then rename), never over an
existing file without ``--force``, CSV with a BOM so that Excel opens it as UTF-8."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rsguide.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, force: bool = False, bom: bool = False) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputError(f"文件已存在：{target}", hint="加 --force 覆盖，或换一个文件名")
    if target.is_dir():
        raise OutputError(f"{target} 是目录", hint="请给出文件名")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"目录不存在：{parent}", hint="请先创建目录")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if bom:
        payload = b"\xef\xbb\xbf" + payload
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; an export is an ordinary file
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"无法写入 {target}（{exc.strerror or exc}）", hint="请检查路径和权限") from None
    return target
