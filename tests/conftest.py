"""Files that hold a slow test run first (each file's tests stay together, in order).

`make test` spreads the tests over pytest-xdist workers in collection order: with the long
ones first, the short ones fill in at the end, and no worker is left alone with a long test
after the others are done. Files stay whole, so a module fixture is still set up once per
worker.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: files stay whole
