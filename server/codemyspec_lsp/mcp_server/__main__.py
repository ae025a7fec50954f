"""``python -m codemyspec_lsp.mcp_server``: the same as ``codemyspec-mcp``."""

import sys

from codemyspec_lsp.mcp_server.main import main

sys.exit(main())
