"""`codemyspec-mcp` driven by the MCP SDK's own client over stdio, as an agent drives it.

Every tool with good, bad, missing, outside, oversize and malformed arguments; the answers
of validate_design equal `codemyspec validate --format json` on the same files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from mcp_client import MODULE_ARGV, console_script, error_text, mcp_session, text_json

from codemyspec_lsp.demo import workspace_files
from codemyspec_lsp.demo.replay_agent import render_design
from codemyspec_lsp.mcp_server.server import TOOL_NAMES

MAX_BYTES = 8192
SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


def copy_tree(source, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """The demo shop with a flawed Orders design, an oversize and a non-UTF-8 file."""
    root = tmp_path / "shop"
    copy_tree(workspace_files(), root)
    config = root / ".codemyspec" / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'dir = "docs/design"', f'dir = "docs/design"\nmax_file_bytes = {MAX_BYTES}'
        ),
        encoding="utf-8",
    )
    designs = root / "docs/design/shop"
    (designs / "orders.md").write_text(render_design("flawed", "Shop.Orders"), encoding="utf-8")
    (designs / "huge.md").write_text("# Huge\n\n" + "word " * 4000, encoding="utf-8")
    (designs / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    return root


def cli_json(*args: str):
    """`codemyspec ARGS` (JSON output) as a process, as a person runs it."""
    run = subprocess.run(
        [sys.executable, "-m", "codemyspec_lsp.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode in (0, 1), run.stderr
    return orjson.loads(run.stdout)


def cli_validate_json(*paths: Path) -> list[dict]:
    return cli_json("validate", "--format", "json", *(str(p) for p in paths))


def one_based(lsp: dict) -> dict:
    start = lsp["range"]["start"]
    return {
        "code": lsp["code"],
        "severity": SEVERITIES[lsp["severity"]],
        "line": start["line"] + 1,
        "column": start["character"] + 1,
        "message": lsp["message"],
    }


async def test_the_five_tools_are_listed_by_their_names_read_only(shop: Path):
    async with mcp_session(shop, argv=(console_script(),)) as session:
        listed = (await session.list_tools()).tools
    assert sorted(tool.name for tool in listed) == sorted(TOOL_NAMES)
    for tool in listed:
        assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
        assert tool.description, tool.name
    schemas = {tool.name: tool.input_schema for tool in listed}
    assert set(schemas["validate_design"]["properties"]) == {"path", "text"}
    assert set(schemas["rules_for"]["properties"]) == {"componentType", "sessionType"}
    assert schemas["get_design"]["required"] == ["module"]
    assert schemas["stories_for"]["required"] == ["context"]


async def test_validate_design_answers_what_codemyspec_validate_says(shop: Path):
    designs = shop / "docs/design/shop"
    names = ["accounts.md", "orders.md", "huge.md", "latin1.md"]
    expected = {
        Path(entry["path"]).name: entry
        for entry in cli_validate_json(*(designs / n for n in names))
    }
    async with mcp_session(shop) as session:
        for name in names:
            answer = text_json(
                await session.call_tool("validate_design", {"path": f"docs/design/shop/{name}"})
            )
            cli = [one_based(d) for d in expected[name]["diagnostics"]]
            assert answer["diagnostics"] == cli, name
            assert answer["valid"] == (not any(d["severity"] == "error" for d in cli)), name
            # The same text given inline gets the same answer.
            if name in ("accounts.md", "orders.md"):
                text = (designs / name).read_text(encoding="utf-8")
                inline = await session.call_tool(
                    "validate_design", {"text": text, "path": f"docs/design/shop/{name}"}
                )
                assert text_json(inline) == answer, name
                assert inline.structured_content == answer
        # An absolute path inside the workspace is the same file.
        absolute = await session.call_tool("validate_design", {"path": str(designs / "orders.md")})
        assert text_json(absolute)["diagnostics"] == [
            one_based(d) for d in expected["orders.md"]["diagnostics"]
        ]

    assert expected["accounts.md"]["diagnostics"] == []
    orders_codes = {d["code"] for d in expected["orders.md"]["diagnostics"]}
    assert {"CMS101", "CMS111", "CMS113", "CMS120"} <= orders_codes
    [huge] = expected["huge.md"]["diagnostics"]
    assert huge["code"] == "CMS001" and "over the limit of 8,192 bytes" in huge["message"]
    assert "UTF-8" in expected["latin1.md"]["diagnostics"][0]["message"]


async def test_refusals_are_tool_errors_that_say_why_and_the_server_keeps_answering(
    shop: Path, tmp_path: Path
):
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n", encoding="utf-8")
    (shop / "docs/design/shop/link.md").symlink_to(secret)
    oversize_text = "# Big\n\n" + "x" * (MAX_BYTES + 10)
    refusals = [
        ("validate_design", {"path": "docs/design/shop/nope.md"}, "no such file"),
        ("validate_design", {"path": "../secret.md"}, "outside the workspace"),
        ("validate_design", {"path": str(secret)}, "outside the workspace"),
        ("validate_design", {"path": "docs/design/shop/link.md"}, "symbolic link"),
        ("validate_design", {"path": "docs/design"}, "not a file"),
        ("validate_design", {"path": ""}, "give either 'path'"),
        ("validate_design", {"path": " "}, "not a file path"),
        ("validate_design", {"path": "null"}, "no such file"),
        ("validate_design", {"path": "a\x00b"}, "not a file path"),
        ("validate_design", {"path": "x" * 300 + ".md"}, "File name too long"),
        ("validate_design", {"path": 5}, "valid string"),
        ("validate_design", {"text": ["# X"]}, "valid string"),
        ("validate_design", {}, "give either 'path'"),
        ("validate_design", {"text": "# X", "path": "../../etc/passwd"}, "outside the workspace"),
        ("validate_design", {"text": '{"a": 1}', "path": 7}, "valid string"),
        ("get_design", {}, "module"),
        ("get_design", {"module": "../../etc/passwd"}, "not a context module name"),
        ("get_design", {"module": "Shop.Billing"}, "no design of Shop.Billing"),
        ("get_design", {"module": "Huge"}, "larger than design.max_file_bytes"),
        ("get_design", {"module": {"a": 1}}, "valid string"),
        ("stories_for", {"context": "rm -rf /"}, "not a context module name"),
        ("stories_for", {}, "context"),
        ("rules_for", {"componentType": 3}, "valid string"),
        ("rules_for", {"sessionType": "x" * 5000}, "longer than"),
    ]
    async with mcp_session(shop) as session:
        for name, arguments, words in refusals:
            message = error_text(await session.call_tool(name, arguments))
            assert words in message, (name, arguments, message)
            assert "Error executing tool " + name in message
        # Oversize text is not refused: it is the same CMS001 a file of that size gets.
        big = text_json(await session.call_tool("validate_design", {"text": oversize_text}))
        assert not big["valid"]
        assert [d["code"] for d in big["diagnostics"]] == ["CMS001"]
        # Text that happens to be JSON is still text to validate, not a malformed argument.
        json_text = await session.call_tool("validate_design", {"text": '{"a": 1}'})
        assert text_json(json_text)["valid"] is False
        # Still answering after all of that.
        after = await session.call_tool("validate_design", {"path": "docs/design/shop/accounts.md"})
        assert text_json(after) == {"valid": True, "diagnostics": []}
    # Nothing in the workspace changed.
    assert secret.read_text(encoding="utf-8") == "# Secret\n"


async def test_contexts_designs_stories_and_rules_of_the_workspace(shop: Path):
    async with mcp_session(shop) as session:
        contexts = text_json(await session.call_tool("list_contexts", {}))
        accounts = text_json(await session.call_tool("get_design", {"module": "Accounts"}))
        qualified = text_json(await session.call_tool("get_design", {"module": "Shop.Orders"}))
        stories = text_json(await session.call_tool("stories_for", {"context": "Orders"}))
        all_rules = text_json(await session.call_tool("rules_for", {}))
        context_rules = await session.call_tool(
            "rules_for", {"componentType": "context", "sessionType": "design"}
        )
        no_rules = text_json(await session.call_tool("rules_for", {"componentType": "schema"}))
        no_stories = await session.call_tool("stories_for", {"context": "Shop.Billing"})

    by_module = {c["module"]: c for c in contexts}
    # Every design file is a context, also one over the size limit or not UTF-8 (not valid).
    assert sorted(by_module) == [
        "Shop.Accounts",
        "Shop.Catalog",
        "Shop.Huge",
        "Shop.Latin1",
        "Shop.Orders",
    ]
    assert not by_module["Shop.Huge"]["valid"] and not by_module["Shop.Latin1"]["valid"]
    # The same contexts, files, titles and validity as `codemyspec graph --format json`.
    graph = cli_json("graph", "--workspace", str(shop), "--format", "json")
    assert [{k: c[k] for k in ("module", "designFile", "title", "valid")} for c in contexts] == [
        {k: c[k] for k in ("module", "designFile", "title", "valid")} for c in graph["contexts"]
    ]
    assert by_module["Shop.Catalog"] == {
        "module": "Shop.Catalog",
        "designFile": "docs/design/shop/catalog.md",
        "title": "Catalog",
        "valid": True,
        "dependencies": ["Shop.Repo", "Shop.Accounts"],
    }
    assert by_module["Shop.Orders"]["valid"] is False

    assert accounts["designFile"] == "docs/design/shop/accounts.md"
    assert accounts["text"] == (shop / accounts["designFile"]).read_text(encoding="utf-8")
    assert accounts["diagnostics"] == []
    assert qualified["designFile"] == "docs/design/shop/orders.md"
    assert any(d["code"] == "CMS113" for d in qualified["diagnostics"])

    titles = [s["title"] for s in stories]
    assert "Customer sees their order history" in titles
    assert all(s["text"].startswith("# ") for s in stories)
    assert "catalog" not in " ".join(titles).lower()

    names = [r["name"] for r in all_rules]
    assert names == ["money_in_cents", "schemas_own_changesets", "small_public_api"]
    assert [r["name"] for r in text_json(context_rules)] == ["money_in_cents", "small_public_api"]
    assert context_rules.structured_content == {"result": text_json(context_rules)}
    assert [r["name"] for r in no_rules] == ["money_in_cents", "schemas_own_changesets"]
    # An empty answer is still one text block an agent can read: an empty list.
    assert text_json(no_stories) == []


async def test_without_workspace_flag_it_serves_the_workspace_it_runs_in(shop: Path):
    inside = shop / "docs/design"
    async with mcp_session(None, argv=MODULE_ARGV, cwd=inside) as session:
        contexts = text_json(await session.call_tool("list_contexts", {}))
    assert "Shop.Accounts" in {c["module"] for c in contexts}


def test_a_workspace_that_is_not_a_folder_is_a_usage_error(tmp_path: Path):
    run = subprocess.run(
        [*MODULE_ARGV, "--workspace", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 2
    assert "not a folder" in run.stderr
