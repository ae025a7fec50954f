"""Parse + validate against markdown-it-py's bare parse of the same text.

Usage: python bench/validate_bench.py [--repeat N]  (runs per tree file; more for one design)

Prints a Markdown table: for a generated 500-line and 5,000-line design and a tree of
1,000 designs written to a temporary directory, the time of ``validate_design`` on a
file's bytes (decode, parse, build the model, run every rule) next to the time of
``markdown().parse`` (the validator's own MarkdownIt configuration) on the decoded text,
and their ratio. Each file's time is its best of several runs (more for the single designs,
whose few long runs are the easiest for other processes' load to skew); the tree's is the
sum over its files. Exits 1 when a ratio is over the budget of 1.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from codemyspec_lsp.design.tokens import markdown
from codemyspec_lsp.design.validator import validate_design

BUDGET = 1.5

HEAD = """# Catalog

## Purpose
Lists the products of the shop and their prices, with search and price rules.

## Entity Ownership
- Product: a sellable item with a price
- Category: a named group of products

## Access Patterns
- Every query is scoped to the current shop
- Products are looked up by id, slug or category

## Public API
```elixir
@spec list_products(Scope.t()) :: [Product.t()]
@spec get_product!(Scope.t(), id :: integer()) :: Product.t()
```

## State Management Strategy
All state is kept in the database.

## Execution Flow
1. Load the products of the scope's shop
2. Apply the price rules

## Dependencies
- Shop.Repo
- Shop.Mailer: sends notices

## Test Strategies
Integration tests through the public API.

## Test Assertions
- list_products/1 returns only the shop's products

## Components
"""

COMPONENT = """
### Catalog.Component{n}

| field | value |
| :---- | ----: |
| type  | {type} |
| table | component_{n} |

Component {n} handles one part of the catalog: it validates input, applies the shop's
rules and writes through the repository with `a | b` style filters.
"""

TYPES = ("schema", "repository", "genserver", "context", "other", "model")


def generate(lines: int, seed: int = 0) -> str:
    """A design of about ``lines`` lines: the sections, then components until long enough."""
    parts = [HEAD]
    count = HEAD.count("\n")
    n = 0
    while count < lines:
        block = COMPONENT.format(n=n + seed, type=TYPES[(n + seed) % len(TYPES)])
        parts.append(block)
        count += block.count("\n")
        n += 1
    return "".join(parts)


def timed(fn: Callable[[bytes], object], data: bytes) -> float:
    # CPU time of this process: other processes' load on a shared machine does not count.
    start = time.process_time()
    fn(data)
    return time.process_time() - start


def measure(name: str, files: list[Path], repeat: int) -> tuple[str, float, float]:
    """Sum over the files of each side's best time, the two sides timed alternately.

    Alternating per file and keeping each file's minimum keeps a burst of load from other
    processes on a shared machine from landing on one side only.
    """
    md = markdown()
    ours_total = bare_total = 0.0
    for path in files:
        data = path.read_bytes()
        ours = bare = float("inf")
        for _ in range(repeat):
            ours = min(ours, timed(validate_design, data))
            bare = min(bare, timed(lambda d: md.parse(d.decode("utf-8")), data))
        ours_total += ours
        bare_total += bare
    return name, ours_total, bare_total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for lines, runs in ((500, 10 * args.repeat), (5000, 4 * args.repeat)):
            path = root / f"design_{lines}.md"
            path.write_text(generate(lines))
            label = f"one design, {len(path.read_text().splitlines()):,} lines"
            rows.append(measure(label, [path], runs))
        tree = root / "tree"
        files = []
        for i in range(1000):
            path = tree / f"app{i % 10}" / f"context_{i}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generate(60 + i % 80, seed=i))
            files.append(path)
        rows.append(measure("tree of 1,000 designs", files, args.repeat))
    print("| input | parse + validate | markdown-it parse | ratio |")
    print("| --- | ---: | ---: | ---: |")
    worst = 0.0
    for label, ours, bare in rows:
        ratio = ours / bare
        worst = max(worst, ratio)
        print(f"| {label} | {ours * 1000:,.1f} ms | {bare * 1000:,.1f} ms | {ratio:.2f} |")
    print(f"\nbudget: ratio <= {BUDGET}; worst {worst:.2f}")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
