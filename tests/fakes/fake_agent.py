"""A fake AI agent for tests: ``python tests/fakes/fake_agent.py``.

It reads what to do from the environment the server puts on every agent command and
writes the design file itself, as a real agent would:

- ``CODEMYSPEC_STEP=generate_context_design``: a design with errors (the Components and
  Test Assertions sections missing, an invalid dependency), so validation fails;
- ``CODEMYSPEC_STEP=revise_design``: a valid design;
- ``CODEMYSPEC_DESIGN_FILE``: the absolute path to write (folders are created).

The prompt arrives on stdin; it is read and its size printed, with the step and the path.
Exit status 0 on success, 2 when a variable is missing or the step is unknown.
Options: none. ``FAKE_AGENT_FAIL=1`` makes it exit 1 without writing (a failed agent run).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The sections both designs share; the flawed one lacks Components and Test Assertions.
COMMON = """# {name}

## Purpose
Owns the {name} of the project.

## Entity Ownership
- Record: one {name} record

## Access Patterns
- Look up a record by id

## Public API
- `get(id)`: the record

## State Management Strategy
Records live in the database.

## Execution Flow
1. `get` reads the record.
"""

FLAWED = (
    COMMON
    + """
## Dependencies
- shop mailer: sends mail

## Test Strategies
Unit tests.
"""
)

VALID = (
    COMMON
    + """
## Dependencies
- None

## Components

### {module}.Record

| field | value  |
| ----- | ------ |
| type  | schema |

One {name} record.

## Test Strategies
Unit tests.

## Test Assertions
- `get` returns the stored record
"""
)

DESIGNS = {"generate_context_design": FLAWED, "revise_design": VALID}


def main() -> int:
    step = os.environ.get("CODEMYSPEC_STEP", "")
    design_file = os.environ.get("CODEMYSPEC_DESIGN_FILE", "")
    module = os.environ.get("CODEMYSPEC_CONTEXT_MODULE", "App.Context")
    if step not in DESIGNS or not design_file:
        print(f"fake agent: nothing to do for step {step!r}", file=sys.stderr)
        return 2
    prompt = sys.stdin.read()
    if os.environ.get("FAKE_AGENT_FAIL") == "1":
        print("fake agent: failing as asked", file=sys.stderr)
        return 1
    path = Path(design_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = module.rsplit(".", 1)[-1]
    path.write_text(DESIGNS[step].format(name=name, module=module), encoding="utf-8")
    print(f"fake agent: {step} wrote {path} from a prompt of {len(prompt)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
