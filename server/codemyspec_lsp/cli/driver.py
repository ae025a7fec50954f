"""The terminal driver: a whole design session through a real server over stdio.

Loop: ``nextStep`` -> (ask) -> run the command -> ``reportResult``, until ``done``.
Exit status: 0 the session succeeded; 1 it failed or was cancelled, or a command was
declined (the session stays resumable); 2 usage errors (unknown session, bad workspace);
130 interrupted by Ctrl-C (the running command was stopped and reported as an error,
the session stays resumable with ``codemyspec run --session ID``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types

from codemyspec_lsp import protocol
from codemyspec_lsp.agents.render import LiveRenderer
from codemyspec_lsp.cli.agent_check import check_agent
from codemyspec_lsp.cli.command_runner import run_command
from codemyspec_lsp.cli.confirm import LineReader, is_yes
from codemyspec_lsp.cli.display import Display, format_elapsed
from codemyspec_lsp.cli.server_client import ServerClient, ServerError
from codemyspec_lsp.cli.usage_text import describe_usage, session_total, usage_of
from codemyspec_lsp.session.models import (
    Command,
    CommandStep,
    DoneStep,
    Interaction,
    Result,
    ResultInput,
    Session,
)
from codemyspec_lsp.workspace.config import AGENT_ENV

EXIT_SUCCESS = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a Ctrl-C

# Steps still to come on the happy path, counting the given one: the progress estimate.
REMAINING_STEPS: dict[str, int] = {
    "initialize": 4,
    "generate_context_design": 3,
    "validate_design": 2,
    "revise_design": 3,
    "finalize": 1,
}
SEVERITY_NAMES = {1: "error", 2: "warning", 3: "information", 4: "hint"}
SERVER_LINE = re.compile(r"^(\d+):(\d+) (\S+) (.*)$")
USAGE_CODES = (protocol.SESSION_NOT_FOUND, protocol.INVALID_PARAMS)


@dataclass(frozen=True)
class RunOptions:
    workspace: Path
    context: str | None = None
    description: str | None = None
    session_id: str | None = None
    assume_yes: bool = False
    agent: str | None = None  # a preset for this run instead of the config's (--agent)


class Interrupted(Exception):
    """Ctrl-C while no command was running."""


def display_path(path: Path) -> str:
    """Relative to the current directory when inside it, so editors and terminals link it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def diagnostic_line(path: Path, diagnostic: types.Diagnostic) -> str:
    start = diagnostic.range.start
    severity = SEVERITY_NAMES.get(int(diagnostic.severity or 1), "error")
    code = f" {diagnostic.code}" if diagnostic.code is not None else ""
    return (
        f"{display_path(path)}:{start.line + 1}:{start.character + 1}: "
        f"{severity}{code} {diagnostic.message}"
    )


def message_lines(path: Path, result: Result) -> list[str]:
    """The validation's own ``line:col CODE message`` lines (1-based), as diagnostic lines.

    Used when the server pushed no diagnostics for the file: the result carries the same
    facts (``data.errors``/``data.warnings``, or the ``errorMessage``).
    """
    data = result.data or {}
    by_severity: list[tuple[str, list[str]]] = [
        ("error", list(data.get("errors") or (result.error_message or "").splitlines())),
        ("warning", list(data.get("warnings") or [])),
    ]
    lines = []
    for severity, messages in by_severity:
        for message in messages:
            if not str(message).strip():
                continue
            match = SERVER_LINE.match(str(message))
            if match is None:
                lines.append(f"{display_path(path)}: {severity} {message}")
            else:
                line, col, code, text = match.groups()
                lines.append(f"{display_path(path)}:{line}:{col}: {severity} {code} {text}")
    return lines


class Driver:
    def __init__(
        self,
        options: RunOptions,
        display: Display,
        answers: LineReader,
    ) -> None:
        self.options = options
        self.display = display
        self.answers = answers
        self.server = ServerClient(options.workspace, on_message=self._server_message)
        self.interrupted = asyncio.Event()
        self.session: Session | None = None

    def _server_message(self, message: str) -> None:
        self.display.line(f"server: {message}")

    # -- entry -------------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, self.interrupted.set)
        try:
            choice = await check_agent(
                self.options.workspace,
                self.options.agent,
                self.display,
                self.answers,
                assume_yes=self.options.assume_yes,
            )
            if not choice.proceed:
                return EXIT_USAGE
            if choice.preset is not None:
                os.environ[AGENT_ENV] = choice.preset  # the server reads it with the config
            await self.server.start()
            self.display.start_ticker()
            return await self._drive()
        except ServerError as error:
            self.display.line(f"error: {error.message}")
            return EXIT_USAGE if error.code in USAGE_CODES else EXIT_FAILED
        except Interrupted:
            self.display.line("interrupted")
            self._say_resumable()
            return EXIT_INTERRUPTED
        finally:
            await self.display.stop_ticker()
            await self.server.stop()
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGINT)

    async def _drive(self) -> int:
        session = await self._open_session()
        self.display.line(
            f"session {session.id}: context {session.context.module}, "
            f"design {session.context.design_file}"
        )
        while True:
            self._check_interrupt()
            step = await self._next_step(session.id)
            if isinstance(step, DoneStep):
                return self._finish(step)
            self._show_progress(step)
            result = await self._execute(step.command)
            if result is None:
                self.display.line("not run: declined")
                self._say_resumable()
                return EXIT_FAILED
            outcome, interrupted = result
            session = await self._report(step, outcome)
            if interrupted:
                self.display.line("interrupted: the command was stopped and reported as an error")
                self._say_resumable()
                return EXIT_INTERRUPTED

    # -- the protocol ------------------------------------------------------------------------

    async def _open_session(self) -> Session:
        if self.options.session_id is not None:
            raw = await self.server.call(
                protocol.GET_SESSION, {"sessionId": self.options.session_id}
            )
        else:
            params: dict[str, Any] = {
                "context": self.options.context,
                "environment": "cli",
                "executionMode": "auto" if self.options.assume_yes else "manual",
                "workspaceUri": self.options.workspace.as_uri(),
            }
            if self.options.description:
                params["description"] = self.options.description
            raw = await self.server.call(protocol.START_SESSION, params)
        self.session = Session.model_validate(raw)
        return self.session

    async def _next_step(self, session_id: str) -> CommandStep | DoneStep:
        raw = await self.server.call(protocol.NEXT_STEP, {"sessionId": session_id})
        if raw.get("kind") == "done":
            return DoneStep.model_validate(raw)
        return CommandStep.model_validate(raw)

    async def _report(self, step: CommandStep, result: ResultInput) -> Session:
        raw = await self.server.call(
            protocol.REPORT_RESULT,
            {
                "sessionId": step.session_id,
                "interactionId": step.interaction_id,
                "result": result.dump(exclude_none=True),
            },
        )
        self.session = Session.model_validate(raw)
        self._show_result(self.session, step)
        return self.session

    # -- one command -------------------------------------------------------------------------

    async def _execute(self, command: Command) -> tuple[ResultInput, bool] | None:
        """Run the command (after asking); None when the person declines."""
        self.display.line(f"» {command.step}: {command.description}")
        if command.kind == "noop":
            return ResultInput(status="ok", duration_ms=0), False
        self.display.line(f"  {command.kind}: {shlex.join(command.argv)}  (in {command.cwd})")
        if not await self._confirm():
            return None
        # An agent's machine-readable output is shown as text (agents/render.py).
        renderer = LiveRenderer(command.metadata.get("output")) if command.kind == "agent" else None

        def on_line(stream: str, text: str) -> None:
            shown = renderer.feed(text) if renderer is not None and stream == "stdout" else [text]
            for line in shown:
                self.display.output(line, stream=stream)

        outcome = await run_command(command, on_line, self.interrupted)
        for line in renderer.finish() if renderer is not None else []:
            self.display.output(line)
        return outcome.result, outcome.interrupted

    async def _confirm(self) -> bool:
        session = self.session
        if self.options.assume_yes or (session is not None and session.execution_mode == "auto"):
            return True
        self.display.prompt("  run this command? [y/N] ")
        reading = asyncio.ensure_future(self.answers.read_line())
        interrupt = asyncio.ensure_future(self.interrupted.wait())
        await asyncio.wait({reading, interrupt}, return_when=asyncio.FIRST_COMPLETED)
        interrupt.cancel()
        if self.interrupted.is_set():  # Ctrl-C wins over an answer that came with it
            reading.cancel()
            self.display.resume()
            self.display.line("")
            raise Interrupted
        answer = reading.result()
        if answer is None:
            self.display.line("(end of input)")
        elif not self.display.tty:
            self.display.line(answer)  # echo piped answers so the log reads as a dialogue
        self.display.resume()
        return is_yes(answer)

    # -- what the person sees ----------------------------------------------------------------

    def _show_progress(self, step: CommandStep) -> None:
        done = sum(1 for i in self.session.interactions if i.completed) if self.session else 0
        expected = done + REMAINING_STEPS.get(step.step, 1)
        self.display.progress(done + 1, expected, step.step)

    def _show_result(self, session: Session, step: CommandStep) -> None:
        interaction = next((i for i in session.interactions if i.id == step.interaction_id), None)
        if interaction is None or interaction.result is None:
            return
        result = interaction.result
        mark = {"ok": "✓", "warning": "!", "error": "✗"}[result.status]
        duration = f" in {result.duration_ms / 1000:.1f} s" if result.duration_ms else ""
        self.display.line(f"  {mark} {step.step}: {result.status}{duration}")
        usage = usage_of(interaction)
        if usage is not None and describe_usage(usage):
            self.display.line(f"    usage: {describe_usage(usage)}")
        if step.step == "validate_design":
            self._show_diagnostics(session, interaction)
            return
        failure = (result.data or {}).get("failure")
        if result.status == "error" and isinstance(failure, dict) and failure.get("message"):
            self.display.line(f"    {failure['message']}")
        elif result.status == "error" and result.error_message:
            for line in result.error_message.splitlines():
                self.display.line(f"    {line}")
        if result.status == "error" and session.status == "active":
            self.display.line(f"    next: {step.step} is tried again")

    def _show_diagnostics(self, session: Session, interaction: Interaction) -> None:
        result = interaction.result
        if result is None or result.status == "ok":
            return
        path = self.options.workspace / session.context.design_file
        pushed = self.server.diagnostics_for(path)
        if pushed:
            lines = [diagnostic_line(path, d) for d in pushed]
        else:  # a server that did not push: its error message has the same facts
            lines = message_lines(path, result)
        for line in lines:
            self.display.line(f"    {line}")
        errors = sum(1 for line in lines if ": error" in line)
        design = display_path(path)
        if session.status == "active":
            then = "next: the agent is asked to fix them (revise_design)"
        else:
            then = "no revision is left"
        if result.status == "error":
            self.display.line(f"  validation failed: {errors} error(s) in {design}; {then}")

    def _finish(self, step: DoneStep) -> int:
        elapsed = format_elapsed(time.monotonic() - self.display.started)
        session = self.session
        design = (
            display_path(self.options.workspace / session.context.design_file) if session else "?"
        )
        self.display.clear_progress()
        self.display.line(f"session {step.session_id} finished: {step.status} ({elapsed})")
        total = session_total(session) if session is not None else None
        if total:
            self.display.line(f"usage: {total}")
        outcome = session.state.get("outcome") if session is not None else None
        reason = outcome.get("reason") if isinstance(outcome, dict) else None
        if step.status != "success" and reason:
            self.display.line(f"reason: {reason}")
        if step.status == "success":
            self.display.line(f"design: {design}")
            return EXIT_SUCCESS
        return EXIT_FAILED

    def _say_resumable(self) -> None:
        if self.session is not None:
            self.display.line(
                "the session is left as it stood; resume it with: "
                f"codemyspec run --workspace {shlex.quote(str(self.options.workspace))} "
                f"--session {self.session.id}"
            )

    def _check_interrupt(self) -> None:
        if self.interrupted.is_set():
            raise Interrupted


async def drive(options: RunOptions, display: Display, answers: LineReader) -> int:
    return await Driver(options, display, answers).run()


def run_session(options: RunOptions, display: Display | None = None) -> int:
    """Synchronous entry for the subcommands."""
    if not options.workspace.is_dir():
        print(f"error: workspace {options.workspace} is not a directory")
        return EXIT_USAGE
    shown = display if display is not None else Display()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")  # agents written in Python stream output
    return asyncio.run(drive(options, shown, LineReader()))
