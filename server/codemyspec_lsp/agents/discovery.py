"""Which agents are installed: ``codemyspec agents``, ``listAgents`` and ``workspaceInfo``.

``AgentInfo`` is the object of ``codemyspec agents --format json`` (``spec/agents.md``):
name, executable, found, path, version, selected, argv {generate, revise} (as the server
would build them for the workspace, placeholders unfilled), promptOn, and what the preset
supports: resume, selfCheck (MCP on its command line), usage (machine-readable output).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from codemyspec_lsp import __version__
from codemyspec_lsp.agents.argv import AgentSpec, agent_spec, template
from codemyspec_lsp.agents.presets import CUSTOM, PRESETS
from codemyspec_lsp.store.describe import describe_store
from codemyspec_lsp.workspace.config import WorkspaceConfig

VERSION_TIMEOUT_S = 15.0  # a Node CLI can take seconds to start on a busy machine
VERSION = re.compile(r"\d+\.\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?")
_versions: dict[str, str | None] = {}


def locate(executable: str) -> str | None:
    """The executable's absolute path on PATH (as found there, links not followed)."""
    found = shutil.which(executable)
    return str(Path(found).absolute()) if found else None


def version_cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "codemyspec" / "agent-versions.json"


def version_of(path: str | None) -> str | None:
    """The first version number in ``path --version``, None when unknown.

    Remembered per installed file (its resolved path, size and mtime), in this process and
    in ``~/.cache/codemyspec/agent-versions.json``, so only a new install is asked again.
    """
    if path is None:
        return None
    try:
        real = Path(path).resolve()
        stat = real.stat()
    except OSError:
        return None
    key = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    if key not in _versions:
        remembered = _read_cache().get(key)
        _versions[key] = remembered if isinstance(remembered, str) else _ask_version(path)
        if _versions[key] is not None and remembered is None:
            _remember(key, _versions[key])
    return _versions[key]


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(version_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _remember(key: str, version: str | None) -> None:
    """Add one entry; a lost race only costs asking once more (written whole, then renamed)."""
    target = version_cache_file()
    data = {**_read_cache(), key: version}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps(data, indent=0), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        return


def _ask_version(path: str) -> str | None:
    try:
        done = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=VERSION_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = VERSION.search(done.stdout or "") or VERSION.search(done.stderr or "")
    return match.group(0) if match else None


def executable_of(spec: AgentSpec, python: str) -> str:
    """The program the agent's argv starts (a custom command may start ``{python}``)."""
    return spec.executable.replace("{python}", python)


def _entry(spec: AgentSpec, selected: bool, python: str) -> dict[str, Any]:
    path = locate(executable_of(spec, python))
    preset = spec.preset
    return {
        "name": spec.name,
        "executable": spec.executable,
        "found": path is not None,
        "path": path,
        "version": None,  # filled below, concurrently
        "selected": selected,
        "argv": {"generate": template(spec, "generate"), "revise": template(spec, "revise")},
        "promptOn": spec.prompt_on,
        "resume": preset.resumable if preset else False,
        "selfCheck": preset.mcp is not None if preset else False,
        "usage": preset.reports_usage if preset else False,
    }


def list_agents(config: WorkspaceConfig, *, python: str, root: Path) -> list[dict[str, Any]]:
    """Every preset (and the custom command when the config sets one), selected one marked."""
    agent = config.agent
    custom = agent.command is not None
    entries = []
    for name in PRESETS:
        own = agent.model_copy(update={"preset": name, "command": None})
        spec = agent_spec(own, python=python, root=root)
        if name != agent.preset:
            spec = replace(spec, extra_args=())  # extra_args are the selected CLI's flags
        entries.append(_entry(spec, not custom and name == agent.preset, python))
    if custom:
        entries.append(_entry(agent_spec(agent, python=python, root=root), True, python))
    with ThreadPoolExecutor(max_workers=len(entries)) as pool:
        versions = list(pool.map(version_of, [e["path"] for e in entries]))
    for entry, version in zip(entries, versions, strict=True):
        entry["version"] = version
    return entries


def selected_agent(config: WorkspaceConfig, *, python: str, root: Path) -> dict[str, Any]:
    """``workspaceInfo``'s ``agent``: the selected agent, found or not."""
    spec = agent_spec(config.agent, python=python, root=root)
    path = locate(executable_of(spec, python))
    return {
        "name": spec.name if spec.preset is not None else CUSTOM,
        "executable": executable_of(spec, python),
        "found": path is not None,
        "path": path,
        "version": version_of(path),
    }


def workspace_info(config: WorkspaceConfig, *, python: str, root: Path) -> dict[str, Any]:
    return {
        "version": __version__,
        "workspace": str(root.resolve()),
        "agent": selected_agent(config, python=python, root=root),
        "store": describe_store(root, config),
    }
