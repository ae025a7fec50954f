"""generate_context_design: an agent command that writes the design file from the prompt."""

from __future__ import annotations

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.models import Command, Session
from codemyspec_lsp.session.prompts import GenerateInputs, generate_prompt
from codemyspec_lsp.session.steps.agent_run import AgentResult, agent_command
from codemyspec_lsp.session.steps.base import StepContext
from codemyspec_lsp.workspace.architecture import load_architecture
from codemyspec_lsp.workspace.rules import find_matching_rules
from codemyspec_lsp.workspace.stories import stories_for

COMPONENT_TYPE = "context"
SESSION_TYPE = "design"


class GenerateContextDesign(AgentResult):
    """The agent writes the file itself; its stdout stays in the stored result."""

    name: StepName = "generate_context_design"

    def command(self, ctx: StepContext, session: Session) -> Command:
        prompt = generate_prompt(self.inputs(ctx, session))
        return agent_command(
            ctx,
            session,
            self.name,
            prompt,
            f"Ask the agent to write the design of {session.context.module} "
            f"to {session.context.design_file}",
        )

    def inputs(self, ctx: StepContext, session: Session) -> GenerateInputs:
        target = session.context
        graph = load_architecture(ctx.root, ctx.config.design.dir, ctx.validation_options())
        return GenerateInputs(
            project_name=ctx.config.project_name,
            project_description=ctx.config.project.description,
            context_name=target.name,
            context_module=target.module,
            context_description=target.description,
            stories=stories_for(ctx.root, target.name, target.module),
            existing=graph.others(target.module),
            dependents=graph.dependents_of(target.module),
            rules=find_matching_rules(ctx.root, COMPONENT_TYPE, SESSION_TYPE),
            design_file=target.design_file,
            required_sections=ctx.config.design.required_sections,
            self_check=ctx.agent().self_check,
        )
