"""revise_design: an agent command whose prompt carries the latest validation's errors."""

from __future__ import annotations

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Session
from codemyspec_lsp.session.progression import ordered
from codemyspec_lsp.session.prompts import revise_prompt
from codemyspec_lsp.session.steps.base import PassThrough, StepContext
from codemyspec_lsp.session.steps.generate_context_design import agent_command


def latest_validation_errors(session: Session) -> str:
    """The ``errorMessage`` of the latest failed validate_design, by seq ("" if none)."""
    for interaction in reversed(ordered(session)):
        result = interaction.result
        if interaction.step == "validate_design" and result and result.status == "error":
            return result.error_message or ""
    return ""


class ReviseDesign(PassThrough):
    name: StepName = "revise_design"

    def command(self, ctx: StepContext, session: Session) -> Command:
        errors = latest_validation_errors(session)
        prompt = revise_prompt(
            session.context.module,
            session.context.design_file,
            errors,
            ctx.config.design.required_sections,
        )
        count = len(errors.splitlines())
        return agent_command(
            ctx,
            session,
            self.name,
            prompt,
            f"Ask the agent to fix {count} error(s) in {session.context.design_file}",
        )
