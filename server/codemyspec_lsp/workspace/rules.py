"""Design rules (``.codemyspec/rules/*.md``) and ``find_matching_rules``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from codemyspec_lsp.workspace.frontmatter import read_front_matter_files

log = logging.getLogger(__name__)

RULES_DIR = Path(".codemyspec/rules")
ANY = "*"


@dataclass(frozen=True)
class Rule:
    path: Path
    component_type: str
    session_type: str
    body: str

    def applies_to(self, component_type: str, session_type: str) -> bool:
        return self.component_type in (ANY, component_type) and self.session_type in (
            ANY,
            session_type,
        )


def load_rules(root: Path) -> list[Rule]:
    rules = []
    for file in read_front_matter_files(root / RULES_DIR):
        # A criterion left out applies everywhere, as '*' does.
        criteria = [file.meta.get(key, ANY) for key in ("component_type", "session_type")]
        if not all(isinstance(value, str) for value in criteria):
            log.warning("skipping %s: component_type and session_type must be strings", file.path)
            continue
        if not file.body:
            log.warning("skipping %s: the rule has no text", file.path)
            continue
        rules.append(Rule(file.path, criteria[0].strip(), criteria[1].strip(), file.body))
    return rules


def find_matching_rules(root: Path, component_type: str, session_type: str) -> list[Rule]:
    """Rules whose two criteria each equal the asked value or are ``*``, in file name order."""
    return [rule for rule in load_rules(root) if rule.applies_to(component_type, session_type)]
