"""A throwaway PostgreSQL server for tests: Debian's package, an unprivileged user, a free port.

PostgreSQL refuses to run as root, so as root (CI) `initdb` and `pg_ctl` run as `nobody` in a
folder that user owns. The package is installed with apt-get when its binaries are absent.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2

UNPRIVILEGED = "nobody"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True, capture_output=True)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL introuvable après apt-get install postgresql")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    user: str = "postgres"
    host: str = "127.0.0.1"
    startup_seconds: float = 0.0

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> None:
        as_user = UNPRIVILEGED if os.geteuid() == 0 else None
        subprocess.run(args, check=True, capture_output=True, user=as_user, cwd=self.root)

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-h {self.host} -p {self.port} -k {self.root} -c fsync=off"
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def connect(self, db: str = "postgres"):
        return psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname=db)

    def create_database(self, name: str) -> str:
        con = self.connect()
        con.autocommit = True
        with con.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        con.close()
        return name


def start_server() -> PostgresServer:
    root = Path(tempfile.mkdtemp(prefix="observatoire-pg-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, UNPRIVILEGED)
    server = PostgresServer(bin_dir=postgres_bin(), root=root, port=free_port())
    started = time.monotonic()
    server.start()
    server.startup_seconds = time.monotonic() - started
    return server


def remove(server: PostgresServer) -> None:
    try:
        server.stop()
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
