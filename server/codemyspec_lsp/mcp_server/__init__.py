"""``codemyspec-mcp``: the CodeMySpec MCP server that lets an agent check its own design.

``tools`` answers the five tools of agents.md ("Self-check") from the workspace, with no
MCP in it; ``server`` puts them on the official SDK; ``main`` is the command line.
"""
