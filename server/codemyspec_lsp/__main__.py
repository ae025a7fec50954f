"""`python -m codemyspec_lsp`: the language server, as `codemyspec-lsp`."""

from codemyspec_lsp.lsp.main import main

raise SystemExit(main())
