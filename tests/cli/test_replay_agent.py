"""The offline replay agent on its own: what it writes for each step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from codemyspec_lsp import protocol
from codemyspec_lsp.design.validator import ValidationOptions, validate_design


def replay(tmp_path: Path, step: str, module: str = "Shop.Orders", env_extra=None):
    design = tmp_path / "docs" / "design" / "x.md"
    env = {
        **os.environ,
        protocol.ENV_STEP: step,
        protocol.ENV_DESIGN_FILE: str(design),
        protocol.ENV_CONTEXT_MODULE: module,
        "CODEMYSPEC_REPLAY_DELAY": "0",
    }
    env.update(env_extra or {})
    run = subprocess.run(
        [sys.executable, "-m", "codemyspec_lsp.demo.replay_agent"],
        input="the prompt\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    return run, design


def codes(design: Path, module: str) -> set[str]:
    report = validate_design(design.read_bytes(), ValidationOptions(context_module=module))
    return {str(d.code) for d in report.diagnostics}


def test_generate_writes_a_design_with_the_four_mistakes(tmp_path):
    run, design = replay(tmp_path, "generate_context_design")
    assert run.returncode == 0, run.stderr
    assert "offline replay agent" in run.stdout
    assert design.read_text(encoding="utf-8").startswith("# Orders\n")
    assert {"CMS101", "CMS111", "CMS113", "CMS120"} <= codes(design, "Shop.Orders")


def test_revise_writes_the_corrected_design_for_any_context(tmp_path):
    run, design = replay(tmp_path, "revise_design", module="Shop.Payments")
    assert run.returncode == 0, run.stderr
    assert design.read_text(encoding="utf-8").startswith("# Payments\n")
    assert codes(design, "Shop.Payments") == set()


def test_without_the_session_environment_it_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEMYSPEC_")}
    run = subprocess.run(
        [sys.executable, "-m", "codemyspec_lsp.demo.replay_agent"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert run.returncode == 2
    assert protocol.ENV_STEP in run.stderr
