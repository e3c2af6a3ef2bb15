"""Where the knowledge base lives (kept free of YAML, and of pathlib until a Path is asked for, so
that fast commands don't import them)."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

DATA_FILES = ("items.yaml", "offices.yaml", "rules.yaml")
OPTIONAL_FILES = ("synonyms.yaml", "concepts.yaml", "eligibility.yaml")
ENV_VAR = "RSGUIDE_DATA"


def packaged_data_path() -> str:
    """The knowledge base shipped with rsguide (inside the wheel, or ``data/`` of a checkout), as a string."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the rsguide package
    inside = os.path.join(here, "data")
    if os.path.isfile(os.path.join(inside, "items.yaml")):
        return inside
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data")


def packaged_data_dir() -> Path:
    """The knowledge base shipped with rsguide (inside the wheel, or ``data/`` of a checkout)."""
    from pathlib import Path

    return Path(packaged_data_path())


def data_path(data: str | os.PathLike[str] | None = None) -> str:
    """``--data`` first, then ``$RSGUIDE_DATA``, then the packaged knowledge base, as a string."""
    if data:
        return os.fspath(data)
    return os.environ.get(ENV_VAR) or packaged_data_path()


def resolve_data_dir(data: str | os.PathLike[str] | None = None) -> Path:
    """``--data`` first, then ``$RSGUIDE_DATA``, then the packaged knowledge base."""
    from pathlib import Path

    return Path(data_path(data))


def data_files(data_dir: Path) -> list[Path]:
    """The files of a knowledge base that exist or must exist, in a fixed order."""
    files = [data_dir / name for name in DATA_FILES]
    files += [data_dir / name for name in OPTIONAL_FILES if (data_dir / name).is_file()]
    return files
