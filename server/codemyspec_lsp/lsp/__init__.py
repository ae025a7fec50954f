"""The pygls adapter: the only part of the package that knows LSP."""
