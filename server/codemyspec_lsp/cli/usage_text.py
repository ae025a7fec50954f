"""Usage in words: one agent step's ``result.data.usage`` and a session's total."""

from __future__ import annotations

from typing import Any

from codemyspec_lsp.agents.usage import summed
from codemyspec_lsp.session.models import Interaction, Session


def usage_of(interaction: Interaction) -> dict[str, Any] | None:
    result = interaction.result
    usage = (result.data or {}).get("usage") if result is not None else None
    return usage if isinstance(usage, dict) and usage else None


def describe_usage(usage: dict[str, Any]) -> str:
    """``2,000 tokens in, 900 out · $0.0123 · 4 turns · model m``; only what was reported."""
    parts = []
    tokens_in, tokens_out = usage.get("inputTokens"), usage.get("outputTokens")
    if isinstance(tokens_in, int | float) or isinstance(tokens_out, int | float):
        counts = []
        if isinstance(tokens_in, int | float):
            counts.append(f"{tokens_in:,.0f} tokens in")
        if isinstance(tokens_out, int | float):
            counts.append(f"{tokens_out:,.0f} out")
        parts.append(", ".join(counts))
    if isinstance(usage.get("costUsd"), int | float):
        parts.append(f"${usage['costUsd']:.4f}")
    if isinstance(usage.get("turns"), int | float):
        parts.append(f"{usage['turns']} turns")
    if isinstance(usage.get("model"), str):
        parts.append(f"model {usage['model']}")
    return " · ".join(parts)


def session_total(session: Session) -> str | None:
    """The session's usage summed over its agent steps, or None when none reported any."""
    usages = [u for u in (usage_of(i) for i in session.interactions) if u is not None]
    if not usages:
        return None
    total = describe_usage(summed(usages))
    return f"{total} over {len(usages)} agent step(s)" if total else None
