"""Coding-agent CLIs: presets, argv building, failure classification, usage, live rendering.

Plain Python (no pygls): the session steps, the CLI and the language server adapter all
use it. ``docs/agents.md`` describes the presets, the failure shape and the rendering rule.
"""
