"""The body of every command, once, free of Typer, Rich and terminals.

A body takes the :class:`~rsguide.session.Session` and the command's converted values (see
:mod:`rsguide.cli.spec`) and returns a :class:`Result`; the front ends — the Typer application, the
fast path and the interactive session — only parse their input and print the result.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from rsguide.errors import ExitCode
from rsguide.records import dataclass, field

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.cli.spec import CommandSpec
    from rsguide.output.render import Output
    from rsguide.session import Session


@dataclass
class Result:
    """What a command produced, for a front end to print."""

    output: Output | None = None
    """Blocks and data, printed in the chosen format."""
    text: str | None = None
    """Text already rendered by the body (the notice, an export), printed or written as it is."""
    exit_code: int = ExitCode.OK
    message: str | None = None
    """One line for stderr (not found, …); the front end prefixes it."""
    notes: list[str] = field(default_factory=list)
    """Lines for the clerk on stderr, never on paper (the notice's internal notes)."""
    screen_on_failure: bool = True
    """Whether ``output`` is shown on screen when ``exit_code`` is not OK (machine formats always are)."""
    item: tuple[int, str] | None = None
    """The item the answer is about, for the interactive session's "current item"."""
    written: str | None = None
    """A file the body wrote itself."""
    save_as: str | None = None
    """Where ``text`` goes instead of a terminal (an HTML page is no reading on screen): a file name
    that does not exist yet; pipes and ``-o`` are unaffected."""


Body = Callable[..., Result]


def body_of(spec: CommandSpec) -> Body:
    """The function that runs ``spec``."""
    module, name = spec.body.split(":")
    qualified = f"rsguide.commands.{module}"
    __import__(qualified)  # (importlib itself would load importlib and warnings on every run)
    body: Body = getattr(sys.modules[qualified], name)
    return body


def run(spec: CommandSpec, session: Session, values: dict[str, object]) -> Result:
    """Run the body of ``spec`` with the values it takes (converted by :func:`rsguide.cli.spec.convert`)."""
    kwargs = {p.name: values[p.name] for p in spec.params if p.body}
    if spec.format_to_body:
        kwargs["fmt"] = values["fmt"]
    if spec.output_to_body:
        kwargs["output"] = values.get("output")
        kwargs["force"] = values.get("force", False)
    return body_of(spec)(session, **kwargs)
