"""Files that hold a slow test run first (each file's tests stay together, in order).

`make test` spreads whole files over pytest-xdist workers (`--dist loadfile`, so a module
fixture is set up once), in collection order: with the longest files first, the short ones
fill in at the end and no worker is left alone with a long file after the others are done.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: files stay whole
