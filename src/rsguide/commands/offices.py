"""``rsguide offices``: windows, venues, platforms and apps."""

from __future__ import annotations

import re
import unicodedata

from rsguide.commands import Result
from rsguide.errors import NotFoundError
from rsguide.session import Session


def offices(session: Session, *, query: str | None = None, item: str | None = None, kind: str | None = None) -> Result:
    """All places, those of a district or name, or where one item is handled."""
    from rsguide.kb.offices import filter_offices
    from rsguide.output.views import item_places_view, offices_view

    kb = session.catalog
    if item:
        from rsguide.search.lookup import resolve

        it = resolve(kb, session.index, item).item
        # named places, the source's generic wording, the district windows only as a labelled reference
        return Result(item_places_view(kb, it, query), item=(it.number, it.name))
    number = window_number(query) if query else None
    if number is not None:
        return _numbered(session, number, kind)
    found = filter_offices(kb, query, kind)
    title = "办事地点" if query or kind else "办事地点（县（市）区窗口与市级地点）"
    if not found:
        raise NotFoundError(f"没有找到地点“{query or kind}”", hint="运行 rsguide offices 查看全部地点")
    return Result(offices_view(found, title, []))


_NUMBER = re.compile(r"^第?(\d+|[零一二三四五六七八九十两]+)(?:号)?(?:窗口)?$")


def window_number(query: str) -> int | None:
    """The window number a query names (``8``, ``８``, ``第8``, ``8号``, ``八号窗口``), or ``None``."""
    from rsguide.numerals import from_chinese

    m = _NUMBER.match(unicodedata.normalize("NFKC", query).strip())
    if m is None:
        return None
    text = m.group(1)
    return int(text) if text.isdigit() else from_chinese(text)


def _numbered(session: Session, number: int, kind: str | None) -> Result:
    """The windows the source's list numbers ``number`` (not digits inside an address): every one of
    them where the source gives a number twice, and a plain “没有” where it gives it to none."""
    from rsguide.kb.offices import filter_offices
    from rsguide.output.views import offices_view

    listed = [o for o in filter_offices(session.catalog, None, kind) if o.number is not None]
    found = [o for o in listed if o.number == number]
    if not found:
        numbers = sorted(o.number for o in listed if o.number is not None)
        example = next((o.district for o in listed if o.district), listed[0].name if listed else "")
        raise NotFoundError(
            f"源文件的窗口列表没有序号为{number}的窗口",
            hint=f"列表的序号：{'、'.join(map(str, numbers))}；按区县、名称或地址查：rsguide offices {example}"
            if numbers
            else "运行 rsguide offices 查看全部地点",
        )
    title = f"序号为{number}的窗口"
    if len(found) > 1:
        names = "、".join(o.district or o.name for o in found)
        title += f"（源文件中{names}的序号都写作“{number}”）"
    return Result(offices_view(found, title, []))


def places_or_item(session: Session, *, query: str) -> Result:
    """The interactive ``o``: a district or place name, else an item's places."""
    from rsguide.search.lookup import quick_match

    item = None
    try:
        item = quick_match(session.catalog, query)
    except NotFoundError:
        item = None
    if item is None:
        try:
            return offices(session, query=query)
        except NotFoundError:
            pass
    try:
        return offices(session, item=query if item is None else str(item.number))
    except NotFoundError:
        shown = " ".join(query.split())[:40]
        raise NotFoundError(f"没有找到地点或事项“{shown}”", hint="运行 rsguide offices 查看全部地点") from None
