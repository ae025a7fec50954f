"""A fake agent for the driver's tests: writes a valid design, or waits when told to.

It prints "fake agent started" first, so a test can wait for that line. When the file
`.slow-agent` exists in the workspace (its cwd) it then sleeps a long time, so the test
can interrupt it; otherwise it writes the design at once.
"""

import os
import sys
import time
from pathlib import Path

DESIGN = """# {name}

## Purpose
Owns {name}.

## Entity Ownership
- {name} records

## Access Patterns
- By id

## Public API
- `get!(id)`

## State Management Strategy
In the database.

## Execution Flow
1. Read the record.

## Dependencies
- Shop.Repo: stores records

## Components

### {module}.Record

| field | value  |
| ----- | ------ |
| type  | schema |

One record.

## Test Strategies
Unit tests.

## Test Assertions
- A record can be read back
"""

print("fake agent started", flush=True)
step = os.environ["CODEMYSPEC_STEP"]
module = os.environ["CODEMYSPEC_CONTEXT_MODULE"]
prompt = sys.stdin.read()
print(f"step {step}, prompt of {len(prompt)} characters", flush=True)
if Path(".slow-agent").exists():
    time.sleep(120)
Path(os.environ["CODEMYSPEC_DESIGN_FILE"]).parent.mkdir(parents=True, exist_ok=True)
Path(os.environ["CODEMYSPEC_DESIGN_FILE"]).write_text(
    DESIGN.format(name=module.rpartition(".")[2], module=module), encoding="utf-8"
)
print("fake agent wrote the design", flush=True)
