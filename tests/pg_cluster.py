"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a free
port on 127.0.0.1, run as an unprivileged user (PostgreSQL refuses root), stopped and
removed at the end.

The binaries come from ``pg_config --bindir`` (Debian: /usr/lib/postgresql/<v>/bin) or
PATH; when they are missing and we are root, ``apt-get install postgresql`` brings them.
The tests use a role with nothing but CREATE on its database, as a team's would be.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from codemyspec_lsp.pgstore.channel import close_all

ADMIN = "cms_admin"
ROLE = "cms_team"
DATABASE = "codemyspec"
OS_USER = "codemyspec-pg"


def _bindir() -> Path | None:
    candidates = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def find_or_install_bindir() -> Path:
    bindir = _bindir()
    if bindir is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "postgresql"],
            check=True,
            env=env,
            capture_output=True,
        )
        bindir = _bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb): apt-get install postgresql")
    return bindir


def _server_user() -> str | None:
    """The OS user the server runs as; None when we are not root (then: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", OS_USER):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER],
        check=True,
    )
    return OS_USER


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    user: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = DATABASE, role: str = ROLE) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str) -> None:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")

    def init(self, durable: bool = False) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            ADMIN,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": "300",
            # A throwaway cluster for tests: restarts (not OS crashes) keep everything.
            # Benchmarks ask for a durable one, so the figures are a real server's.
            "fsync": "on" if durable else "off",
            "full_page_writes": "on" if durable else "off",
            "shared_buffers": "32MB",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(database, ADMIN), autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        """A new database the team role may create schemas in; its URL."""
        name = name or f"cms_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(f'GRANT CREATE ON DATABASE "{name}" TO {ROLE}')
        return self.url(name)


@contextlib.contextmanager
def running_cluster(durable: bool = False) -> Iterator[Cluster]:
    bindir = find_or_install_bindir()
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="codemyspec-pg-"))
    if user is not None:
        shutil.chown(folder, user)
    cluster = Cluster(bindir, folder, _free_port(), user)
    try:
        cluster.init(durable)
        for attempt in range(3):  # the free port may be taken before the cluster binds it
            try:
                cluster.start()
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                cluster.port = _free_port()
                with (cluster.data / "postgresql.conf").open("a") as conf:
                    conf.write(f"port = {cluster.port}\n")  # the last setting wins
        with cluster.admin() as conn:
            conn.execute(f"CREATE ROLE {ROLE} LOGIN")
        cluster.create_database(DATABASE)
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def store_toml_for(url: str, project: str) -> str:
    """The `[store]` table naming the database and a project (sessions are keyed by it)."""
    return f'\n[store]\nurl = "{url}"\nproject = "{project}"\n'


def database_snapshot(url: str, project: str) -> dict[str, bytes]:
    """Every stored row of ``project`` and its change counter: to compare before and after."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, revision, changed_seq, md5(body), md5(summary) "
            "FROM codemyspec.sessions WHERE project = %s ORDER BY id",
            (project,),
        ).fetchall()
        seq = conn.execute(
            "SELECT seq FROM codemyspec.projects WHERE project = %s", (project,)
        ).fetchone()
    snapshot = {str(row[0]): repr(row[1:]).encode() for row in rows}
    snapshot["(project seq)"] = repr(seq).encode()
    return snapshot


# -- fixtures (imported by the conftest.py of each folder that needs a database) --------------

_shared: list[Cluster] = []


@pytest.fixture(scope="session")
def pg_cluster(request: pytest.FixtureRequest) -> Cluster:
    """One cluster for the whole run, whichever folders ask for it; stopped at the end."""
    if not _shared:
        context = running_cluster()
        _shared.append(context.__enter__())
        request.config.add_cleanup(lambda: context.__exit__(None, None, None))
        request.config.add_cleanup(close_all)  # first: listeners stop before the database
    return _shared[0]


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The shared test database; tests keep apart by project name (see pg_project)."""
    return pg_cluster.url()


@pytest.fixture
def pg_project() -> str:
    """A project name no other test uses: sessions are keyed by project."""
    return f"Shop-{uuid.uuid4().hex[:10]}"
