"""Writing output files safely: atomically (temporary file, then rename), never over an
existing file without ``--force``, CSV with a BOM so that Excel opens it as UTF-8.

Only a regular file (or a path where nothing exists yet) is ever written: ``-o /dev/null
--force`` run as root must not replace the device, and a FIFO's reader must not get an empty
rename. A dangling symlink counts as an existing file; a replaced file keeps its permissions.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from rsguide.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: str | os.PathLike[str], *, force: bool = False) -> tuple[Path, int | None]:
    """The target of ``-o`` and the permission bits of the file it replaces (``None``: a new file).

    Refuses a directory, a device, a FIFO or a socket (whatever ``--force`` says), an existing
    file or symlink (dangling ones too) without ``force``, and a missing parent folder.
    """
    target = Path(path)
    try:
        lst = os.lstat(target)
    except FileNotFoundError:
        lst = None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}（{exc.strerror or exc}）", hint="请检查路径和权限") from None
    mode: int | None = None
    if lst is not None:
        try:
            st = os.stat(target)  # what a symlink points to
        except FileNotFoundError:
            st = None  # a dangling symlink: it exists all the same
        except OSError as exc:
            raise OutputError(f"无法写入 {target}（{exc.strerror or exc}）", hint="请检查路径和权限") from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{target} 是目录", hint="请给出文件名")
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise OutputError(
                f"{target} 不是普通文件（设备、管道或套接字），不能写入",
                hint="请给出普通文件的路径；要输出到屏幕请去掉 -o",
            )
        if not force:
            raise OutputError(f"文件已存在：{target}", hint="加 --force 覆盖，或换一个文件名")
        if st is not None:
            mode = stat.S_IMODE(st.st_mode) & 0o777
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"目录不存在：{parent}", hint="请先创建目录")
    return target, mode


def finish_mode(path: str | os.PathLike[str], mode: int | None) -> None:
    """Give a finished temporary file the mode of the file it replaces, or that of a new file
    (0666 minus the umask, as ``open(path, "w")`` would)."""
    try:
        os.chmod(path, mode if mode is not None else 0o666 & ~_umask())
    except OSError:
        pass


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, force: bool = False, bom: bool = False) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder (see :func:`check_target`)."""
    target, mode = check_target(path, force=force)
    parent = target.parent if str(target.parent) else Path(".")
    payload = data.encode("utf-8-sig" if bom else "utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name[:100]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            finish_mode(tmp, mode)  # mkstemp creates 0600
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"无法写入 {target}（{exc.strerror or exc}）", hint="请检查路径和权限") from None
    return target
