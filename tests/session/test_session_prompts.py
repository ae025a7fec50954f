"""The generate prompt's parts (workspace.md, "The generate prompt"), in order."""

from __future__ import annotations

from pathlib import Path

from codemyspec_lsp import protocol
from codemyspec_lsp.design.sections import KNOWN_SECTIONS
from codemyspec_lsp.session.models import CommandStep, ResultInput, StartSessionParams
from fakes.fake_agent import VALID


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def seed_inputs(root: Path) -> None:
    write(
        root,
        ".codemyspec/stories/signup.md",
        "---\ncontexts: [Accounts]\n---\n# Customer signs up\n\nA visitor creates an account.\n\n"
        "## Acceptance Criteria\n- A confirmation mail is sent\n",
    )
    write(
        root,
        ".codemyspec/stories/qualified.md",
        "---\ncontexts: [Shop.Accounts, Orders]\n---\n# Customer resets the password\n",
    )
    write(
        root,
        ".codemyspec/stories/checkout.md",
        "---\ncontexts: [Orders]\n---\n# Customer checks out\n\nUNRELATED-STORY\n",
    )
    write(root, ".codemyspec/stories/broken.md", "---\ncontexts: [Accounts\n---\n# Broken\n")
    write(
        root,
        ".codemyspec/rules/small_api.md",
        "---\ncomponent_type: context\nsession_type: design\n---\nKeep the public API small.\n",
    )
    write(
        root,
        ".codemyspec/rules/anywhere.md",
        "---\ncomponent_type: '*'\nsession_type: '*'\n---\nName things plainly.\n",
    )
    write(
        root,
        ".codemyspec/rules/schemas.md",
        "---\ncomponent_type: schema\nsession_type: design\n---\nNON-MATCHING-RULE\n",
    )
    write(
        root,
        ".codemyspec/rules/coding.md",
        "---\ncomponent_type: context\nsession_type: coding\n---\nOTHER-SESSION-RULE\n",
    )
    orders = VALID.format(name="Orders", module="Shop.Orders").replace(
        "## Dependencies\n- None", "## Dependencies\n- Shop.Accounts: who orders"
    )
    write(root, "docs/design/shop/orders.md", orders)
    write(root, "docs/design/shop/catalog.md", VALID.format(name="Catalog", module="Shop.Catalog"))


def generate_prompt(service) -> str:
    session = service.start_session(
        StartSessionParams(context="Accounts", description="Customer accounts and logins.")
    )
    init = service.next_step(session.id)
    service.report_result(session.id, init.interaction_id, ResultInput(status="ok"))
    generate = service.next_step(session.id)
    assert isinstance(generate, CommandStep)
    assert generate.command.stdin == generate.command.metadata["prompt"]
    return generate.command.stdin


def test_the_prompt_holds_every_part_in_order(make_service, workspace) -> None:
    seed_inputs(workspace)
    prompt = generate_prompt(make_service())
    in_order = [
        "Shop: An online shop selling handmade goods.",
        "Module: Shop.Accounts",
        "Customer accounts and logins.",
        "Customer resets the password",  # stories in file name order: qualified.md first
        "Customer signs up",
        "- A confirmation mail is sent",
        "- Shop.Catalog: Owns the Catalog of the project.",
        "  Public API: `get(id)`",
        "Contexts that depend on this one:\n\n- Shop.Orders",
        "## Purpose` (required)",
        "- `schema`:",
        "Name things plainly.",
        "Keep the public API small.",
        "`docs/design/shop/accounts.md`",
        "Be concise",
    ]
    positions = [prompt.find(part) for part in in_order]
    assert -1 not in positions, [p for p, at in zip(in_order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    for spec in KNOWN_SECTIONS:
        assert spec.guidance in prompt


def test_unrelated_stories_and_non_matching_rules_stay_out(make_service, workspace) -> None:
    seed_inputs(workspace)
    prompt = generate_prompt(make_service())
    assert "UNRELATED-STORY" not in prompt
    assert "Broken" not in prompt  # its front matter does not parse: skipped
    assert "NON-MATCHING-RULE" not in prompt
    assert "OTHER-SESSION-RULE" not in prompt


def test_empty_parts_say_so(make_service) -> None:
    prompt = generate_prompt(make_service())
    assert "No user stories." in prompt
    assert "No other contexts yet." in prompt
    assert "No design rules." in prompt


def test_the_agent_command_carries_env_timeout_and_design_file(make_service, workspace) -> None:
    service = make_service()
    session = service.start_session(StartSessionParams(context="Accounts"))
    init = service.next_step(session.id)
    service.report_result(session.id, init.interaction_id, ResultInput(status="ok"))
    command = service.next_step(session.id).command
    assert command.kind == "agent"
    assert command.timeout_ms == 60_000
    assert command.cwd == str(workspace.resolve())
    assert command.metadata["designFile"] == "docs/design/shop/accounts.md"
    assert command.env == {
        protocol.ENV_STEP: "generate_context_design",
        protocol.ENV_DESIGN_FILE: str(workspace.resolve() / "docs/design/shop/accounts.md"),
        protocol.ENV_CONTEXT_MODULE: "Shop.Accounts",
        protocol.ENV_SESSION_ID: session.id,
    }
