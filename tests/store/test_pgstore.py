"""What only the PostgreSQL store has: its schema, texts stored once, NOTIFY, a database
that is down or restarts, and messages that never show a password."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from store_helpers import append_interaction, append_to_state, new_session, stamp_after

from codemyspec_lsp import protocol
from codemyspec_lsp.pgstore import PostgresSessionRepository
from codemyspec_lsp.pgstore.channel import Channel
from codemyspec_lsp.pgstore.schema import LATEST, ensure_schema
from codemyspec_lsp.session.errors import StoreUnavailable

PROMPT = "Write the design.\n" + "p" * 20_000
NOTIFIED_WITHIN_S = 1.0  # workspace.md: sessionChanged reaches every server within 1 second


def test_the_team_role_is_no_superuser(pg_cluster, pg_url) -> None:
    repo = PostgresSessionRepository(pg_url, "Probe")
    repo.create(new_session("s1"))  # creating the schema needs only CREATE on the database
    with pg_cluster.admin() as conn:
        row = conn.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = 'cms_team'")
        assert row.fetchone() == (False, False)


def test_large_texts_are_stored_once_by_content(pg_cluster, pg_project) -> None:
    url = pg_cluster.create_database()
    repo = PostgresSessionRepository(url, pg_project)
    for sid in ("a", "b"):
        repo.create(new_session(sid))
        repo.update(sid, append_interaction(PROMPT))  # in stdin and metadata.prompt: 4 uses
    with pg_cluster.admin(url.rsplit("/", 1)[1]) as conn:
        blobs = conn.execute("SELECT count(*), sum(length(body)) FROM codemyspec.blobs")
        assert blobs.fetchone() == (1, len(PROMPT))
        row = conn.execute("SELECT max(length(body)) FROM codemyspec.sessions").fetchone()
        assert row is not None and row[0] < 3_000  # the record names the text by its digest


def test_servers_starting_at_once_migrate_the_schema_once(pg_cluster, pg_project) -> None:
    url = pg_cluster.create_database()
    errors: list[BaseException] = []
    go = threading.Barrier(6)

    def start(n: int) -> None:
        try:
            channel = Channel(url)  # a server of its own: its own pool and connections
            go.wait()
            with channel.connection() as conn:
                conn.execute("SELECT 1")
            channel.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with pg_cluster.admin(url.rsplit("/", 1)[1]) as conn:
        versions = conn.execute("SELECT version FROM codemyspec.schema_version").fetchall()
        assert versions == [(v,) for v in range(1, LATEST + 1)]
        assert ensure_schema(conn, "here") == LATEST  # again: finds it done, changes nothing
        assert conn.execute("SELECT count(*) FROM codemyspec.schema_version").fetchone() == (
            LATEST,
        )


def test_a_schema_newer_than_the_server_is_refused(pg_cluster, pg_project) -> None:
    url = pg_cluster.create_database()
    PostgresSessionRepository(url, pg_project).list()
    with pg_cluster.admin(url.rsplit("/", 1)[1]) as conn:
        conn.execute("INSERT INTO codemyspec.schema_version VALUES (%s)", (LATEST + 1,))
    with pytest.raises(StoreUnavailable, match="upgrade codemyspec-lsp") as caught:
        Channel(url).connection().__enter__()
    assert f"schema version {LATEST + 1}" in caught.value.message


def test_an_unreachable_database_names_host_and_database_never_the_password() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://alice:s3cret-pw@127.0.0.1:{port}/teamdb"
    repo = PostgresSessionRepository(url, "Shop")
    with pytest.raises(StoreUnavailable) as caught:
        repo.list()
    error = caught.value
    assert error.code == protocol.STORE_UNAVAILABLE == -32005
    assert f"127.0.0.1:{port}/teamdb" in error.message
    assert "s3cret" not in error.message
    assert "PGPASSWORD" in error.message and "reconnects" in error.message


def test_the_store_comes_back_by_itself_after_a_database_restart(pg_cluster, pg_url, pg_project):
    repo = PostgresSessionRepository(pg_url, pg_project)
    heard = threading.Event()
    repo.listen(heard.set)
    repo.create(new_session("s1", state={"items": []}))
    acked = [repo.update("s1", append_to_state("items", f"a{k}")).state["items"] for k in range(3)]
    before = repo.stamp()

    pg_cluster.stop("immediate")  # a crash: no checkpoint, the WAL replays at start
    with pytest.raises(StoreUnavailable):
        repo.update("s1", append_to_state("items", "while-down"))
    pg_cluster.start()

    # Another server changes the session while this one's listener is still reconnecting.
    other = subprocess.run(
        [sys.executable, "-c", WRITE_ONE, pg_url, pg_project, "s1", "from-other"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    assert repo.get("s1").state["items"] == [*acked[-1], "from-other"]
    assert stamp_after(repo, before) > before  # heard of it, once the listener was back
    repo.update("s1", append_to_state("items", "after"))
    assert repo.get("s1").state["items"][-2:] == ["from-other", "after"]


WRITE_ONE = """
import sys
from codemyspec_lsp.pgstore import PostgresSessionRepository
url, project, session_id, item = sys.argv[1:5]
def change(session):
    session.state["items"] = [*session.state.get("items", []), item]
    return session
PostgresSessionRepository(url, project).update(session_id, change)
"""


def test_another_servers_change_is_heard_within_a_second(pg_url, pg_project) -> None:
    repo = PostgresSessionRepository(pg_url, pg_project)
    repo.create(new_session("s1", state={"items": []}))
    heard = threading.Event()
    repo.listen(heard.set)
    stamp = repo.stamp()
    assert repo._channel.listening.wait(10)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITE_ONE, pg_url, pg_project, "s1", "x"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.wait(60) == 0, writer.stderr.read() if writer.stderr else ""
    done = time.monotonic()
    assert heard.wait(NOTIFIED_WITHIN_S), "no NOTIFY heard within a second of the commit"
    print(f"heard {time.monotonic() - done:.3f} s after the writer exited")
    assert [s.id for s in repo.changed_since(stamp)] == ["s1"]
    assert repo.stamp() == stamp + 1


def test_prune_deletes_finished_sessions_and_the_texts_only_they_named(pg_url, pg_project):
    from datetime import datetime, timedelta, timezone

    repo = PostgresSessionRepository(pg_url, pg_project)
    old = datetime(2026, 1, 1, tzinfo=timezone.utc)
    shared = "a prompt two sessions share\n" + "s" * 4_000
    for sid, status, prompt in [
        ("done", "complete", shared),
        ("failed", "failed", "own prompt\n" + "f" * 4_000),
        ("working", "active", shared),
    ]:
        repo.create(new_session(sid, created_at=old, updated_at=old))
        repo.update(sid, append_interaction(prompt))
        repo.update(sid, lambda s, status=status: s.model_copy(update={"status": status}))
    working = repo.get("working")

    dry = repo.prune(["complete", "failed"], old + timedelta(days=1), dry_run=True)
    assert dry.sessions == ("done", "failed") and dry.blobs >= 1
    assert len(repo.list()) == 3
    real = repo.prune()
    assert (real.sessions, real.blobs, real.blob_bytes) == (dry.sessions, dry.blobs, dry.blob_bytes)
    assert [s.id for s in repo.list()] == ["working"]
    assert PostgresSessionRepository(pg_url, pg_project).get("working") == working
    assert repo.prune().sessions == ()
    # a later change still stores the texts it names, whatever the cache remembers
    repo.update("working", append_interaction("own prompt\n" + "f" * 4_000))
    assert PostgresSessionRepository(pg_url, pg_project).get("working").interactions[-1]


def test_the_store_is_chosen_by_config_or_environment_and_described_without_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from codemyspec_lsp.store import STORE_URL_ENV, TinyDBSessionRepository, open_repository
    from codemyspec_lsp.store.describe import describe_store

    monkeypatch.delenv(STORE_URL_ENV, raising=False)
    assert isinstance(open_repository(tmp_path), TinyDBSessionRepository)
    assert describe_store(tmp_path) == {
        "kind": "tinydb",
        "location": str(tmp_path.resolve() / ".codemyspec" / "sessions.json"),
    }
    (tmp_path / ".codemyspec").mkdir()
    (tmp_path / ".codemyspec" / "config.toml").write_text(
        '[project]\nname = "Shop"\n[store]\nurl = "postgresql://bob:pw123@db.internal/team"\n'
    )
    repo = open_repository(tmp_path)  # connects to nothing yet
    assert isinstance(repo, PostgresSessionRepository) and repo.project == "Shop"
    assert describe_store(tmp_path) == {"kind": "postgresql", "location": "db.internal/team"}

    monkeypatch.setenv(STORE_URL_ENV, "host=ci.internal port=6543 dbname=ci password=x")
    assert describe_store(tmp_path) == {"kind": "postgresql", "location": "ci.internal:6543/ci"}
