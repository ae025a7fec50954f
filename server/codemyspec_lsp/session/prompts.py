"""The prompts of the agent steps: generate (``workspace.md``, "The generate prompt") and revise.

Pure text assembly from inputs gathered by the steps, so the parts are easy to test.
Every part is present even when empty, saying so in a word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from codemyspec_lsp.design.sections import COMPONENT_TYPES, KNOWN_SECTIONS
from codemyspec_lsp.workspace.architecture import ContextNode
from codemyspec_lsp.workspace.rules import Rule
from codemyspec_lsp.workspace.stories import Story

# The public API heads of all existing contexts together stay within this many characters.
MAX_API_CHARACTERS = 6000


@dataclass(frozen=True)
class GenerateInputs:
    project_name: str
    project_description: str
    context_name: str
    context_module: str
    context_description: str | None
    stories: Sequence[Story]
    existing: Sequence[ContextNode]
    dependents: Sequence[ContextNode]
    rules: Sequence[Rule]
    design_file: str  # relative to the workspace root
    required_sections: Sequence[str]
    self_check: bool = False  # the agent has the codemyspec MCP server's tools


def generate_prompt(inputs: GenerateInputs) -> str:
    parts = [
        f"You are designing the bounded context {inputs.context_module} of a software project.",
        _project(inputs),
        _context(inputs),
        _stories(inputs.stories),
        _architecture(inputs.existing, inputs.dependents),
        document_format(inputs.required_sections),
        _rules(inputs.rules),
        "# Where to write\n\n"
        f"Write the design to the file `{inputs.design_file}` (relative to the workspace "
        "root), creating its folder if needed. Change no other file.",
        *_self_check(inputs.design_file, inputs.self_check),
        "Be concise: short sentences, no filler, nothing the sections do not ask for.",
    ]
    return "\n\n".join(parts) + "\n"


def revise_prompt(
    context_module: str,
    design_file: str,
    errors: str,
    required_sections: Sequence[str],
    *,
    self_check: bool = False,
) -> str:
    """A fresh agent's prompt: the errors and the whole format guidance."""
    parts = [
        f"The design of the bounded context {context_module} in `{design_file}` failed validation.",
        _errors(errors),
        f"Edit `{design_file}` in place to fix exactly these errors. Keep everything that "
        "is not wrong; change no other file.",
        document_format(required_sections),
        *_self_check(design_file, self_check),
        "Be concise.",
    ]
    return "\n\n".join(parts) + "\n"


def resume_prompt(design_file: str, errors: str, *, self_check: bool = False) -> str:
    """The next message of the conversation that wrote the design: only the errors."""
    parts = [
        f"The design you wrote to `{design_file}` failed validation.",
        _errors(errors),
        f"Edit `{design_file}` in place to fix exactly these errors, following the format "
        "you were given. Keep everything that is not wrong; change no other file.",
        *_self_check(design_file, self_check),
    ]
    return "\n\n".join(parts) + "\n"


def _errors(errors: str) -> str:
    return "# Errors to fix\n\nEach line is `line:column CODE message` (1-based):\n\n" + (
        errors.strip() or "(the validator reported no details)"
    )


def _self_check(design_file: str, enabled: bool) -> list[str]:
    if not enabled:
        return []
    return [
        "# Check your work\n\nBefore you stop, call the `validate_design` tool of the "
        f'`codemyspec` MCP server with `{{"path": "{design_file}"}}` and fix every '
        "error it reports, until it reports none."
    ]


def document_format(required_sections: Sequence[str]) -> str:
    required = set(required_sections)
    lines = [
        "# How to write the document",
        "",
        "Markdown. The first line is an H1 with the context's name. Each section is an H2 "
        "with exactly the title below, in this order:",
        "",
    ]
    for spec in KNOWN_SECTIONS:
        marker = "required" if spec.key in required else "optional"
        lines.append(f"- `## {spec.title}` ({marker}): {spec.guidance}")
    lines += [
        "",
        "Components: one H3 per component named with its module name qualified by its "
        "parent (`Accounts.Account`), then a table with the columns `field` and `value` "
        "holding a `type` row, then a description paragraph of at most 1,500 characters.",
        "Component types:",
        "",
    ]
    lines += [f"- `{name}`: {meaning}" for name, meaning in COMPONENT_TYPES.items()]
    lines += [
        "",
        "Dependencies: a bullet list, one module name per item (`- Shop.Repo: why`); a "
        "single `- None` when there are none.",
    ]
    return "\n".join(lines)


def _project(inputs: GenerateInputs) -> str:
    description = inputs.project_description.strip() or "No project description."
    return f"# Project\n\n{inputs.project_name}: {description}"


def _context(inputs: GenerateInputs) -> str:
    description = (inputs.context_description or "").strip() or "No description given."
    return (
        f"# The context to design\n\nName: {inputs.context_name}\n"
        f"Module: {inputs.context_module}\nDescription: {description}"
    )


def _stories(stories: Sequence[Story]) -> str:
    if not stories:
        return "# User stories\n\nNo user stories."
    bodies = [_demote(story.body) for story in stories]
    return "# User stories\n\n" + "\n\n".join(bodies)


def _architecture(existing: Sequence[ContextNode], dependents: Sequence[ContextNode]) -> str:
    lines = ["# Existing contexts", ""]
    if existing:
        lines.append(
            "Depend on these by their module names under Dependencies; call them only "
            "through their public API (function heads from their designs):"
        )
        lines.append("")
        budget = MAX_API_CHARACTERS
        for node in existing:
            lines.append(f"- {node.module}: {node.purpose or 'no purpose given'}")
            heads = ", ".join(f"`{head}`" for head in node.public_api)
            if heads and len(heads) <= budget:
                lines.append(f"  Public API: {heads}")
                budget -= len(heads)
    else:
        lines.append("No other contexts yet.")
    lines += ["", "Contexts that depend on this one:", ""]
    if dependents:
        lines += [f"- {node.module}" for node in dependents]
    else:
        lines.append("None.")
    return "\n".join(lines)


def _rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return "# Design rules\n\nNo design rules."
    return "# Design rules\n\n" + "\n".join(f"- {' '.join(rule.body.split())}" for rule in rules)


def _demote(markdown: str) -> str:
    """Push a story's headings two levels down so they nest under the prompt's own."""
    out = []
    for line in markdown.splitlines():
        out.append("##" + line if line.startswith("#") else line)
    return "\n".join(out)
