"""The `codemyspec` command line: validate, run, sessions, show, demo."""
