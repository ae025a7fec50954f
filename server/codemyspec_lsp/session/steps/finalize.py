"""finalize: a noop unless ``environment.finalize`` names an argv; its ok result ends the session.

Completing the session is the orchestrator's job (the progression's ``finalize ok`` row),
so this step has nothing to interpret.
"""

from __future__ import annotations

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Session
from codemyspec_lsp.session.steps.base import PassThrough, StepContext
from codemyspec_lsp.workspace.config import expand_argv


class Finalize(PassThrough):
    name: StepName = "finalize"

    def command(self, ctx: StepContext, session: Session) -> Command:
        configured = ctx.config.environment.finalize
        if configured == "none":
            return ctx.new_command(
                self.name, "noop", f"Finish the session for {session.context.module}"
            )
        argv = expand_argv(configured, ctx.placeholders(session))
        return ctx.new_command(
            self.name, "process", f"Run the configured finalize command: {argv[0]}", argv=argv
        )
