"""pytest fixtures for topmock (loaded through the ``pytest11`` entry point).

- ``topmock_server`` (session): the running topmock — ``--topmock-url`` or ``TOPMOCK_URL`` when
  given, else the binary (``TOPMOCK_BIN`` or ``topmock`` on PATH) started on a free port and
  stopped at the end of the session.
- ``topmock`` (function): a ``TopMockApp`` of the test's own — an app key and secret that no other
  test uses, so its calls fall in a namespace of their own (safe under pytest-xdist too); removed,
  with its state and journal, when the test ends.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from . import TopMock, TopMockApp


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("topmock")
    group.addoption("--topmock-url", default=None,
                    help="a running topmock (default: TOPMOCK_URL, else start the topmock binary)")


@pytest.fixture(scope="session")
def topmock_server(request: pytest.FixtureRequest) -> Iterator[TopMock]:
    server = TopMock.from_environment(request.config.getoption("--topmock-url"))
    yield server
    server.close()


@pytest.fixture
def topmock(topmock_server: TopMock) -> Iterator[TopMockApp]:
    app = topmock_server.new_app()
    yield app
    app.close()
