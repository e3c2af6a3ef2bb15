"""``rsguide cache info|clear``."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.session import Session


def info(session: Session) -> Result:
    """The cache folder and the current knowledge base's store."""
    from rsguide.kb import cache
    inf = cache.info(session.data_dir)
    lines = [
        f"缓存目录：{inf.directory}",
        f"当前知识库：{session.data_dir}",
        f"当前缓存：{inf.current}（{'已生成' if inf.current_exists else '未生成'}）",
    ]
    lines += [f"  {path.name}  {size // 1024} KB" for path, size in inf.files]
    return Result(text="\n".join(lines) + "\n")


def clear(session: Session) -> Result:
    """Delete every compiled store."""
    from rsguide.kb import cache
    return Result(text=f"已删除 {cache.clear()} 个缓存文件。\n")
