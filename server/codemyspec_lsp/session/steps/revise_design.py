"""revise_design: an agent command whose prompt carries the latest validation's errors."""

from __future__ import annotations

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Session
from codemyspec_lsp.session.progression import ordered
from codemyspec_lsp.session.prompts import resume_prompt, revise_prompt
from codemyspec_lsp.session.steps.agent_run import (
    AgentResult,
    agent_command,
    conversation_to_resume,
)
from codemyspec_lsp.session.steps.base import StepContext


def latest_validation_errors(session: Session) -> str:
    """The ``errorMessage`` of the latest failed validate_design, by seq ("" if none)."""
    for interaction in reversed(ordered(session)):
        result = interaction.result
        if interaction.step == "validate_design" and result and result.status == "error":
            return result.error_message or ""
    return ""


class ReviseDesign(AgentResult):
    """Continues the agent's conversation with the errors where it can, else a full prompt."""

    name: StepName = "revise_design"

    def command(self, ctx: StepContext, session: Session) -> Command:
        errors = latest_validation_errors(session)
        design_file = session.context.design_file
        self_check = ctx.agent().self_check
        resume_id = conversation_to_resume(ctx, session)
        if resume_id is not None:
            prompt = resume_prompt(design_file, errors, self_check=self_check)
        else:
            prompt = revise_prompt(
                session.context.module,
                design_file,
                errors,
                ctx.config.design.required_sections,
                self_check=self_check,
            )
        count = len(errors.splitlines())
        how = "continuing its conversation" if resume_id is not None else "with a fresh prompt"
        return agent_command(
            ctx,
            session,
            self.name,
            prompt,
            f"Ask the agent to fix {count} error(s) in {design_file} ({how})",
            resume_id=resume_id,
        )
