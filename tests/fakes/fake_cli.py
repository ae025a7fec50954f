"""A fake agent CLI that records how it was called: installed under a preset's name.

``install_fake(bin_dir, "claude")`` writes an executable ``bin_dir/claude`` running this file.
What it does depends on its name and on ``FAKE_CLI_MODE``:

- ``--version``: prints ``<name> 9.8.7``;
- otherwise it appends ``{"argv": [...], "stdin": "..."}`` to ``$FAKE_CLI_LOG`` (JSONL), writes
  the design file like ``fake_agent.py`` (flawed on generate, valid on revise), and prints
  its preset's machine-readable output (claude stream-json, codex JSONL events) with the
  conversation id it was given (``--session-id``/``--resume``) or ``thread-1`` (codex);
- ``FAKE_CLI_MODE=auth``: prints Claude Code's "Not logged in" and exits 1;
- ``FAKE_CLI_MODE=refuse-resume``: a resumed run prints "No conversation found" and exits 1;
- ``FAKE_CLI_MODE=usage``: prints commander's "unknown option" error and exits 1;
- ``FAKE_CLI_MODE=crash``: prints "Segmentation fault" and exits 139.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

HERE = Path(__file__).resolve()


def install_fake(bin_dir: Path, name: str) -> Path:
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / name
    body = HERE.read_text(encoding="utf-8").replace("from __future__ import annotations\n", "")
    head = f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(HERE.parent)!r})\n"
    path.write_text(head + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _value_after(argv: list[str], flag: str) -> str | None:
    return argv[argv.index(flag) + 1] if flag in argv[:-1] else None


def _write_design() -> None:
    from fake_agent import DESIGNS  # the fakes folder is on sys.path (install_fake)

    target = Path(os.environ["CODEMYSPEC_DESIGN_FILE"])
    target.parent.mkdir(parents=True, exist_ok=True)
    module = os.environ.get("CODEMYSPEC_CONTEXT_MODULE", "Shop.Accounts")
    text = DESIGNS[os.environ["CODEMYSPEC_STEP"]]
    target.write_text(text.format(name=module.split(".")[-1], module=module), encoding="utf-8")


def main() -> int:
    name = Path(sys.argv[0]).name
    argv = [name, *sys.argv[1:]]
    if "--version" in argv:
        print(f"{name} 9.8.7")
        return 0
    stdin = sys.stdin.read()
    log = os.environ.get("FAKE_CLI_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps({"argv": argv, "stdin": stdin}) + "\n")
    mode = os.environ.get("FAKE_CLI_MODE", "")
    codex_resume = argv[1:3] == ["exec", "resume"]
    resumed = _value_after(argv, "--resume") or (argv[-2] if codex_resume else None)
    if mode == "auth":
        print("Not logged in · Please run /login")
        return 1
    if mode == "usage":
        print("error: unknown option '--bogus'", file=sys.stderr)
        return 1
    if mode == "crash":
        print("Segmentation fault", file=sys.stderr)
        return 139
    if mode == "refuse-resume" and resumed:
        print(f"No conversation found with session ID: {resumed}", file=sys.stderr)
        return 1
    _write_design()
    if name == "codex":
        thread = resumed or "thread-1"
        for event in (
            {"type": "thread.started", "thread_id": thread},
            {"type": "item.completed", "item": {"type": "agent_message", "text": "Wrote it."}},
            {"type": "turn.completed", "usage": {"input_tokens": 100, "output_tokens": 20}},
        ):
            print(json.dumps(event))
        return 0
    session = resumed or _value_after(argv, "--session-id") or "no-id"
    for event in (
        {"type": "system", "subtype": "init", "session_id": session, "model": "fake-model"},
        {"type": "assistant", "message": {"content": [{"type": "text", "text": "Wrote it."}]}},
        {
            "type": "result",
            "subtype": "success",
            "session_id": session,
            "num_turns": 2,
            "total_cost_usd": 0.25,
            "usage": {"input_tokens": 1000, "output_tokens": 200},
        },
    ):
        print(json.dumps(event))
    return 0


if __name__ == "__main__":
    sys.exit(main())
