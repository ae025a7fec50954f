"""No workspace text ever becomes a shell command line; design paths stay inside.

Property tests: any context name is either refused or gives a path inside the design dir;
any description or story text leaves every argv exactly as configured.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemyspec_lsp.session.errors import InvalidParams
from codemyspec_lsp.session.models import CommandStep, ResultInput, StartSessionParams
from codemyspec_lsp.session.service import SessionService
from codemyspec_lsp.workspace.paths import contained, resolve_context

SHELLS = {"sh", "bash", "zsh", "dash", "cmd", "cmd.exe", "powershell", "pwsh"}
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

names = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"[A-Z][A-Za-z0-9_]{0,20}(\.[A-Z][A-Za-z0-9_]{0,20}){0,3}", fullmatch=True),
    st.sampled_from(
        ["../x", "A/B", "A..B", "A B", "A;rm -rf", "A\x00", "$(id)", "A`x`", "A|b", "Ä", "A" * 300]
    ),
)


def assert_no_shell(argv: list[str]) -> None:
    assert not argv or Path(argv[0]).name not in SHELLS
    assert "-c" not in argv


@SETTINGS
@given(context=names)
def test_any_context_name_is_refused_or_stays_inside_the_design_dir(
    tmp_path: Path, context: str
) -> None:
    try:
        target = resolve_context(context, "Shop", "docs/design")
    except InvalidParams as refused:
        assert refused.message.startswith("context: ")
        return
    absolute = contained(tmp_path, "docs/design", target.design_file)
    assert absolute.is_relative_to((tmp_path / "docs/design").resolve())
    assert absolute.suffix == ".md"
    assert all(part.isidentifier() for part in target.design_file.parts[2:-1])


def commands_of_a_session(service: SessionService, context: str, description: str) -> list:
    """Every command a session hands out on its way through all five steps.

    No agent runs, so validation fails (missing file), which walks through revise too.
    """
    session = service.start_session(StartSessionParams(context=context, description=description))
    commands = []
    for status in ["ok", "ok", "error", "ok", "ok", "ok"]:
        answer = service.next_step(session.id)
        if not isinstance(answer, CommandStep):
            break
        commands.append(answer.command)
        service.report_result(session.id, answer.interaction_id, ResultInput(status=status))
    return commands


@SETTINGS
@given(description=st.text(max_size=300), story=st.text(max_size=300))
def test_description_and_story_text_never_reach_an_argv(
    make_service, workspace: Path, description: str, story: str
) -> None:
    stories = workspace / ".codemyspec" / "stories"
    stories.mkdir(parents=True, exist_ok=True)
    (stories / "story.md").write_text(f"---\ncontexts: [Accounts]\n---\n{story}\n")
    service = make_service()
    commands = commands_of_a_session(service, "Accounts", description)
    reference = commands_of_a_session(service, "Accounts", "")
    assert [c.argv for c in commands] == [c.argv for c in reference]
    for command in commands:
        assert_no_shell(command.argv)


@pytest.mark.parametrize("context", ["Accounts", "ShopWeb.ProductLive", "A_b.C9"])
def test_argv_elements_hold_only_configured_words_and_the_derived_names(
    make_service, context: str
) -> None:
    for command in commands_of_a_session(make_service(), context, "x; sh -c 'rm -rf /'"):
        assert_no_shell(command.argv)
        assert all("rm -rf" not in element for element in command.argv)
