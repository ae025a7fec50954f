"""What a store URL may show of itself: host and database, never a password.

Every message that leaves this package goes through :func:`scrub`, because libpq and
psycopg quote the connection string in some of their errors.
"""

from __future__ import annotations

import getpass
import os
import re

import psycopg
from psycopg.conninfo import conninfo_to_dict

# user:password@ in a URL, password=... in a key/value connection string
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*):[^@\s]*@")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)

INVALID = "an invalid store URL"
FIX = (
    "Start the database or correct [store] url in .codemyspec/config.toml (or "
    "CODEMYSPEC_STORE_URL); the password comes from PGPASSWORD, ~/.pgpass or a service file. "
    "Editing and validation keep working meanwhile, and the server reconnects on its own."
)


def scrub(text: str, url: str = "") -> str:
    """``text`` with every password it might quote replaced by ``***``."""
    text = _KV_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", text))
    try:
        password = conninfo_to_dict(url).get("password") if url else None
    except psycopg.Error:
        password = None
    if password:
        text = text.replace(str(password), "***")
    return text


def location(url: str) -> str:
    """``host/dbname`` (``host:port/dbname`` when a port is named) as libpq would resolve it."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        return INVALID
    if "service" in params and "host" not in params and "dbname" not in params:
        return f"service {params['service']}"
    host = str(params.get("host") or os.environ.get("PGHOST") or "localhost")
    port = str(params.get("port") or "").strip(",")
    user = str(params.get("user") or os.environ.get("PGUSER") or _login())
    dbname = str(params.get("dbname") or os.environ.get("PGDATABASE") or user)
    return f"{host}:{port}/{dbname}" if port else f"{host}/{dbname}"


def unreachable(url: str, reason: str) -> str:
    """The -32005 message for a database that cannot be reached, with its fix."""
    first = scrub(reason, url).strip().splitlines()
    cause = first[0].rstrip(".") if first else "no answer"
    where = location(url)
    if where == INVALID:
        return f"The session store URL is not a valid PostgreSQL connection string ({cause}). {FIX}"
    return f"The session database {where} cannot be reached ({cause}). {FIX}"


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "postgres"
