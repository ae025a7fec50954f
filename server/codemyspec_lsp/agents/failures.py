"""Why an agent run failed: ``not_found``, ``auth``, ``usage``, ``timeout`` or ``exit``.

A failed agent result is classified from its exit code, its error message and its output,
by the preset's known signatures, into ``result.data.failure``:

    {"kind": "auth", "message": "<one sentence: the cause and the fix>"}

``not_found``, ``auth`` and ``usage`` cannot get better by running the same command again:
they fail the session at once, ``message`` becoming ``state.outcome.reason``. ``timeout``
and ``exit`` are retried like any failed step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from codemyspec_lsp.agents.presets import CUSTOM, PRESETS, Preset
from codemyspec_lsp.agents.render import LiveRenderer

FailureKind = Literal["not_found", "auth", "usage", "timeout", "exit"]
FATAL: Final[tuple[FailureKind, ...]] = ("not_found", "auth", "usage")
NOT_FOUND_CODE: Final = 127  # what shells and clients report for a command that cannot start
SPAWN_ERRORS: Final = ("enoent", "no such file or directory", "cannot start", "not found")
TIMEOUT_WORDS: Final = ("timed out", "timeout")
MAX_DETAIL = 160


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    message: str

    @property
    def fatal(self) -> bool:
        return self.kind in FATAL

    def dump(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def failure_of(data: dict[str, Any] | None) -> Failure | None:
    """The failure stored in a result's ``data`` (None when absent or malformed)."""
    raw = (data or {}).get("failure")
    if not isinstance(raw, dict):
        return None
    kind, message = raw.get("kind"), raw.get("message")
    if kind not in ("not_found", "auth", "usage", "timeout", "exit") or not isinstance(
        message, str
    ):
        return None
    return Failure(kind, message)


def classify(
    agent: str,
    executable: str,
    *,
    code: int | None,
    stdout: str,
    stderr: str,
    error_message: str,
) -> Failure:
    """The failure of one agent run (its result had status ``error``)."""
    preset = PRESETS.get(agent) if agent != CUSTOM else _preset_by_executable(executable)
    name = preset.name if preset is not None else executable
    lowered_error = error_message.lower()
    if "argument list too long" in lowered_error:  # E2BIG: a prompt passed as an argument
        return Failure(
            "usage",
            f"the prompt is too long for {name} to take as a command-line argument: choose "
            "an agent that reads it from stdin (see `codemyspec agents`), then resume the session",
        )
    if code == NOT_FOUND_CODE or (code is None and _any(lowered_error, SPAWN_ERRORS)):
        install = f"install it with `{preset.install}`" if preset else "install it"
        return Failure(
            "not_found",
            f"{executable} is not installed or not on PATH: {install} (or choose another "
            "agent, see `codemyspec agents`), then resume the session",
        )
    text = f"{stdout}\n{stderr}"
    lowered = text.lower()
    if preset is not None:
        if _any(lowered, preset.resume_refused):
            detail = _first_line(text, preset.resume_refused)
            return Failure(
                "exit", f"{name} could not continue its conversation ({detail}); retrying afresh"
            )
        if code in preset.auth_exit_codes or _any(lowered, preset.auth_signatures):
            return Failure(
                "auth",
                f"{name} is not logged in or its key was refused: {preset.login}, "
                "then resume the session",
            )
        if code in preset.usage_exit_codes or _any(lowered, preset.usage_signatures):
            detail = _first_line(text, preset.usage_signatures) or f"exit code {code}"
            return Failure(
                "usage",
                f"{name} rejected its arguments ({detail}): update {name} or correct "
                "[agent] extra_args in .codemyspec/config.toml, then resume the session",
            )
    if _any(lowered_error, TIMEOUT_WORDS):
        return Failure(
            "timeout", f"{name} ran past its time limit and was stopped ({error_message})"
        )
    shown = _readable(stdout, preset.output if preset is not None else "text")
    detail = _last_line(stderr) or _last_line(shown) or error_message or f"exit code {code}"
    return Failure("exit", f"{name} failed: {detail}")


def _readable(stdout: str, output: str) -> str:
    """The output as a person reads it (machine-readable events rendered as text)."""
    renderer = LiveRenderer(output)
    lines = [shown for line in stdout.splitlines() for shown in renderer.feed(line)]
    return "\n".join([*lines, *renderer.finish()])


def _preset_by_executable(executable: str) -> Preset | None:
    base = re.split(r"[\\/]", executable)[-1].removesuffix(".exe").removesuffix(".cmd")
    return next((p for p in PRESETS.values() if p.executable == base), None)


def _any(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def _first_line(text: str, needles: tuple[str, ...]) -> str | None:
    for line in text.splitlines():
        if _any(line.lower(), needles):
            return _short(line)
    return None


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return _short(lines[-1]) if lines else None


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _short(line: str) -> str:
    line = " ".join(ANSI.sub("", line).split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"
