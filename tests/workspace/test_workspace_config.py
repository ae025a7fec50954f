"""``.codemyspec/config.toml``: defaults, a broken file reported with its path, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemyspec_lsp.design.sections import ALL_SECTION_KEYS
from codemyspec_lsp.workspace.config import (
    ConfigOverrides,
    expand_argv,
    load_config,
    pascal_case,
)


def write_config(root: Path, text: str) -> Path:
    path = root / ".codemyspec" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_every_default(tmp_path: Path) -> None:
    root = tmp_path / "my-shop"
    root.mkdir()
    config, problem = load_config(root)
    assert problem is None
    assert (config.project_name, config.project_module) == ("my-shop", "MyShop")
    assert config.design.dir == "docs/design"
    assert config.design.required_sections == ALL_SECTION_KEYS
    assert config.design.max_file_bytes == 2 * 1024 * 1024
    assert config.agent.command is None
    assert (config.agent.preset, config.agent.extra_args) == ("claude", [])
    assert (config.agent.resume, config.agent.self_check) == (True, True)
    assert config.agent.timeout_seconds == 1800
    assert (config.workflow.max_attempts, config.workflow.max_revisions) == (3, 3)
    assert (config.environment.setup, config.environment.finalize) == ("git-branch", "none")


def test_the_file_is_read(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        """
[project]
name = "Shop"
description = "Handmade goods."

[design]
dir = "design"
required_sections = ["Purpose", "public  API"]

[agent]
command = ["{python}", "-m", "agent"]
timeout_seconds = 60

[workflow]
max_attempts = 2
max_revisions = 0

[environment]
setup = "none"
finalize = ["git", "add", "--", "{design_file}"]
""",
    )
    config, problem = load_config(tmp_path)
    assert problem is None
    assert (config.project_name, config.project_module) == ("Shop", "Shop")
    assert config.design.dir == "design"
    assert config.design.required_sections == ("purpose", "public api")
    assert config.agent.command == ["{python}", "-m", "agent"]
    assert (config.workflow.max_attempts, config.workflow.max_revisions) == (2, 0)
    assert config.environment.finalize == ["git", "add", "--", "{design_file}"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[project]\nname = \n", 1, "Invalid value"),
        ("[workflow]\nmax_attempts = 0\n", 1, "workflow.max_attempts"),
        ("[design]\n\ndir = '../outside'\n", 2, "inside the workspace"),
        ("[design]\nrequired_sections = ['purpose', 'nonsense']\n", 1, "nonsense"),
        ("[environment]\nsetup = 'bash -c x'\n", 1, "environment.setup"),
        ("[agent]\ncommandd = ['x']\n", 1, "agent.commandd"),
        ("[agent]\n\npreset = 'clod'\n", 2, "unknown agent preset 'clod'"),
        ("[project]\nmodule = 'my shop'\n", 1, "not a module name"),
    ],
)
def test_an_invalid_file_gives_defaults_and_a_problem_naming_it(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write_config(tmp_path, text)
    config, problem = load_config(tmp_path)
    assert problem is not None
    assert problem.path == path
    assert str(path) in problem.message
    assert words in problem.message
    assert problem.line == line
    assert config.workflow.max_attempts == 3
    assert config.design.dir == "docs/design"


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    write_config(tmp_path, "")
    (tmp_path / ".codemyspec/config.toml").write_bytes(b"\xff\xfe")
    config, problem = load_config(tmp_path)
    assert problem is not None
    assert "not UTF-8" in problem.message
    assert config.design.dir == "docs/design"


def test_editor_overrides_win_and_are_checked(tmp_path: Path) -> None:
    config, _ = load_config(tmp_path)
    changed = ConfigOverrides(design_dir="specs", required_sections=("Purpose",)).apply(config)
    assert changed.design.dir == "specs"
    assert changed.design.required_sections == ("purpose",)
    assert ConfigOverrides().apply(config) == config
    with pytest.raises(ValueError, match="inside the workspace"):
        config.with_overrides(design_dir="/etc")


def test_placeholders_are_replaced_element_by_element() -> None:
    argv = expand_argv(
        ["{python}", "--file={design_file}", "{context}", "{branch}", "{unknown}"],
        {"python": "/py", "design_file": "a b.md", "context": "Shop.A", "branch": "br"},
    )
    assert argv == ["/py", "--file=a b.md", "Shop.A", "br", "{unknown}"]


@pytest.mark.parametrize(
    ("name", "module"),
    [("shop", "Shop"), ("my-shop", "MyShop"), ("my_shop.v2", "MyShopV2"), ("2go", "App2go")],
)
def test_default_module_is_the_folder_name_in_pascal_case(name: str, module: str) -> None:
    assert pascal_case(name) == module
