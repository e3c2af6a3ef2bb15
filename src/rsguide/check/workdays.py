"""Working days on the official calendar of the People's Republic of China.

A period of N working days is counted from the day after acceptance (《民法典》第二百零一条):
weekends and statutory holidays are skipped, make-up working days (调休上班) count. The calendar
comes from ``chinesecalendar`` and, for years it does not know yet, from ``holidays.yaml`` beside
this module (the State Council publishes each year's schedule late in the year before). Past the
known calendar only weekends are skipped, and every result says so in ``warnings``.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

from rsguide.records import dataclass, field

TYPE_CHECKING = False  # typing and pathlib are not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

MAX_DAYS = 3660
"""Refuse absurd periods rather than loop for ever."""


@dataclass(frozen=True)
class DueDate:
    """The result of counting working days: the date and what the count relied on."""

    date: dt.date
    warnings: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def _extra_years() -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    """Years published after the installed chinesecalendar: year → (holidays, make-up workdays)."""
    path = os.path.join(os.path.dirname(__file__), "holidays.yaml")
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return read_overlay(f.read())


def read_overlay(text: str) -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    """The years of a ``holidays.yaml`` text: year → (holidays, make-up workdays)."""
    body = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if body in ([], ["years: {}"], ["years:"]):
        return {}  # no year added yet: no need to load the YAML parser for check's every run
    import yaml

    data = yaml.safe_load(text) or {}
    out: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
    for year, entry in (data.get("years") or {}).items():
        holidays = frozenset(_as_date(d) for d in (entry or {}).get("holidays", []))
        workdays = frozenset(_as_date(d) for d in (entry or {}).get("workdays", []))
        out[int(year)] = (holidays, workdays)
    return out


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@lru_cache(maxsize=1)
def _calendar() -> Any:
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return chinese_calendar


def known_years() -> tuple[int, int] | None:
    """The first and last year whose official schedule rsguide knows."""
    cal = _calendar()
    years = set(_extra_years())
    if cal is not None:
        holidays = cal.holidays if hasattr(cal, "holidays") else {}
        years |= {d.year for d in holidays}
    return (min(years), max(years)) if years else None


def is_known(day: dt.date) -> bool:
    """Whether the official schedule of ``day``'s year is known."""
    if day.year in _extra_years():
        return True
    cal = _calendar()
    if cal is None:
        return False
    try:
        cal.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day (weekends only where the year is not known)."""
    extra = _extra_years().get(day.year)
    if extra is not None:
        holidays, workdays = extra
        if day in workdays:
            return True
        if day in holidays:
            return False
        return day.weekday() < 5
    cal = _calendar()
    if cal is not None:
        try:
            return bool(cal.is_workday(day))
        except NotImplementedError:
            pass
    return day.weekday() < 5


def _library_due(start: dt.date, days: int) -> dt.date | None:
    """chinesecalendar's own ``find_workday`` where it knows every day of the span and no year of
    ``holidays.yaml`` is involved; ``None`` otherwise (then the days are counted one by one)."""
    cal = _calendar()
    if cal is None or days == 0:
        return None
    try:
        # the 1st working day on or after the next day, then days − 1 more: the acceptance day is not counted
        due: dt.date = cal.find_workday(days - 1, start + dt.timedelta(days=1))
    except NotImplementedError:
        return None
    overlay = _extra_years()
    if any(year in overlay for year in range(start.year, due.year + 1)):
        return None
    return due


def add_working_days(start: dt.date, days: int) -> DueDate:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0 or days > MAX_DAYS:
        raise ValueError(f"working days out of range: {days}")
    found = _library_due(start, days)
    if found is not None:
        return DueDate(found, ())
    day = start
    counted = 0
    unknown: set[int] = set()
    while counted < days:
        day += dt.timedelta(days=1)
        if not is_known(day):
            unknown.add(day.year)
        if is_workday(day):
            counted += 1
    warnings = tuple(
        f"{year}年的法定节假日安排尚未收录，{year}年只按周末推算，请以国务院公布的安排为准" for year in sorted(unknown)
    )
    return DueDate(day, warnings)
