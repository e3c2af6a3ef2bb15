"""Where the knowledge base lives (kept free of YAML so that fast commands don't import it)."""

from __future__ import annotations

import os
from pathlib import Path

DATA_FILES = ("items.yaml", "offices.yaml", "rules.yaml")
OPTIONAL_FILES = ("synonyms.yaml", "concepts.yaml")
ENV_VAR = "RSGUIDE_DATA"


def packaged_data_dir() -> Path:
    """The knowledge base shipped with rsguide (inside the wheel, or ``data/`` of a checkout)."""
    here = Path(__file__).resolve().parent
    inside = here / "data"
    if (inside / "items.yaml").is_file():
        return inside
    return here.parent.parent / "data"


def resolve_data_dir(data: str | os.PathLike[str] | None = None) -> Path:
    """``--data`` first, then ``$RSGUIDE_DATA``, then the packaged knowledge base."""
    if data:
        return Path(data)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return packaged_data_dir()


def data_files(data_dir: Path) -> list[Path]:
    """The files of a knowledge base that exist or must exist, in a fixed order."""
    files = [data_dir / name for name in DATA_FILES]
    files += [data_dir / name for name in OPTIONAL_FILES if (data_dir / name).is_file()]
    return files
