"""Record classes: what the standard library's ``dataclasses`` gives rsguide, without its start-up cost.

``@dataclass`` from this module makes the same classes as :func:`dataclasses.dataclass` does for the
options rsguide uses (``frozen``, ``slots``, ``kw_only``, ``eq``, ``repr``, ``init``, fields made with
:func:`field`, ``__post_init__``): the same ``__init__`` signature, ``__repr__``, ``__eq__``,
``__hash__``, frozen ``__setattr__``/``__delattr__`` and ``__match_args__``. What it does not cost:
importing :mod:`dataclasses` (≈ 10 ms with :mod:`inspect`, :mod:`ast`, :mod:`dis` and :mod:`tokenize`)
and compiling every generated method from source when the class is made (≈ 0.6 ms per class).
``__repr__``, ``__eq__`` and ``__hash__`` are shared functions over :func:`operator.attrgetter`;
``__init__`` is compiled from source, as :mod:`dataclasses` does, but only when the class is first
instantiated (so a command pays for the classes it uses, and a bulk build runs at full speed).

:func:`fields`, :func:`replace` and :func:`is_record` work on these classes and on standard
dataclasses alike. The standard functions (``dataclasses.fields``, ``replace``, ``asdict``,
``is_dataclass``) work on records too: a record answers ``__dataclass_fields__`` on first request,
importing :mod:`dataclasses` only then.

The type checker sees these classes as dataclasses (:pep:`681`, ``dataclass_transform``).
"""

from __future__ import annotations

from operator import attrgetter
from types import MappingProxyType

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_kwargs):
        return lambda decorator: decorator


class _MissingType:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _MissingType()
"""No default (as :data:`dataclasses.MISSING`)."""


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class Field:
    """One field of a record (the attributes of :class:`dataclasses.Field` that rsguide reads)."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "kw_only", "metadata", "name", "repr", "type")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        init: bool = True,
        repr: bool = True,
        hash: bool | None = None,
        compare: bool = True,
        metadata: Mapping[str, Any] | None = None,
        kw_only: Any = MISSING,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name: str = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata: Mapping[str, Any] = MappingProxyType(dict(metadata) if metadata else {})
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return f"Field(name={self.name!r},type={self.type!r},default={self.default!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Any = MISSING,
    init: bool = True,
    repr: bool = True,
    hash: bool | None = None,
    compare: bool = True,
    metadata: Mapping[str, Any] | None = None,
    kw_only: Any = MISSING,
) -> Any:
    """A field with options, as :func:`dataclasses.field`."""
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


_MUTABLE = (list, dict, set)


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):  # (annotations are text under ``from __future__ import annotations``)
        return "ClassVar" in annotation and annotation.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))
    text = getattr(annotation, "__name__", "")
    return isinstance(text, str) and text.startswith("ClassVar")


class _OnRequest:
    """A class attribute computed on first request (from the class or an instance) and then kept:
    ``__dataclass_fields__`` and ``__dataclass_params__``, for :mod:`dataclasses`' own functions."""

    def __init__(self, make: Callable[[type], Any]) -> None:
        self.make = make

    def __get__(self, obj: object, cls: type) -> Any:
        return self.make(cls)


def _dataclass_params(cls: type) -> Any:
    from types import SimpleNamespace

    params = SimpleNamespace(**getattr(cls, "__record_params__", {}))
    type.__setattr__(cls, "__dataclass_params__", params)
    return params


def _dataclass_fields(cls: type) -> dict[str, Any]:
    import dataclasses

    out: dict[str, Any] = {}
    for f in fields(cls):
        d: Any = dataclasses.field(
            default=dataclasses.MISSING if f.default is MISSING else f.default,
            default_factory=dataclasses.MISSING if f.default_factory is MISSING else f.default_factory,
            init=f.init,
            repr=f.repr,
            hash=f.hash,
            compare=f.compare,
            metadata=f.metadata,
            kw_only=f.kw_only,
        )
        d.name, d.type = f.name, f.type
        d._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # (what dataclasses.fields() selects)
        out[f.name] = d
    type.__setattr__(cls, "__dataclass_fields__", out)
    return out


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of these attributes (as the generated methods of dataclasses compare)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _init_source(fields: list[Field], frozen: bool, post_init: bool) -> tuple[str, dict[str, Any]]:
    """The source of ``__init__`` (as :mod:`dataclasses` writes it) and the names it uses."""
    env: dict[str, Any] = {"__MISSING__": MISSING, "__set__": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in fields:
        value = f.name
        if f.init:
            if f.default is not MISSING:
                env[f"__dflt_{f.name}__"] = f.default
                param = f"{f.name}=__dflt_{f.name}__"
            elif f.default_factory is not MISSING:
                env[f"__factory_{f.name}__"] = f.default_factory
                param = f"{f.name}=__MISSING__"
                value = f"__factory_{f.name}__() if {f.name} is __MISSING__ else {f.name}"
            else:
                param = f.name
            (keyword if f.kw_only else positional).append(param)
        elif f.default is not MISSING:
            env[f"__dflt_{f.name}__"] = f.default
            value = f"__dflt_{f.name}__"
        elif f.default_factory is not MISSING:
            env[f"__factory_{f.name}__"] = f.default_factory
            value = f"__factory_{f.name}__()"
        else:
            continue
        body.append(f"__set__(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if post_init:
        body.append("self.__post_init__()")
    params = ["self", *positional, *(["*", *keyword] if keyword else [])]
    lines = "\n".join(f"  {line}" for line in body or ["pass"])
    return f"def __init__({', '.join(params)}):\n{lines}\n", env


COMPILE_AFTER = 32
"""Instances a record class makes with the generic ``__init__`` before its own is compiled."""


def _lazy_init(holder: list[type], fields: list[Field], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that binds the arguments itself for the first :data:`COMPILE_AFTER` instances
    (a command makes a handful of most records: compiling costs ≈ 80 µs a class), then compiles
    the real one from source and puts it in its place. Anything unusual (a missing, surplus or
    repeated argument) goes to the compiled one at once, which raises what :mod:`dataclasses` raises."""
    steps: list[tuple[str, bool, int, Any, Any]] = []  # name, init, position (-1: keyword-only), default, factory
    shape: list[Any] = []  # [number of positional parameters, names of the init fields], on the first call
    calls = [0]
    post_init: list[bool] = []

    def prepare() -> None:
        position = 0
        for f in fields:
            if f.init and not f.kw_only:
                steps.append((f.name, True, position, f.default, f.default_factory))
                position += 1
            else:
                steps.append((f.name, f.init, -1, f.default, f.default_factory))
        shape[:] = [position, frozenset(f.name for f in fields if f.init)]

    def compiled() -> Callable[..., None]:
        cls = holder[0]
        source, env = _init_source(fields, frozen, hasattr(cls, "__post_init__"))
        exec(source, env)
        real: Callable[..., None] = env["__init__"]
        real.__qualname__ = f"{cls.__qualname__}.__init__"
        type.__setattr__(cls, "__init__", real)
        return real

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        calls[0] += 1
        if not shape:
            prepare()
        n_args = len(args)
        if calls[0] > COMPILE_AFTER or n_args > shape[0] or not shape[1].issuperset(kwargs):
            compiled()(self, *args, **kwargs)
            return
        values: list[tuple[str, Any]] = []
        for name, init, pos, default, factory in steps:
            if init:
                if 0 <= pos < n_args:
                    if name in kwargs:  # given twice
                        compiled()(self, *args, **kwargs)
                        return
                    value = args[pos]
                elif name in kwargs:
                    value = kwargs[name]
                elif default is not MISSING:
                    value = default
                elif factory is not MISSING:
                    value = factory()
                else:  # missing
                    compiled()(self, *args, **kwargs)
                    return
            elif default is not MISSING:
                value = default
            elif factory is not MISSING:
                value = factory()
            else:
                continue
            values.append((name, value))
        if frozen:
            for name, value in values:
                object.__setattr__(self, name, value)
        else:
            for name, value in values:
                setattr(self, name, value)
        if not post_init:
            post_init.append(hasattr(holder[0], "__post_init__"))
        if post_init[0]:
            self.__post_init__()

    return __init__


def _frozen_methods(holder: list[type], names: frozenset[str]) -> dict[str, Any]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        cls: Any = holder[0]
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        cls: Any = holder[0]
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _repr_of(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _eq_of(getter: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return getter(self) == getter(other)
        return NotImplemented

    return __eq__


def _hash_of(getter: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(getter(self))

    return __hash__


def _slots_state(names: tuple[str, ...]) -> dict[str, Any]:
    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    return {"__getstate__": __getstate__, "__setstate__": __setstate__}


def _process(
    cls: type,
    init: bool,
    repr: bool,
    eq: bool,
    order: bool,
    unsafe_hash: bool,
    frozen: bool,
    match_args: bool,
    kw_only: bool,
    slots: bool,
) -> type:
    if order:
        raise TypeError("rsguide.records: order=True is not supported")
    own = cls.__dict__
    all_fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__record_fields__")
        if inherited:
            all_fields.update(inherited)
    own_names: list[str] = []
    for name, annotation in own.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        value = own.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        if isinstance(f.default, _MUTABLE):
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        f.name, f.type = name, annotation
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        all_fields[name] = f
        own_names.append(name)
    fields = list(all_fields.values())
    names = tuple(f.name for f in fields)

    ns = {k: v for k, v in own.items() if k not in ("__dict__", "__weakref__")}
    for name in own_names:
        f = all_fields[name]
        if slots or f.default is MISSING:
            ns.pop(name, None)
        else:
            ns[name] = f.default
    if slots:
        if "__slots__" in own:
            raise TypeError(f"{cls.__name__} already specifies __slots__")
        base_slots = {s for base in cls.__mro__[1:] for s in base.__dict__.get("__slots__", ())}
        ns["__slots__"] = tuple(name for name in names if name not in base_slots)
    ns["__qualname__"] = cls.__qualname__
    ns["__record_fields__"] = all_fields
    ns["__record_params__"] = {
        "init": init,
        "repr": repr,
        "eq": eq,
        "order": order,
        "unsafe_hash": unsafe_hash,
        "frozen": frozen,
        "match_args": match_args,
        "kw_only": kw_only,
        "slots": slots,
    }

    holder: list[type] = []
    if init and "__init__" not in own:
        ns["__init__"] = _lazy_init(holder, fields, frozen)
    if repr and "__repr__" not in own:
        ns["__repr__"] = _repr_of(tuple(f.name for f in fields if f.repr))
    getter = _getter(tuple(f.name for f in fields if f.compare))
    if eq and "__eq__" not in own:
        ns["__eq__"] = _eq_of(getter)
    class_hash = own.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in own))
    if not explicit_hash:
        if unsafe_hash or (eq and frozen):
            ns["__hash__"] = _hash_of(
                _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
            )
        elif eq:
            ns["__hash__"] = None
    if frozen:
        for key in ("__setattr__", "__delattr__"):
            if key in own:
                raise TypeError(f"cannot overwrite attribute {key} in class {cls.__name__}")
        ns.update(_frozen_methods(holder, frozenset(names)))
        if slots:
            ns.update(_slots_state(names))
    if match_args and "__match_args__" not in own:
        ns["__match_args__"] = tuple(f.name for f in fields if f.init and not f.kw_only)

    ns["__dataclass_fields__"] = _OnRequest(_dataclass_fields)
    ns["__dataclass_params__"] = _OnRequest(_dataclass_params)
    new = type(cls)(cls.__name__, cls.__bases__, ns)
    holder.append(new)
    return new


@dataclass_transform(field_specifiers=(field, Field))
def dataclass(
    cls: type[T] | None = None,
    /,
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
) -> Any:
    """Make ``cls`` a record class, as :func:`dataclasses.dataclass` would make it a dataclass."""

    def wrap(c: type[T]) -> type[T]:
        return _process(c, init, repr, eq, order, unsafe_hash, frozen, match_args, kw_only, slots)

    return wrap if cls is None else wrap(cls)


def is_record(obj: object) -> bool:
    """Whether ``obj`` is a record class or instance (made by :func:`dataclass` here)."""
    cls = obj if isinstance(obj, type) else type(obj)
    return "__record_fields__" in getattr(cls, "__dict__", {}) or any(
        "__record_fields__" in base.__dict__ for base in getattr(cls, "__mro__", ())
    )


def field_map(obj: object) -> Mapping[str, Any] | None:
    """Name → field of a record or a standard dataclass (class or instance), or ``None`` for anything else."""
    cls = obj if isinstance(obj, type) else type(obj)
    mro = getattr(cls, "__mro__", None)
    if not isinstance(mro, tuple):
        return None
    for base in mro:  # the most derived class that declares fields (a standard dataclass may extend a record)
        own = base.__dict__
        fmap = own.get("__record_fields__")
        if fmap is not None:
            return fmap  # type: ignore[no-any-return]
        dc = own.get("__dataclass_fields__")
        if dc is not None:
            kind = _standard_field_kind()
            return {name: f for name, f in dc.items() if getattr(f, "_field_type", None) is kind}
    return None


def _standard_field_kind() -> Any:
    import dataclasses

    return dataclasses._FIELD  # type: ignore[attr-defined]


def fields(obj: object) -> tuple[Any, ...]:
    """The fields of a record or a standard dataclass (class or instance), in declaration order."""
    fmap = field_map(obj)
    if fmap is None:
        raise TypeError("must be called with a dataclass type or instance")
    return tuple(fmap.values())


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of the record (or dataclass) ``obj`` with ``changes``, as :func:`dataclasses.replace`."""
    fmap = field_map(obj)
    if fmap is None or isinstance(obj, type):
        raise TypeError("replace() should be called on dataclass instances")
    for f in fmap.values():
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, it cannot be specified with replace()")
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)
