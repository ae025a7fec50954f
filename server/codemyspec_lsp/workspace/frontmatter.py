"""Markdown files with YAML front matter (stories and rules), read leniently.

A file that cannot be read or whose front matter is broken is skipped with a logged
warning naming it: one bad story must not stop a design session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from codemyspec_lsp.workspace.paths import resolves_inside

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 256 * 1024  # a story or rule larger than this is not a story or rule


@dataclass(frozen=True)
class FrontMatterFile:
    path: Path
    meta: dict[str, Any]
    body: str


def read_front_matter_files(directory: Path) -> list[FrontMatterFile]:
    """Every readable ``*.md`` file of ``directory`` with a front matter mapping, by file name."""
    if not directory.is_dir():
        return []
    files = []
    for path in sorted(directory.glob("*.md")):
        if not resolves_inside(directory, path):
            log.warning("skipping %s: it links outside %s", path, directory)
            continue
        parsed = _read(path)
        if parsed is not None:
            files.append(parsed)
    return files


def split_front_matter(text: str) -> tuple[str, str] | None:
    """``(yaml, body)`` when ``text`` opens with a ``---`` fenced block, else None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def _read(path: Path) -> FrontMatterFile | None:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            log.warning("skipping %s: larger than %d bytes", path, MAX_INPUT_BYTES)
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("skipping %s: cannot be read as UTF-8 text (%s)", path, exc)
        return None
    parts = split_front_matter(text)
    if parts is None:
        log.warning("skipping %s: no YAML front matter (a '---' block at the top)", path)
        return None
    try:
        meta = yaml.safe_load(parts[0])
    except yaml.YAMLError as exc:
        log.warning("skipping %s: invalid YAML front matter (%s)", path, exc)
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        log.warning("skipping %s: front matter is not a mapping", path)
        return None
    return FrontMatterFile(path=path, meta=meta, body=parts[1].strip())
