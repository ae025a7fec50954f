"""CodeMySpec language server: AI context design sessions in the editor."""

__version__ = "0.1.0"
