"""User stories (``.codemyspec/stories/*.md``) and which of them concern a context."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from codemyspec_lsp.workspace.frontmatter import read_front_matter_files

log = logging.getLogger(__name__)

STORIES_DIR = Path(".codemyspec/stories")


@dataclass(frozen=True)
class Story:
    path: Path
    title: str
    contexts: tuple[str, ...]
    body: str  # the Markdown after the front matter: title, narrative, acceptance criteria

    def concerns(self, name: str, module: str) -> bool:
        """By short name (``Accounts``) or qualified module (``Shop.Accounts``)."""
        return any(c == module or ("." not in c and c == name) for c in self.contexts)


def load_stories(root: Path) -> list[Story]:
    stories = []
    for file in read_front_matter_files(root / STORIES_DIR):
        contexts = file.meta.get("contexts", [])
        if isinstance(contexts, str):
            contexts = [contexts]
        if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
            log.warning("skipping %s: 'contexts' must be a list of context names", file.path)
            continue
        stories.append(
            Story(
                path=file.path,
                title=_title(file.body) or file.path.stem,
                contexts=tuple(c.strip() for c in contexts),
                body=file.body,
            )
        )
    return stories


def stories_for(root: Path, name: str, module: str) -> list[Story]:
    return [story for story in load_stories(root) if story.concerns(name, module)]


def _title(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None
