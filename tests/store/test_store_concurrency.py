"""Several processes updating one session at once lose nothing and duplicate nothing
(on both stores)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import new_session, stamp_after

from codemyspec_lsp.store import open_repository

WRITER = Path(__file__).with_name("writer.py")
UPDATES = 30


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_updates_of_one_session_lose_nothing(
    store_root: Path, tmp_path: Path, processes: int
) -> None:
    watcher = open_repository(store_root)
    watcher.create(new_session("s1", state={"items": []}))
    watcher.create(new_session("other"))
    assert watcher.list()[0].state == {"items": []}  # warm the watcher's caches
    stamp = watcher.stamp()

    go = tmp_path / "go"
    names = [f"w{n}" for n in range(processes)]
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(store_root), "s1", name, str(UPDATES), str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
    go.touch()  # all writers start updating at the same moment
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0] * processes
    assert all(output.count("ack ") == UPDATES for output in outputs)

    items = watcher.get("s1").state["items"]
    expected = [f"{name}-{k}" for name in names for k in range(UPDATES)]
    assert sorted(items) == sorted(expected)  # no lost update, no duplicate
    for name in names:  # each writer's items in the order it wrote them
        assert [i for i in items if i.startswith(f"{name}-")] == [
            f"{name}-{k}" for k in range(UPDATES)
        ]
    # The watcher (same object, caches warm) sees the other processes' changes.
    assert stamp_after(watcher, stamp + processes * UPDATES - 1) == stamp + processes * UPDATES
    assert [s.id for s in watcher.changed_since(stamp)] == ["s1"]
    assert watcher.list()[0].state["items"] == items
    assert watcher.list()[1].state == {}
