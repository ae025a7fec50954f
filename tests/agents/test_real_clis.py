"""Every preset's argv against its real CLI, at the version pinned in ``real_clis.py``.

Each CLI is installed once into a cache outside the clone (``real_clis.cache_dir()``, all
of them in parallel the first time); then each preset's test runs its generate argv and its
resume argv (in turn: the resume continues what generate started) with a tiny prompt, a
throwaway HOME, no network (a network namespace of its own where ``unshare -n`` works, else
a dead proxy) and a 20-second limit. Nothing here is logged in, so a CLI that accepted its
arguments ends on its login check or waits on the network until the limit: the test asserts
the server classifies that (``auth`` or ``timeout``) and never as ``usage`` (arguments
rejected). A resume of a conversation the CLI does not have may also end on the CLI looking
that id up and not finding it: proof it parsed the argv, and the server's cue to start afresh.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from real_clis import PINS, Pin, install_all

from codemyspec_lsp.agents.argv import agent_spec, build_call
from codemyspec_lsp.agents.failures import Failure, classify
from codemyspec_lsp.agents.usage import parse_usage
from codemyspec_lsp.workspace.config import AgentConfig

pytestmark = pytest.mark.slow

LIMIT_S = 20.0
PROMPT = "Reply with the single word OK."


@dataclass(frozen=True)
class Run:
    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    failure: Failure | None
    seconds: float
    asked_id: str | None  # the conversation id it was asked to continue


def _isolation() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def _run(pin: Pin, executable: Path, root: Path, home: Path, resume_id: str | None) -> Run:
    config = AgentConfig(preset=pin.preset, resume=True, self_check=True)
    spec = agent_spec(config, python=sys.executable, root=root)
    call = build_call(
        spec,
        prompt=PROMPT,
        placeholders={
            "design_file": "docs/design/shop/orders.md",
            "branch": "b",
            "context": "Shop.Orders",
            "python": sys.executable,
        },
        resume_id=resume_id,
        new_id=str(uuid.uuid4()),
    )
    dead_proxy = "http://127.0.0.1:9"
    node = shutil.which("node")  # the npm CLIs start with `#!/usr/bin/env node`
    folders = [str(executable.parent), *([str(Path(node).parent)] if node else [])]
    env = {
        "PATH": os.pathsep.join([*folders, "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home),
        "TERM": "dumb",
        "HTTP_PROXY": dead_proxy,
        "HTTPS_PROXY": dead_proxy,
        "http_proxy": dead_proxy,
        "https_proxy": dead_proxy,
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [*_isolation(), *call.argv],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(call.stdin or "", timeout=LIMIT_S)
        code: int | None = process.returncode
        message = "" if code == 0 else f"{call.argv[0]} exited with code {code}"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        code, message = None, f"timed out after {LIMIT_S:g} s; the command was stopped"
    failure = None
    if message:
        failure = classify(
            pin.preset, call.argv[0], code=code, stdout=stdout, stderr=stderr, error_message=message
        )
    parse_usage(spec.output, pin.preset, stdout)  # never raises on real output
    return Run(call.argv, code, stdout, stderr, failure, time.monotonic() - started, resume_id)


@pytest.fixture(scope="session")
def installed() -> dict[str, Path | Exception]:
    """Every pinned CLI, installed in parallel (once per machine: a file lock per CLI keeps
    two pytest workers from installing one twice)."""
    return install_all()


def _conversation(pin: Pin, run: Run) -> str:
    found = parse_usage(
        agent_spec(AgentConfig(preset=pin.preset), python=sys.executable, root=Path()).output,
        pin.preset,
        run.stdout,
    ).get("agentSessionId")
    if isinstance(found, str):
        return found
    return "ses_0123456789abcdefABCDEF" if pin.preset == "opencode" else str(uuid.uuid4())


def _explain(run: Run) -> str:
    return (
        f"argv {run.argv}\ncode {run.code} after {run.seconds:.1f} s, failure {run.failure}\n"
        f"stdout: {run.stdout[-1500:]}\nstderr: {run.stderr[-1500:]}"
    )


@pytest.mark.parametrize("preset", [pin.preset for pin in PINS])
def test_generate_and_resume_argv_are_accepted_and_classified(
    installed: dict[str, Path | Exception], preset: str, tmp_path: Path
) -> None:
    """One test per CLI (not one fixture running them all): pytest-xdist spreads them."""
    executable = installed[preset]
    if isinstance(executable, Exception):
        pytest.fail(f"{preset} could not be installed: {executable}")
    [pin] = [p for p in PINS if p.preset == preset]
    root, home = tmp_path / "ws", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    generated = _run(pin, executable, root, home, None)
    # Resume what generate started where it told us the id, else an id it cannot know.
    resumed = _run(pin, executable, root, home, _conversation(pin, generated))
    wrong = [f"generate: {why}\n{_explain(generated)}" for why in _generate_problems(generated)] + [
        f"resume: {why}\n{_explain(resumed)}" for why in _resume_problems(resumed)
    ]
    assert not wrong, "\n\n".join(wrong)


def _generate_problems(run: Run) -> list[str]:
    if run.failure is None:  # no login, no network: it cannot succeed
        return ["it succeeded, which it cannot without a login and a network"]
    if run.failure.kind not in ("auth", "timeout"):
        return [f"classified {run.failure.kind!r}, not 'auth' or 'timeout'"]
    return []


def _resume_problems(run: Run) -> list[str]:
    if run.failure is None:
        return ["it succeeded, which it cannot without a login and a network"]
    if run.failure.kind == "usage":
        return ["classified 'usage': the CLI refused its arguments"]
    if run.failure.kind == "exit":  # only as the CLI looking the conversation up
        if "could not continue its conversation" not in run.failure.message:
            return ["an 'exit' that is not the CLI failing to find the conversation"]
        return []
    if run.failure.kind not in ("auth", "timeout"):
        return [f"classified {run.failure.kind!r}, not 'auth', 'timeout' or a refused resume"]
    return []
