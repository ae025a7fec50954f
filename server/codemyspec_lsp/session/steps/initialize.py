"""initialize: prepare the environment, by default a git branch for the session's work.

``setup = "git-branch"`` in a git repository: ``git switch <branch>`` when the branch
exists, else ``git switch -c <branch>`` (from the current HEAD). Neither resets, deletes
or discards anything: git refuses a switch that would overwrite local changes, and that
refusal comes back as an error result (retried, then the session fails).
"""

from __future__ import annotations

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Session
from codemyspec_lsp.session.steps.base import PassThrough, StepContext, branch_name
from codemyspec_lsp.workspace.config import expand_argv
from codemyspec_lsp.workspace.git import branch_exists, is_git_worktree


class Initialize(PassThrough):
    name: StepName = "initialize"

    def command(self, ctx: StepContext, session: Session) -> Command:
        setup = ctx.config.environment.setup
        if isinstance(setup, list):
            argv = expand_argv(setup, ctx.placeholders(session))
            return ctx.new_command(
                "initialize", "process", f"Run the configured setup: {argv[0]}", argv=argv
            )
        if setup == "none":
            return ctx.new_command("initialize", "noop", "No environment setup is configured")
        if not is_git_worktree(ctx.root):
            return ctx.new_command(
                "initialize", "noop", "Not a git repository: no branch to set up"
            )
        branch = branch_name(session)
        if branch_exists(ctx.root, branch):
            argv, description = ["git", "switch", branch], f"Switch to the branch {branch}"
        else:
            argv = ["git", "switch", "-c", branch]
            description = f"Create the branch {branch} from the current HEAD and switch to it"
        return ctx.new_command("initialize", "process", description, argv=argv)
