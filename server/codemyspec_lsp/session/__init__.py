"""Design sessions: wire models, the stateless orchestrator and its steps (no LSP here)."""
