"""Step name -> step object: the one place that knows which module runs which step."""

from __future__ import annotations

from typing import Final

from codemyspec_lsp.protocol import StepName
from codemyspec_lsp.session.steps.base import Step
from codemyspec_lsp.session.steps.finalize import Finalize
from codemyspec_lsp.session.steps.generate_context_design import GenerateContextDesign
from codemyspec_lsp.session.steps.initialize import Initialize
from codemyspec_lsp.session.steps.revise_design import ReviseDesign
from codemyspec_lsp.session.steps.validate_design import ValidateDesign

STEP_MODULES: Final[dict[StepName, Step]] = {
    "initialize": Initialize(),
    "generate_context_design": GenerateContextDesign(),
    "validate_design": ValidateDesign(),
    "revise_design": ReviseDesign(),
    "finalize": Finalize(),
}


def get_step(name: StepName) -> Step:
    return STEP_MODULES[name]
