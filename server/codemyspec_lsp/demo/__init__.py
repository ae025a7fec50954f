"""The demo: an example shop workspace and the offline replay agent (package data).

``workspace_files()`` is the packaged workspace that ``codemyspec demo`` copies.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+; importlib.abc works on 3.10
    from importlib.abc import Traversable


def workspace_files() -> Traversable:
    """The packaged example workspace (a folder, also inside a wheel or zip)."""
    return files(__package__).joinpath("workspace")


def design_template(name: str) -> str:
    """The text of a replayed design template, ``flawed`` or ``corrected``."""
    return files(__package__).joinpath("designs").joinpath(f"{name}.md").read_text(encoding="utf-8")
