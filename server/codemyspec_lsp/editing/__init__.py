"""Editor help on design documents, as pure functions of the document text and its report.

Quick fixes, fix-all, hover, completion and the outline. Nothing here knows LSP: positions
and ranges are ``design.diagnostics`` ones, results are plain dataclasses, and
``lsp/editing.py`` turns them into protocol types.
"""
