"""`codemyspec validate`: what a person or a CI job sees on stdout, stderr and the exit status."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemyspec_lsp.cli.main import main

SAMPLES = Path(__file__).parents[1] / "design" / "data"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text())


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    root = tmp_path / "designs"
    (root / "shop").mkdir(parents=True)
    shutil.copy(SAMPLES / "valid_accounts.md", root / "shop" / "accounts.md")
    shutil.copy(SAMPLES / "invalid_catalog.md", root / "catalog.md")
    (root / "notes.txt").write_text("not a design")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_reports_expected_codes_and_lines_and_exits_1(samples, capsys):
    status, out, _ = run(capsys, "--format", "json", samples)
    assert status == 1
    files = json.loads(out)
    assert [Path(f["path"]).relative_to(samples).as_posix() for f in files] == [
        "catalog.md",
        "shop/accounts.md",
    ]
    by_name = {
        "invalid_catalog.md": files[0],
        "valid_accounts.md": files[1],
    }
    for name, result in by_name.items():
        got = sorted((d["code"], d["range"]["start"]["line"]) for d in result["diagnostics"])
        assert got == sorted((e["code"], e["line"]) for e in EXPECTED[name])
        assert result["design"]["title"] in ("Catalog", "Accounts")
    first = files[0]["diagnostics"][0]
    assert first["source"] == "codemyspec" and first["severity"] == 1
    assert files[1]["design"]["components"][0]["moduleName"] == "Accounts.Account"


def test_text_lines_are_one_based_path_line_col_severity_code_message(samples, capsys):
    status, out, _ = run(capsys, samples / "catalog.md")
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == len(EXPECTED["invalid_catalog.md"])
    catalog = str(samples / "catalog.md")
    assert f"{catalog}:6:1: information CMS104 " in out
    assert any(line.startswith(f"{catalog}:40:1: error CMS120 ") for line in lines)


def test_valid_designs_exit_0_with_no_output(samples, capsys):
    assert run(capsys, samples / "shop") == (0, "", "")


def test_warnings_alone_exit_0(tmp_path, capsys):
    design = (SAMPLES / "valid_accounts.md").read_text() + "\n## Purpose\nAgain.\n"
    (tmp_path / "dup.md").write_text(design)
    status, out, _ = run(capsys, tmp_path / "dup.md")
    assert status == 0 and " warning CMS103 " in out


def test_missing_path_is_a_usage_error(samples, capsys):
    status, out, err = run(capsys, samples / "nope.md")
    assert status == 2 and out == "" and "nope.md" in err


def test_bad_format_is_a_usage_error(samples, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml", str(samples)])
    assert exit_info.value.code == 2


def test_installed_command_runs_as_a_process(samples):
    done = subprocess.run(
        [sys.executable, "-m", "codemyspec_lsp.cli.main", "validate", str(samples / "shop")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_a_file_that_is_not_utf8_is_cms001_and_exit_1(tmp_path, capsys):
    (tmp_path / "latin1.md").write_bytes("# Café\n".encode("latin-1"))
    status, out, _ = run(capsys, tmp_path)
    assert status == 1
    assert out.startswith(f"{tmp_path / 'latin1.md'}:1:1: error CMS001 ")


SHORT_DESIGN = """# Accounts

## Purpose
Owns customer accounts.

## Dependencies
- Shop.Repo
"""


def workspace_with_design(tmp_path: Path, config: str) -> Path:
    """A workspace `shop` with this config.toml; the path of its design `accounts.md`."""
    workspace = tmp_path / "shop"
    design = workspace / "docs" / "design" / "accounts.md"
    design.parent.mkdir(parents=True)
    design.write_text(SHORT_DESIGN)
    (workspace / ".codemyspec").mkdir()
    (workspace / ".codemyspec" / "config.toml").write_text(config)
    return design


def test_a_workspace_config_decides_which_sections_are_required(tmp_path, capsys):
    workspace = tmp_path / "shop"
    design = workspace / "docs" / "design" / "shop" / "accounts.md"
    design.parent.mkdir(parents=True)
    design.write_text(SHORT_DESIGN)
    stray = tmp_path / "elsewhere" / "accounts.md"
    stray.parent.mkdir()
    stray.write_text(SHORT_DESIGN)
    (workspace / ".codemyspec").mkdir()
    (workspace / ".codemyspec" / "config.toml").write_text(
        '[design]\nrequired_sections = ["purpose", "dependencies"]\n'
    )

    status, out, _ = run(capsys, design)
    assert (status, out) == (0, "")

    # The same text outside any workspace needs all ten sections.
    status, out, _ = run(capsys, stray)
    assert status == 1
    assert out.count("CMS101") == 8


def test_a_broken_workspace_config_is_named_and_the_defaults_apply(tmp_path, capsys):
    design = workspace_with_design(tmp_path, "[design\n")

    status, out, err = run(capsys, design)
    assert status == 1
    assert "CMS101" in out
    assert "config.toml" in err


def test_a_design_linking_out_of_its_workspace_is_never_read(tmp_path, capsys):
    workspace = tmp_path / "shop"
    designs = workspace / "docs" / "design"
    designs.mkdir(parents=True)
    (workspace / ".codemyspec").mkdir()
    (designs / "accounts.md").write_text(SHORT_DESIGN)
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("# Secret\n")  # would be CMS101 many times over if read
    link = designs / "leak.md"
    link.symlink_to(secret)

    # Found in a directory: skipped with a note; the rest is validated as usual.
    status, out, err = run(capsys, designs)
    assert status == 1
    assert str(link) not in out
    assert f"{link}: skipped: it links outside the workspace" in err
    assert f"{designs / 'accounts.md'}:" in out

    # Named: refused like an unreadable file (exit 2), and still not read.
    status, out, err = run(capsys, link)
    assert (status, out) == (2, "")
    assert f"{link}: refused: it links outside the workspace" in err

    # The same file outside any workspace is the user's to validate.
    status, out, _ = run(capsys, secret)
    assert status == 1 and "CMS101" in out


def test_json_links_follow_the_workspace_docs_base_url(tmp_path, capsys):
    design = workspace_with_design(tmp_path, '[docs]\nbase_url = "https://wiki.example.com/cms/"\n')
    stray = tmp_path / "accounts.md"
    stray.write_text(SHORT_DESIGN)

    status, out, _ = run(capsys, "--format", "json", design, stray)
    assert status == 1
    inside, outside = json.loads(out)
    hrefs = {d["codeDescription"]["href"] for d in inside["diagnostics"]}
    assert hrefs == {"https://wiki.example.com/cms/diagnostics.md#cms101"}
    # Outside any workspace: the page installed with the package.
    href = outside["diagnostics"][0]["codeDescription"]["href"]
    assert href.startswith("file://") and href.endswith("/diagnostics.md#cms101")


def test_a_docs_base_url_that_is_not_a_url_is_named_and_the_defaults_apply(tmp_path, capsys):
    design = workspace_with_design(tmp_path, '[docs]\nbase_url = "wiki"\n')

    status, out, err = run(capsys, "--format", "json", design)
    assert status == 1
    assert "docs.base_url" in err and "absolute" in err
    href = json.loads(out)[0]["diagnostics"][0]["codeDescription"]["href"]
    assert href.startswith("file://")
