"""The one Jinja2 environment of the notice and the papers: templates under ``rsguide/templates``,
strict about missing values, HTML escaped for pages, with the filters both use."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> Any:
    """The environment (``autoescape`` for HTML pages; Markdown and plain text escape by filter)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from rsguide.output.documents import cn_day
    from rsguide.output.notice import NOTHING_ELSE, _day, _md, _md_url

    env = Environment(
        loader=PackageLoader("rsguide", "templates"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(day=_day, cnday=cn_day, md=_md, mdurl=_md_url)
    env.globals["NOTHING_ELSE"] = NOTHING_ELSE
    return env
