"""codemyspec/checkContext: what an editor learns about a context name before starting."""

from __future__ import annotations

from pathlib import Path

from lsp_harness import DESIGN, FLAWED, VALID, make_workspace, open_document

from codemyspec_lsp import protocol


async def test_a_name_is_checked_with_the_rule_start_session_applies(
    workspace: Path, open_client, call_either_way
):
    call = call_either_way
    async with open_client(workspace) as client:
        fresh = await call(client, protocol.CHECK_CONTEXT, {"context": "Accounts"})
        assert fresh == {
            "valid": True,
            "message": None,
            "name": "Accounts",
            "module": "Shop.Accounts",
            "designFile": DESIGN,
            "designExists": False,
            "designValid": None,
            "sessions": [],
        }
        for typed in ("Shipping Gateway", "shop.orders", "../Etc", ""):
            refused = await call(client, protocol.CHECK_CONTEXT, {"context": typed})
            assert refused["valid"] is False, typed
            assert refused["name"] == typed
            assert refused["module"] is None and refused["designFile"] is None
            assert "is not a context module name" in refused["message"]
            # The very message startSession would answer with.
            if typed:
                try:
                    await call(client, protocol.START_SESSION, {"context": typed})
                except Exception as error:
                    assert refused["message"] in str(error)
                else:
                    raise AssertionError(f"startSession accepted {typed!r}")
        qualified = await call(
            client,
            protocol.CHECK_CONTEXT,
            {"context": "Shop.Accounts", "workspaceUri": workspace.as_uri()},
        )
        assert qualified["module"] == "Shop.Accounts" and qualified["designFile"] == DESIGN


async def test_the_design_and_the_sessions_of_a_context_are_reported(tmp_path: Path, open_client):
    from lsp_harness import command as call

    root = make_workspace(tmp_path / "shop", {DESIGN: VALID})
    async with open_client(root) as client:
        checked = await call(client, protocol.CHECK_CONTEXT, {"context": "Accounts"})
        assert (checked["designExists"], checked["designValid"]) == (True, True)
        assert checked["sessions"] == []

        session = await call(client, protocol.START_SESSION, {"context": "Accounts"})
        await call(client, protocol.START_SESSION, {"context": "Orders"})
        await call(client, protocol.CANCEL_SESSION, {"sessionId": session["id"]})
        second = await call(client, protocol.START_SESSION, {"context": "Shop.Accounts"})
        checked = await call(client, protocol.CHECK_CONTEXT, {"context": "Accounts"})
        assert sorted((s["id"], s["status"]) for s in checked["sessions"]) == sorted(
            [(session["id"], "cancelled"), (second["id"], "active")]
        )

        # The editor's unsaved text counts, as it does for validation.
        open_document(client, root / DESIGN, FLAWED)
        checked = await call(client, protocol.CHECK_CONTEXT, {"context": "Accounts"})
        assert (checked["designExists"], checked["designValid"]) == (True, False)
