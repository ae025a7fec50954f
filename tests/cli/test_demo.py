"""`codemyspec demo`: the packaged shop, the offline replay agent, the full loop."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import cli

from codemyspec_lsp.design.validator import ValidationOptions, validate_design
from codemyspec_lsp.session.service import SessionService


def test_demo_runs_generate_failed_validation_revise_to_a_valid_design(tmp_path: Path):
    workspace = tmp_path / "shop"
    run = cli("demo", str(workspace))
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout

    # The replay agent says what it is, and its output streamed through the driver.
    assert "offline replay agent" in out
    # The first validation fails with the flawed design's mistakes, shown as path:line:col.
    design = workspace / "docs/design/shop/orders.md"
    for code in ("CMS101", "CMS111", "CMS113", "CMS120"):
        assert any(
            "orders.md:" in line and f" error {code} " in line for line in out.splitlines()
        ), code
    assert out.index("revise_design") > out.index("CMS101")
    assert "finished: success" in out
    # The closing words say where things are and how to open them.
    assert f"code {workspace}" in out
    assert "nvim docs/design/shop/orders.md" in out

    report = validate_design(design.read_text(encoding="utf-8"), ValidationOptions())
    assert not report.has_errors, report.diagnostics
    assert report.design is not None and report.design.components

    service = SessionService(workspace)
    [session] = service.list_sessions()
    assert session.status == "complete"
    assert session.context.module == "Shop.Orders"
    steps = [i.step for i in service.get_session(session.id).interactions]
    assert steps == [
        "initialize",
        "generate_context_design",
        "validate_design",
        "revise_design",
        "validate_design",
        "finalize",
    ]

    # The timeline shows the revision and the failed validation's errors.
    show = cli("show", session.id, "--workspace", str(workspace))
    assert show.returncode == 0, show.stderr
    timeline = show.stdout
    assert "revise_design" in timeline
    failed = [line for line in timeline.splitlines() if "validate_design" in line]
    assert "error" in failed[0] and "ok" in failed[1]
    assert "CMS113" in timeline
    assert "codemyspec_lsp.demo.replay_agent" in timeline
    assert "revise rounds: plain 1 " in out


def test_demo_self_check_validates_over_mcp_and_needs_no_revise_round(tmp_path: Path):
    workspace = tmp_path / "shop"
    run = cli("demo", "--self-check", str(workspace))
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout

    # The replay agent asked the MCP server, saw the flawed design's errors, fixed them.
    assert "connected to the codemyspec MCP server" in out
    checks = [
        line for line in out.splitlines() if "validate_design docs/design/shop/orders.md" in line
    ]
    assert len(checks) == 2, out
    assert "4 error(s)" in checks[0] and "valid, no errors" in checks[1]
    for code in ("CMS101", "CMS111", "CMS113", "CMS120"):
        assert f" {code} " in out, code
    assert "finished: success" in out
    # Both variants were run and their counts stand side by side.
    assert "revise rounds: plain 1, self-check 0" in out

    service = SessionService(workspace)
    [session] = service.list_sessions()
    assert session.status == "complete"
    interactions = service.get_session(session.id).interactions
    assert [i.step for i in interactions] == [
        "initialize",
        "generate_context_design",
        "validate_design",
        "finalize",
    ]
    assert interactions[2].result is not None and interactions[2].result.status == "ok"
    design = (workspace / "docs/design/shop/orders.md").read_text(encoding="utf-8")
    assert not validate_design(design, ValidationOptions()).has_errors


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    run = cli("demo", str(tmp_path))
    assert run.returncode == 2
    assert "not an empty folder" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_the_packaged_workspace_holds_the_config_stories_rules_and_designs():
    from codemyspec_lsp.demo import workspace_files

    root = workspace_files()
    names = {p.name for p in root.joinpath(".codemyspec", "stories").iterdir()}
    assert len(names) >= 3
    assert root.joinpath(".codemyspec", "config.toml").is_file()
    for name in ("accounts.md", "catalog.md"):
        text = root.joinpath("docs", "design", "shop", name).read_text(encoding="utf-8")
        assert not validate_design(text).diagnostics, name
