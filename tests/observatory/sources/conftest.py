import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address():
    # The replay portal listens on the loopback address only.
    return ("127.0.0.1", 0)
