"""The agent presets: for each CLI, the argv that edits files without asking, and its quirks.

Every argv is a template checked against the CLI's ``--help`` at the version pinned in
``tests/agents/real_clis.py`` (and run by the real-CLI test). Templates hold placeholders
filled element by element, never through a shell:

- ``{prompt}``: the whole prompt as one argv element (presets whose CLI does not read stdin);
- ``{agent_session}``: the agent's own conversation id (resume);
- the workspace placeholders (``{design_file}``, ``{branch}``, ``{context}``, ``{python}``).

An argv is ``head + extra + tail``: ``extra_args`` and the self-check options go between the
options (``head``) and the positional arguments (``tail``), so a CLI sees them as options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

PromptOn = Literal["stdin", "argument"]
# How the agent's conversation id becomes known: chosen by the server and passed in
# (``upfront``), or read from the agent's machine-readable output (``output``).
SessionIdFrom = Literal["upfront", "output"]
# The shape of what the agent prints on stdout (``usage.py`` parses it, ``render.py`` shows it).
OutputFormat = Literal[
    "text",
    "claude-stream-json",
    "codex-jsonl",
    "gemini-stream-json",
    "opencode-jsonl",
    "copilot-jsonl",
    "aider-text",
]
McpStyle = Literal["claude", "codex", "qwen", "copilot"]

PROMPT: Final = "{prompt}"
AGENT_SESSION: Final = "{agent_session}"
MCP_SERVER_NAME: Final = "codemyspec"
MCP_TOOLS: Final = ("validate_design", "list_contexts", "get_design", "stories_for", "rules_for")


@dataclass(frozen=True)
class ArgvTemplate:
    head: tuple[str, ...]
    tail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preset:
    name: str
    executable: str
    install: str  # how a person installs it, shown in the not_found reason
    generate: ArgvTemplate
    prompt_on: PromptOn
    output: OutputFormat
    # Options added to generate when resume is on and the id is chosen up front.
    new_session: tuple[str, ...] = ()
    # The argv that continues a conversation ({agent_session}); None: cannot resume.
    resume: ArgvTemplate | None = None
    session_id_from: SessionIdFrom | None = None
    # Whether the CLI takes MCP servers on its command line, and how.
    mcp: McpStyle | None = None
    mcp_note: str = ""  # where it cannot: what to do instead
    login: str = ""  # the fix for an auth failure, a clause after "run"/"set"
    auth_signatures: tuple[str, ...] = ()  # case-insensitive substrings of stdout+stderr
    usage_signatures: tuple[str, ...] = ()
    auth_exit_codes: tuple[int, ...] = ()
    usage_exit_codes: tuple[int, ...] = ()
    # What it says when it cannot continue a conversation (unknown id): not a usage error,
    # the next attempt starts afresh.
    resume_refused: tuple[str, ...] = ()

    @property
    def resumable(self) -> bool:
        return self.resume is not None and self.session_id_from is not None

    @property
    def reports_usage(self) -> bool:
        return self.output != "text"


CLAUDE_TOOLS: Final = "Read,Write,Edit,Glob,Grep"
CLAUDE_OPTIONS: Final = (
    "--permission-mode",
    "acceptEdits",
    "--allowedTools",
    CLAUDE_TOOLS,
    "--output-format",
    "stream-json",
    "--verbose",
)
COMMANDER_USAGE: Final = (
    "error: unknown option",
    "error: too many arguments",
    "error: option '",
    "error: missing required argument",
    "argument missing",
)
YARGS_USAGE: Final = (
    "unknown argument",
    "unknown arguments",
    "not enough arguments",
    "invalid values:",
)
CLAP_USAGE: Final = (
    "error: unexpected argument",
    "error: invalid value",
    "error: a value is required",
)


@dataclass(frozen=True)
class _Pair:
    generate: ArgvTemplate
    resume: ArgvTemplate


def _headless(executable: str, *approval: str) -> _Pair:
    """Gemini CLI and its fork qwen: headless with -p, stream-json, resume by id."""
    options = (*approval, "--output-format", "stream-json", "-p", "")
    return _Pair(
        ArgvTemplate((executable, *options)),
        ArgvTemplate((executable, "--resume", AGENT_SESSION, *options)),
    )


# gemini drops auto_edit to "default" (asking) in a folder it does not trust: --skip-trust.
GEMINI: Final = _headless("gemini", "--skip-trust", "--approval-mode", "auto_edit")
QWEN: Final = _headless("qwen", "--approval-mode", "auto-edit")

PRESETS: Final[dict[str, Preset]] = {
    p.name: p
    for p in (
        Preset(
            name="claude",
            executable="claude",
            install="npm install -g @anthropic-ai/claude-code",
            generate=ArgvTemplate(("claude", "-p", *CLAUDE_OPTIONS)),
            prompt_on="stdin",
            output="claude-stream-json",
            new_session=("--session-id", AGENT_SESSION),
            resume=ArgvTemplate(("claude", "-p", "--resume", AGENT_SESSION, *CLAUDE_OPTIONS)),
            session_id_from="upfront",
            mcp="claude",
            login="run `claude` once in a terminal and log in (or set ANTHROPIC_API_KEY)",
            auth_signatures=(
                "not logged in",
                "please run /login",
                "invalid api key",
                "authentication_error",
                "oauth token has expired",
            ),
            usage_signatures=(
                *COMMANDER_USAGE,
                "invalid mcp configuration",
                "requires --verbose",
                "invalid session id",
            ),
            resume_refused=("no conversation found with session id",),
        ),
        Preset(
            name="codex",
            executable="codex",
            install="npm install -g @openai/codex",
            generate=ArgvTemplate(
                (
                    "codex",
                    "exec",
                    "--sandbox",
                    "workspace-write",
                    "--skip-git-repo-check",
                    "--json",
                ),
                ("-",),
            ),
            prompt_on="stdin",
            output="codex-jsonl",
            # `exec resume` has no --sandbox: the same policy as a config override.
            resume=ArgvTemplate(
                (
                    "codex",
                    "exec",
                    "resume",
                    "-c",
                    'sandbox_mode="workspace-write"',
                    "--skip-git-repo-check",
                    "--json",
                ),
                (AGENT_SESSION, "-"),
            ),
            session_id_from="output",
            mcp="codex",
            login="run `codex login` once in a terminal (or set OPENAI_API_KEY)",
            auth_signatures=(
                "not logged in",
                "codex login",
                "401 unauthorized",
                "missing bearer",
                "invalid_api_key",
            ),
            usage_signatures=(*CLAP_USAGE, "for more information, try '--help'"),
            usage_exit_codes=(2,),
            resume_refused=("no rollout found for thread id", "thread/resume failed"),
        ),
        Preset(
            name="gemini",
            executable="gemini",
            install="npm install -g @google/gemini-cli",
            # -p makes it headless; its value is appended to the prompt read from stdin.
            generate=GEMINI.generate,
            prompt_on="stdin",
            output="gemini-stream-json",
            new_session=("--session-id", AGENT_SESSION),
            resume=GEMINI.resume,
            session_id_from="upfront",
            mcp_note="gemini reads MCP servers only from settings.json: add codemyspec-mcp there",
            login="run `gemini` once in a terminal and sign in (or set GEMINI_API_KEY)",
            auth_signatures=(
                "please set an auth method",
                "gemini_api_key environment variable",
                "must specify the gemini_api_key",
            ),
            usage_signatures=YARGS_USAGE,
            auth_exit_codes=(41,),
            usage_exit_codes=(42,),
            resume_refused=("error resuming session", "no previous sessions found"),
        ),
        Preset(
            name="opencode",
            executable="opencode",
            install="npm install -g opencode-ai",
            generate=ArgvTemplate(("opencode", "run", "--format", "json", "--auto"), (PROMPT,)),
            prompt_on="argument",
            output="opencode-jsonl",
            resume=ArgvTemplate(
                ("opencode", "run", "--format", "json", "--auto", "--session", AGENT_SESSION),
                (PROMPT,),
            ),
            session_id_from="output",
            mcp_note="opencode reads MCP servers only from opencode.json: add codemyspec-mcp there",
            login="run `opencode auth login` once in a terminal",
            auth_signatures=("providerautherror", "opencode auth login"),
            usage_signatures=YARGS_USAGE,
            resume_refused=("session not found",),
        ),
        Preset(
            name="qwen",
            executable="qwen",
            install="npm install -g @qwen-code/qwen-code",
            generate=QWEN.generate,
            prompt_on="stdin",
            output="claude-stream-json",  # qwen's stream-json follows Claude Code's messages
            new_session=("--session-id", AGENT_SESSION),
            resume=QWEN.resume,
            session_id_from="upfront",
            mcp="qwen",
            login="run `qwen` once in a terminal and choose an auth type (or set OPENAI_API_KEY)",
            auth_signatures=("no auth type is selected", "configure an auth type"),
            usage_signatures=YARGS_USAGE,
            resume_refused=("no saved session found with id",),
        ),
        Preset(
            name="copilot",
            executable="copilot",
            install="npm install -g @github/copilot",
            generate=ArgvTemplate(
                ("copilot", "--allow-all-tools", "--no-ask-user", "--output-format", "json"),
                ("-p", PROMPT),
            ),
            prompt_on="argument",
            output="copilot-jsonl",
            new_session=("--session-id", AGENT_SESSION),
            resume=ArgvTemplate(
                (
                    "copilot",
                    "--resume",
                    AGENT_SESSION,
                    "--allow-all-tools",
                    "--no-ask-user",
                    "--output-format",
                    "json",
                ),
                ("-p", PROMPT),
            ),
            session_id_from="upfront",
            mcp="copilot",
            login="run `copilot` and /login once in a terminal (or set GH_TOKEN)",
            auth_signatures=("no authentication information found", "gh auth login"),
            usage_signatures=(*COMMANDER_USAGE, "invalid command format"),
            resume_refused=("no session, task, or name matched",),
        ),
        Preset(
            name="aider",
            executable="aider",
            install="python -m pip install aider-chat (or: pipx install aider-chat)",
            generate=ArgvTemplate(
                (
                    "aider",
                    "--yes-always",
                    "--no-auto-commits",
                    "--no-check-update",
                    "--no-show-release-notes",
                    "--analytics-disable",
                    "--no-pretty",
                    "--no-stream",
                ),
                ("--message", PROMPT, "{design_file}"),
            ),
            prompt_on="argument",
            output="aider-text",
            mcp_note="aider has no MCP client",
            login="set an API key for its model (e.g. ANTHROPIC_API_KEY or OPENAI_API_KEY)",
            auth_signatures=("authenticationerror", "no api key", "no llm model was specified"),
            usage_signatures=("error: unrecognized arguments", "error: argument", "usage: aider"),
        ),
    )
}
PRESET_NAMES: Final = tuple(PRESETS)
DEFAULT_PRESET: Final = "claude"
CUSTOM: Final = "custom"  # the agent name when `agent.command` replaces the preset
