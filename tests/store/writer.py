"""A separate writer process for the concurrency tests.

    python writer.py ROOT SESSION_ID NAME COUNT GO_FILE

Waits until GO_FILE exists (so that all writers start together), then appends
NAME-0 .. NAME-(COUNT-1) to ``state["items"]`` of SESSION_ID, one update each,
printing an acknowledgment line after each update returns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from store_helpers import append_to_state

from codemyspec_lsp.store import open_repository


def main() -> None:
    root, session_id, name, count, go = sys.argv[1:6]
    repo = open_repository(Path(root))
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.002)
    for k in range(int(count)):
        repo.update(session_id, append_to_state("items", f"{name}-{k}"))
        print(f"ack {name}-{k}", flush=True)


if __name__ == "__main__":
    main()
