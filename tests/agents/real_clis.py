"""The real agent CLIs at pinned versions, installed once into a cache outside the clone.

``python tests/agents/real_clis.py`` installs them all (in parallel) and prints where.
The cache is ``$CODEMYSPEC_AGENT_CLI_CACHE`` or ``~/.cache/codemyspec/agent-clis``; each CLI
lives in ``<package>@<version>/`` there and is reused once its ``.installed`` marker exists.
npm packages go in with ``npm install --prefix``; aider-chat into a venv of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

INSTALL_TIMEOUT = 1200


@dataclass(frozen=True)
class Pin:
    preset: str
    package: str
    version: str
    executable: str
    registry: str = "npm"  # or "pypi"

    @property
    def folder(self) -> str:
        return f"{self.package.replace('/', '+')}@{self.version}"


PINS: tuple[Pin, ...] = (
    Pin("claude", "@anthropic-ai/claude-code", "2.1.197", "claude"),
    Pin("codex", "@openai/codex", "0.171.0", "codex"),
    Pin("gemini", "@google/gemini-cli", "0.61.0", "gemini"),
    Pin("opencode", "opencode-ai", "1.18.33", "opencode"),
    Pin("qwen", "@qwen-code/qwen-code", "0.24.4", "qwen"),
    Pin("copilot", "@github/copilot", "1.0.102", "copilot"),
    Pin("aider", "aider-chat", "0.86.2", "aider", registry="pypi"),
)


def cache_dir() -> Path:
    configured = os.environ.get("CODEMYSPEC_AGENT_CLI_CACHE")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "codemyspec" / "agent-clis"


def bin_dir(pin: Pin) -> Path:
    root = cache_dir() / pin.folder
    return root / ("venv/bin" if pin.registry == "pypi" else "node_modules/.bin")


def installed(pin: Pin) -> Path | None:
    marker = cache_dir() / pin.folder / ".installed"
    executable = bin_dir(pin) / pin.executable
    return executable if marker.exists() and executable.exists() else None


def install(pin: Pin) -> Path:
    """The CLI's executable, installed first if it is not in the cache yet.

    Under a file lock per CLI: two test runs at once install it once, and never remove the
    folder the other one is filling.
    """
    found = installed(pin)
    if found is not None:
        return found
    cache_dir().mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir() / f"{pin.folder}.lock"), timeout=INSTALL_TIMEOUT):
        return installed(pin) or _install(pin)


def _install(pin: Pin) -> Path:
    root = cache_dir() / pin.folder
    if root.exists():
        shutil.rmtree(root)  # a half-done install from an earlier run
    root.mkdir(parents=True)
    if pin.registry == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not on PATH")
        command = [
            npm, "install", "--prefix", str(root), "--no-audit", "--no-fund",
            "--loglevel=error", f"{pin.package}@{pin.version}",
        ]  # fmt: skip
    else:
        venv.EnvBuilder(with_pip=True).create(root / "venv")
        command = [
            str(root / "venv/bin/python"), "-m", "pip", "install", "--quiet",
            f"{pin.package}=={pin.version}",
        ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"installing {pin.package}@{pin.version} failed:\n{done.stderr[-3000:]}")
    (root / ".installed").write_text(f"{pin.package}@{pin.version}\n")
    found = installed(pin)
    if found is None:
        raise RuntimeError(f"{pin.package}@{pin.version} installed no {pin.executable}")
    return found


def install_all(pins: tuple[Pin, ...] = PINS) -> dict[str, Path | Exception]:
    """Every pinned CLI, installed in parallel; an install that failed is its exception."""

    def one(pin: Pin) -> Path | Exception:
        try:
            return install(pin)
        except Exception as error:  # reported per CLI by the caller
            return error

    with ThreadPoolExecutor(max_workers=len(pins)) as pool:
        return dict(zip([p.preset for p in pins], pool.map(one, pins), strict=True))


if __name__ == "__main__":
    failed = 0
    for preset, outcome in install_all().items():
        print(f"{preset}: {outcome}")
        failed += isinstance(outcome, Exception)
    sys.exit(1 if failed else 0)
