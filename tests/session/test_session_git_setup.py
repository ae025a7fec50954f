"""initialize with setup = "git-branch" on real temporary git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from session_workspace import write_config

from codemyspec_lsp.session.models import StartSessionParams
from fakes.run_command import run_command

BRANCH = "docs-context-design-session-for-product-live"
GIT_CONFIG = """
[project]
name = "Shop"
"""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(workspace: Path) -> Path:
    write_config(workspace, GIT_CONFIG)
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.md").write_text("shop\n")
    git(workspace, "add", "README.md")
    git(workspace, "commit", "-q", "-m", "first")
    return workspace


def initialize(service):
    session = service.start_session(StartSessionParams(context="ProductLive"))
    answer = service.next_step(session.id)
    assert answer.step == "initialize"
    return session, answer


def test_a_new_branch_is_created_from_head_and_switched_to(make_service, repo) -> None:
    _, answer = initialize(make_service())
    assert answer.command.kind == "process"
    assert answer.command.argv == ["git", "switch", "-c", BRANCH]
    result = run_command(answer.command)
    assert result.status == "ok", result.stderr
    assert git(repo, "branch", "--show-current") == BRANCH
    assert git(repo, "log", "--format=%s") == "first"


def test_an_existing_branch_is_switched_to_and_its_commits_survive(make_service, repo) -> None:
    git(repo, "switch", "-q", "-c", BRANCH)
    (repo / "draft.md").write_text("earlier work\n")
    git(repo, "add", "draft.md")
    git(repo, "commit", "-q", "-m", "earlier design work")
    git(repo, "switch", "-q", "main")
    (repo / "notes.txt").write_text("uncommitted, untracked\n")

    _, answer = initialize(make_service())
    assert answer.command.argv == ["git", "switch", BRANCH]
    result = run_command(answer.command)
    assert result.status == "ok", result.stderr

    assert git(repo, "branch", "--show-current") == BRANCH
    assert git(repo, "log", "--format=%s").splitlines() == ["earlier design work", "first"]
    assert (repo / "draft.md").read_text() == "earlier work\n"
    assert (repo / "notes.txt").read_text() == "uncommitted, untracked\n"
    assert git(repo, "rev-parse", "--verify", "main")  # nothing deleted


def test_running_initialize_again_on_the_branch_is_harmless(make_service, repo) -> None:
    service = make_service()
    _, answer = initialize(service)
    run_command(answer.command)
    _, again = initialize(service)  # a second session for the same context
    assert again.command.argv == ["git", "switch", BRANCH]
    assert run_command(again.command).status == "ok"
    assert git(repo, "branch", "--show-current") == BRANCH


def test_outside_a_git_repository_initialize_is_a_noop(make_service, workspace) -> None:
    write_config(workspace, GIT_CONFIG)
    _, answer = initialize(make_service())
    assert answer.command.kind == "noop"
    assert answer.command.argv == []


def test_a_configured_setup_argv_gets_its_placeholders_element_by_element(
    make_service, workspace
) -> None:
    write_config(
        workspace,
        GIT_CONFIG
        + '[environment]\nsetup = ["tool", "--branch={branch}", "{design_file}", "{context}"]\n',
    )
    _, answer = initialize(make_service())
    assert answer.command.kind == "process"
    assert answer.command.argv == [
        "tool",
        f"--branch={BRANCH}",
        "docs/design/shop/product_live.md",
        "Shop.ProductLive",
    ]
