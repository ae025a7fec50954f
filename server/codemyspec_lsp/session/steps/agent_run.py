"""What the two agent steps share: the agent's command, and reading its result.

The command comes from the workspace's agent (``agents.argv``): a preset's argv or the
custom ``command``. Its metadata tells clients and the result handler what ran:
``agent`` (preset name or ``custom``), ``output`` (how to render its stdout live, see
``agents.render``), ``resumed`` and, when known up front, ``agentSessionId``.

The result is read here: ``data.usage`` from the stored stdout, and for a failed run
``data.failure`` (``agents.failures``), whose fatal kinds end the session at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from codemyspec_lsp.agents.argv import build_call
from codemyspec_lsp.agents.failures import Failure, classify
from codemyspec_lsp.agents.presets import CUSTOM, PRESETS
from codemyspec_lsp.agents.usage import parse_usage
from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Interaction, Result, Session
from codemyspec_lsp.session.progression import latest_interaction, ordered
from codemyspec_lsp.session.steps.base import StepContext, replace_latest_result

AGENT_STEPS: tuple[StepName, ...] = ("generate_context_design", "revise_design")


def agent_command(
    ctx: StepContext,
    session: Session,
    step: StepName,
    prompt: str,
    description: str,
    *,
    resume_id: str | None = None,
) -> Command:
    spec = ctx.agent()
    upfront = spec.preset is not None and spec.preset.session_id_from == "upfront"
    call = build_call(
        spec,
        prompt=prompt,
        placeholders=ctx.placeholders(session),
        resume_id=resume_id,
        new_id=str(uuid.uuid4()) if spec.resume and upfront else None,
    )
    metadata: dict[str, Any] = {
        "designFile": session.context.design_file,
        "prompt": prompt,
        "agent": spec.name,
        "output": spec.output,
        "resumed": call.resumed,
    }
    if call.agent_session_id is not None:
        metadata["agentSessionId"] = call.agent_session_id
    return ctx.new_command(
        step,
        "agent",
        description,
        argv=call.argv,
        stdin=call.stdin,
        env=ctx.agent_env(step, session),
        timeout_ms=ctx.config.agent.timeout_seconds * 1000,
        metadata=metadata,
    )


def conversation_to_resume(ctx: StepContext, session: Session) -> str | None:
    """The agent conversation revise can continue, or None for a fresh prompt.

    The latest successful agent run of the same agent gives its id. A resumed run that
    failed (the CLI refused the id, or it failed otherwise) means: start afresh.
    """
    spec = ctx.agent()
    if not spec.resume:
        return None
    for interaction in reversed(ordered(session)):
        result = interaction.result
        if interaction.step not in AGENT_STEPS or result is None:
            continue
        metadata = interaction.command.metadata
        if metadata.get("agent") != spec.name:
            return None
        if result.status == "error":
            if metadata.get("resumed"):
                return None
            continue
        found = ((result.data or {}).get("usage") or {}).get("agentSessionId")
        return found if isinstance(found, str) and found else None
    return None


class AgentResult:
    """``handle_result`` of the agent steps: usage and failure onto the stored result."""

    def handle_result(self, ctx: StepContext, session: Session, result: Result) -> Session:
        interaction = latest_interaction(session)
        if interaction is None:
            return session
        data = dict(result.data or {})
        usage = _usage(interaction, result)
        if usage:
            data["usage"] = usage
        if result.status == "error":
            data["failure"] = _failure(interaction, result).dump()
        if data == (result.data or {}):
            return session
        return replace_latest_result(session, result.model_copy(update={"data": data}))


def _usage(interaction: Interaction, result: Result) -> dict[str, Any]:
    metadata = interaction.command.metadata
    agent = str(metadata.get("agent") or CUSTOM)
    output = metadata.get("output")
    preset = PRESETS.get(agent)
    if preset is None or output != preset.output:
        return {}
    usage = parse_usage(preset.output, agent, result.stdout or "")
    known = metadata.get("agentSessionId")
    if isinstance(known, str) and result.status != "error" and "agentSessionId" not in usage:
        usage = {"agent": agent, **usage, "agentSessionId": known}
    return usage


def _failure(interaction: Interaction, result: Result) -> Failure:
    command = interaction.command
    return classify(
        str(command.metadata.get("agent") or CUSTOM),
        command.argv[0] if command.argv else "agent",
        code=result.code,
        stdout=result.stdout or "",
        stderr=result.stderr or "",
        error_message=result.error_message or "",
    )
