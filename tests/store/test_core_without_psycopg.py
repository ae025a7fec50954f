"""The core runs without PostgreSQL: importing it never loads psycopg (pgstore is lazy)."""

from __future__ import annotations

import subprocess
import sys

CORE = ("design", "session", "workspace", "editing", "architecture", "agents", "store")

PROBE = """
import importlib, pkgutil, sys
import codemyspec_lsp
for package in {core!r}:
    root = importlib.import_module("codemyspec_lsp." + package)
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("psycopg", "psycopg_pool"))
loaded += sorted(m for m in sys.modules if m == "codemyspec_lsp.pgstore")
print(",".join(loaded))
"""


def test_importing_every_core_module_leaves_psycopg_unloaded() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(core=CORE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""
