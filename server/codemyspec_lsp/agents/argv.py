"""The argv of one agent run, built from a workspace's ``[agent]`` config.

``agent_spec`` resolves the config once (the preset, or the custom ``command`` that wins
over it); ``build_call`` fills a template for one run; ``template`` shows the argv with its
placeholders as ``codemyspec agents`` prints it. Filling is element by element: the prompt
is one element (or stdin), a value never splits into or joins other arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from codemyspec_lsp.agents.mcp import McpServer, find_mcp_server, with_mcp
from codemyspec_lsp.agents.presets import (
    AGENT_SESSION,
    CUSTOM,
    PRESETS,
    PROMPT,
    ArgvTemplate,
    OutputFormat,
    Preset,
    PromptOn,
)
from codemyspec_lsp.workspace.config import AgentConfig, expand_argv

Purpose = Literal["generate", "revise"]


@dataclass(frozen=True)
class AgentSpec:
    """The agent a workspace runs: a preset, or a custom command (``preset`` None)."""

    name: str  # a preset name, or "custom"
    preset: Preset | None
    command: tuple[str, ...]  # the custom argv (empty for a preset)
    extra_args: tuple[str, ...] = ()
    resume: bool = False  # configured and supported
    mcp_server: McpServer | None = None  # self-check on, supported and installed
    self_check_configured: bool = False

    @property
    def executable(self) -> str:
        return self.preset.executable if self.preset is not None else self.command[0]

    @property
    def prompt_on(self) -> PromptOn:
        return self.preset.prompt_on if self.preset is not None else "stdin"

    @property
    def output(self) -> OutputFormat:
        return self.preset.output if self.preset is not None else "text"

    @property
    def self_check(self) -> bool:
        return self.mcp_server is not None


def agent_spec(config: AgentConfig, *, python: str, root: Path) -> AgentSpec:
    if config.command is not None:
        return AgentSpec(CUSTOM, None, tuple(config.command))
    preset = PRESETS[config.preset]  # the config refuses an unknown name
    server = None
    if config.self_check and preset.mcp is not None:
        server = find_mcp_server(python, root.resolve())
    return AgentSpec(
        preset.name,
        preset,
        (),
        tuple(config.extra_args),
        resume=config.resume and preset.resumable,
        mcp_server=server,
        self_check_configured=config.self_check,
    )


@dataclass(frozen=True)
class AgentCall:
    argv: list[str]
    stdin: str | None
    agent_session_id: str | None  # chosen up front, or the one resumed
    resumed: bool


def template(spec: AgentSpec, purpose: Purpose) -> list[str]:
    """The argv with ``{prompt}``, ``{agent_session}`` and the workspace placeholders unfilled."""
    if spec.preset is None:
        return list(spec.command)
    resuming = purpose == "revise" and spec.resume
    return _assemble(spec, spec.preset, resuming=resuming, new_session=spec.resume and not resuming)


def build_call(
    spec: AgentSpec,
    *,
    prompt: str,
    placeholders: Mapping[str, str],
    resume_id: str | None = None,
    new_id: str | None = None,
) -> AgentCall:
    """One run: continue ``resume_id`` when given and possible, else a fresh conversation
    (with ``new_id`` as its id when the preset takes one up front)."""
    preset = spec.preset
    if preset is None:
        return AgentCall(expand_argv(spec.command, placeholders), prompt, None, resumed=False)
    resuming = resume_id is not None and spec.resume
    upfront = preset.session_id_from == "upfront"
    new_session = not resuming and spec.resume and upfront and new_id is not None
    session = resume_id if resuming else (new_id if new_session else None)
    argv = expand_argv(
        _assemble(spec, preset, resuming=resuming, new_session=new_session), placeholders
    )
    filled = [_fill(element, prompt, session) for element in argv]
    stdin = prompt if preset.prompt_on == "stdin" else None
    return AgentCall(filled, stdin, session, resumed=resuming)


def _assemble(spec: AgentSpec, preset: Preset, *, resuming: bool, new_session: bool) -> list[str]:
    chosen: ArgvTemplate = preset.resume if resuming and preset.resume else preset.generate
    head = list(chosen.head)
    if new_session:
        head += preset.new_session
    if spec.mcp_server is not None and preset.mcp is not None:
        head = with_mcp(preset.mcp, head, spec.mcp_server)
    return [*head, *spec.extra_args, *chosen.tail]


def _fill(element: str, prompt: str, session: str | None) -> str:
    if element == PROMPT:
        return prompt
    if session is not None and AGENT_SESSION in element:
        return element.replace(AGENT_SESSION, session)
    return element
