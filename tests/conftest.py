"""Session fixtures shared by every test folder."""

import pytest

from tests.postgres_server import remove, start_server


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server on 127.0.0.1 (random port), torn down at the end of the session."""
    server = start_server()
    try:
        yield server
    finally:
        remove(server)
