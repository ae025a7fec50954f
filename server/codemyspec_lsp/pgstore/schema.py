"""The store's tables, created and migrated by the server on first use.

Versioned (``codemyspec.schema_version`` holds the version reached), idempotent (a
database already at the latest version is only read), and safe when several servers
start at once: the migrations run in one transaction under a transaction-scoped
advisory lock, and the version is read again once the lock is held.

Tables (schema ``codemyspec``, so the role needs only CREATE on the database)::

    projects(project, seq)            the change counter of each project: every change
                                      takes the next value, in commit order (row lock)
    sessions(project, id, status, created_at, revision, changed_seq, summary, body)
                                      one row per session; summary and body are JSON
                                      (bytea: any text survives, no jsonb re-parse)
    blobs(digest, body)               large texts by SHA-256, stored once
"""

from __future__ import annotations

import psycopg

from codemyspec_lsp.session.errors import StoreUnavailable

SCHEMA = "codemyspec"
# pg_advisory_xact_lock key: "codemyspec" as a 64-bit number, shared by every server.
LOCK_KEY = 0x636F_6465_6D79_7370
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # version 1
        """CREATE TABLE codemyspec.projects (
               project text PRIMARY KEY,
               seq bigint NOT NULL DEFAULT 0)""",
        """CREATE TABLE codemyspec.sessions (
               project text NOT NULL,
               id text NOT NULL,
               status text NOT NULL,
               created_at text NOT NULL,
               revision integer NOT NULL,
               changed_seq bigint NOT NULL,
               summary bytea NOT NULL,
               body bytea NOT NULL,
               PRIMARY KEY (project, id))""",
        "CREATE INDEX sessions_changed ON codemyspec.sessions (project, changed_seq)",
        "CREATE INDEX sessions_created ON codemyspec.sessions (project, created_at, id)",
        """CREATE TABLE codemyspec.blobs (
               digest text PRIMARY KEY,
               body bytea NOT NULL)""",
    ),
)
LATEST = len(MIGRATIONS)


def current_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """The version the database is at (0 before the first migration); no lock taken."""
    # A query on the catalog, not to_regclass: that reads the cache, which an advisory lock
    # does not refresh, so it could miss a table another server has just created.
    row = conn.execute(
        "SELECT count(*) FROM pg_catalog.pg_tables "
        "WHERE schemaname = 'codemyspec' AND tablename = 'schema_version'"
    ).fetchone()
    if not row or not row[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM codemyspec.schema_version").fetchone()
    return int(str(row[0])) if row else 0


def ensure_schema(conn: psycopg.Connection[tuple[object, ...]], where: str) -> int:
    """Bring the database to ``LATEST``; returns the version found before."""
    with conn.transaction():
        found = current_version(conn)
    if found == LATEST:
        return found
    if found > LATEST:
        raise StoreUnavailable(
            f"The session database {where} has schema version {found}, newer than this "
            f"server knows ({LATEST}): upgrade codemyspec-lsp on this machine."
        )
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        found = current_version(conn)  # another server may have migrated meanwhile
        if found == 0:
            conn.execute("CREATE SCHEMA IF NOT EXISTS codemyspec")
            conn.execute("CREATE TABLE codemyspec.schema_version (version integer NOT NULL)")
        for version in range(found + 1, LATEST + 1):
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement.encode())
            conn.execute("INSERT INTO codemyspec.schema_version VALUES (%s)", (version,))
    return found
