"""Fixtures of the end-to-end server tests (the harness is in lsp_harness.py)."""

from lsp_harness import call_either_way, client_kind, open_client, workspace

__all__ = ["call_either_way", "client_kind", "open_client", "workspace"]
