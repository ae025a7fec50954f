"""The session store on PostgreSQL (psycopg 3 and its pool), for teams.

Imported only when a workspace names a database (``[store] url`` or
``CODEMYSPEC_STORE_URL``); the core never imports it.
"""

from __future__ import annotations

from codemyspec_lsp.pgstore.conninfo import location
from codemyspec_lsp.pgstore.repository import PostgresSessionRepository

__all__ = ["PostgresSessionRepository", "location"]
