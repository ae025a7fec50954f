"""The OFFLINE REPLAY AGENT: a stand-in for an AI agent, for the demo and for tests.

It calls no model and needs no network. It reads what to do from the environment the
server puts on every agent command (``CODEMYSPEC_STEP``, ``CODEMYSPEC_DESIGN_FILE``,
``CODEMYSPEC_CONTEXT_MODULE``), reads the prompt from stdin (only to report its size),
and replays a design templated on the context module:

- ``generate_context_design``: a design with real mistakes (a missing required section,
  an invalid component type, an unqualified component name, an invalid dependency), so
  the session's validation fails and shows diagnostics;
- ``revise_design``: the corrected design.

With ``--self-check`` it behaves like an agent given the CodeMySpec MCP server: after
writing the flawed design it connects to ``codemyspec-mcp`` with the MCP SDK's stdio
client, calls ``validate_design`` on its file, writes the corrected design and checks
again, so the session's own validation passes with no revise round.

It prints what it does line by line, with a short pause, so a client's live output shows.
Exit 0 on success, 2 when the environment does not say what to do.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from string import Template

from codemyspec_lsp import protocol
from codemyspec_lsp.demo import design_template

NAME = "offline replay agent"
# Pause between output lines so that streaming is visible; the whole run stays < 2 s.
# Tests may set it to 0.
DELAY_ENV = "CODEMYSPEC_REPLAY_DELAY"
DEFAULT_DELAY = 0.08

TEMPLATES: dict[str, str] = {
    "generate_context_design": "flawed",
    "revise_design": "corrected",
}


def singular(name: str) -> str:
    """A rough English singular for an entity name: ``Orders`` -> ``Order``."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


def render_design(template_name: str, module: str, uses: Sequence[str] = ()) -> str:
    """The template ``template_name`` filled in for the context module (``Shop.Orders``).

    ``uses``: the designed contexts the corrected design depends on (its siblings)."""
    app, _, context = module.rpartition(".")
    return Template(design_template(template_name)).safe_substitute(
        module=module,
        context=context,
        app=app or context,
        entity=singular(context),
        uses="\n".join(f"- {other}: uses the {other.rsplit('.', 1)[-1]} context" for other in uses),
    )


def sibling_contexts(design_file: Path, module: str) -> list[str]:
    """The contexts designed beside ``design_file`` (``catalog.md`` -> ``Shop.Catalog``),
    so the corrected design fits the architecture that is there."""
    app = module.rpartition(".")[0]
    if not app or not design_file.parent.is_dir():
        return []
    return [
        f"{app}.{''.join(w[:1].upper() + w[1:] for w in p.stem.split('_'))}"
        for p in sorted(design_file.parent.glob("*.md"))
        if p.name != design_file.name and p.stem.replace("_", "").isalnum()
    ]


def say(line: str, delay: float) -> None:
    print(f"[{NAME}] {line}", flush=True)
    if delay > 0:
        time.sleep(delay)


def read_delay() -> float:
    try:
        return max(0.0, min(float(os.environ.get(DELAY_ENV, DEFAULT_DELAY)), 0.2))
    except ValueError:
        return DEFAULT_DELAY


def main(argv: list[str] | None = None) -> int:
    self_check = "--self-check" in (sys.argv[1:] if argv is None else argv)
    step = os.environ.get(protocol.ENV_STEP)
    design_file = os.environ.get(protocol.ENV_DESIGN_FILE)
    module = os.environ.get(protocol.ENV_CONTEXT_MODULE)
    missing = [
        name
        for name, value in (
            (protocol.ENV_STEP, step),
            (protocol.ENV_DESIGN_FILE, design_file),
            (protocol.ENV_CONTEXT_MODULE, module),
        )
        if not value
    ]
    if missing or step is None or design_file is None or module is None:
        print(
            f"{NAME}: missing environment variable(s) {', '.join(missing)}; "
            "this agent is run by a CodeMySpec session, which sets them",
            file=sys.stderr,
        )
        return 2
    template_name = TEMPLATES.get(step)
    if template_name is None:
        print(f"{NAME}: nothing to do for step {step!r}", file=sys.stderr)
        return 2

    delay = read_delay()
    prompt = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    say(f"this is the {NAME}: no AI model is called, a prepared design is replayed", delay)
    say(f"step {step} for context {module}", delay)
    say(f"read the prompt ({len(prompt.splitlines())} lines, {len(prompt)} characters)", delay)
    if step == "generate_context_design":
        for part in ("Purpose", "Entity Ownership", "Public API", "Components", "Dependencies"):
            say(f"drafting {part}...", delay)
    else:
        say("reading the validation errors in the prompt...", delay)
        for fix in (
            "adding the missing Test Assertions section",
            "qualifying LineItem with its context module",
            "replacing the invalid component type 'service' with 'task'",
            "fixing the dependency 'shop mailer' into a module name",
        ):
            say(fix, delay)
    target = Path(design_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    uses = sibling_contexts(target, module) if step == "revise_design" else []
    target.write_text(render_design(template_name, module, uses), encoding="utf-8")
    say(f"wrote {target}", delay)
    if self_check and template_name == "flawed":
        corrected = render_design("corrected", module, sibling_contexts(target, module))
        check_own_design(target, corrected, delay)
    say("done", 0)
    return 0


def check_own_design(target: Path, corrected: str, delay: float) -> None:
    """The self-check over MCP; a failure of it is said and leaves the design as written."""
    from codemyspec_lsp.demo.self_check import self_check  # noqa: PLC0415 - only this mode

    say("checking the design with the codemyspec MCP server before stopping...", delay)
    try:
        self_check(Path.cwd(), target, corrected, lambda line: say(line, delay))
    except Exception as exc:  # the demo goes on: the session's validation still decides
        say(f"self-check failed ({type(exc).__name__}: {exc}); leaving the design as written", 0)


if __name__ == "__main__":
    sys.exit(main())
