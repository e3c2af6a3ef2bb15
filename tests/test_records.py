"""rsguide.records makes the same classes as the standard library's dataclasses, for the options rsguide uses."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from rsguide import records


def shapes(mod):
    """The same record classes made by ``mod`` (dataclasses or rsguide.records)."""

    @mod.dataclass(frozen=True, slots=True)
    class Frozen:
        x: int
        y: str = "a"
        z: tuple[int, ...] = mod.field(default=(), compare=False)

    @mod.dataclass
    class Mutable:
        x: int
        items: list[int] = mod.field(default_factory=list)
        seen: dict[str, int] = mod.field(init=False, repr=False, default_factory=dict)

        def __post_init__(self) -> None:
            self.seen["x"] = self.x

    @mod.dataclass(frozen=True, slots=True, kw_only=True)
    class KeywordOnly:
        a: int
        b: int = 2

    @mod.dataclass(frozen=True)
    class Cached:
        a: int
        _cache: dict[int, int] = mod.field(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "_cache", {1: 2})

    @mod.dataclass(frozen=True)
    class Child(Cached):  # a record extending a record
        c: str = "c"

    return Frozen, Mutable, KeywordOnly, Cached, Child


def behaviour(mod) -> list[object]:
    Frozen, Mutable, KeywordOnly, Cached, Child = shapes(mod)
    out: list[object] = []
    for i in range(40):  # past the generic __init__'s first instances, into the compiled one
        out += [
            repr(Frozen(i)),
            repr(Frozen(i, "b", (1,))),
            Frozen(i) == Frozen(i, "a", (9,)),
            hash(Frozen(i)) == hash((i, "a")),
            repr(Mutable(i)),
            Mutable(i).seen,
            Mutable(i) == Mutable(i, []),
            repr(KeywordOnly(a=i)),
            repr(Cached(i)),
            Cached(i)._cache,
            repr(Child(i, "d")),
            Child(i) == Child(i),
        ]
    out.append(Frozen.__match_args__)
    out.append(Mutable.__hash__ is None)
    out.append([f.name for f in records.fields(Child)])
    out.append(repr(records.replace(Frozen(1), y="q")))
    out.append(repr(copy.deepcopy(Frozen(1, "b"))))
    for call in (
        lambda: Frozen(),
        lambda: Frozen(1, "b", (), 4),
        lambda: Frozen(1, x=2),
        lambda: KeywordOnly(1),
        lambda: Frozen(1, q=2),
        lambda: Mutable(1, seen={}),
    ):
        try:
            call()
            out.append(None)
        except TypeError as exc:
            out.append(str(exc).split("__init__()")[-1])
    for obj, name in ((Frozen(1), "x"), (Cached(1), "a"), (Cached(1), "w")):
        try:
            setattr(obj, name, 2)
        except AttributeError as exc:
            out.append((type(exc).__name__, str(exc)))
    return out


def test_records_behave_as_dataclasses():
    assert behaviour(records) == behaviour(dataclasses)


def test_the_standard_functions_work_on_records():
    Frozen, Mutable, *_ = shapes(records)
    obj = Frozen(1, "b")
    assert dataclasses.is_dataclass(obj) and dataclasses.is_dataclass(Frozen)
    assert [f.name for f in dataclasses.fields(obj)] == ["x", "y", "z"]
    assert dataclasses.replace(obj, y="c") == Frozen(1, "c")
    assert dataclasses.asdict(Mutable(2, [3])) == {"x": 2, "items": [3], "seen": {"x": 2}}

    @dataclasses.dataclass
    class Extended(Mutable):  # a standard dataclass extending a record
        more: int = 0

    assert [f.name for f in records.fields(Extended)] == ["x", "items", "seen", "more"]
    assert Extended(1, [], 5).more == 5


def test_frozen_records_refuse_assignment_with_the_dataclasses_exception_kind():
    Frozen, *_ = shapes(records)
    with pytest.raises(AttributeError):
        Frozen(1).x = 2  # type: ignore[misc]
    assert issubclass(records.FrozenInstanceError, AttributeError)
