"""The shared sample designs give exactly the expected codes at the expected lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemyspec_lsp.design.validator import validate_design

DATA = Path(__file__).parent / "data"
EXPECTED: dict[str, list[dict[str, object]]] = json.loads((DATA / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_gives_expected_codes_at_expected_lines(name):
    report = validate_design((DATA / name).read_bytes())
    got = sorted((d.code, d.range.start.line) for d in report.diagnostics)
    want = sorted((str(e["code"]), int(str(e["line"]))) for e in EXPECTED[name])
    assert got == want
    assert report.design is not None
