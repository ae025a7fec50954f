"""Context design documents: parsing (markdown-it-py) and validation (pydantic), no LSP here."""
