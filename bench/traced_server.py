"""`codemyspec-lsp` under tracemalloc, for finding what grows in a soak (`soak.py --trace`).

    python bench/traced_server.py DIR [server args...]

Starts tracemalloc (25 frames), then runs the server's own entry point on stdio. Each
SIGUSR1 writes a snapshot to DIR/snapshot-<n>.pickle, which `soak.py --trace` compares by
traceback. Slower than the plain server: for diagnosis, never for figures.
"""

from __future__ import annotations

import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType

FRAMES = 25


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(FRAMES)
    taken = [0]

    def snapshot(signum: int, frame: FrameType | None) -> None:
        taken[0] += 1
        tracemalloc.take_snapshot().dump(str(out / f"snapshot-{taken[0]:03d}.pickle"))

    signal.signal(signal.SIGUSR1, snapshot)
    from codemyspec_lsp.lsp.main import main as serve

    return serve(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
