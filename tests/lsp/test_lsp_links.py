"""A design that is a symbolic link out of the workspace gets no diagnostics: the server never
reads it, neither in the start-up scan nor when the editor opens it or a session changes."""

from __future__ import annotations

from lsp_harness import (
    DESIGN,
    FLAWED,
    FLAWED_SEEN,
    make_workspace,
    open_document,
    pushed,
    shown,
    shown_eventually,
)

# Sorted before DESIGN (shop/accounts.md): the scan validates files in order, so once
# DESIGN shows its problems the link has had its turn.
LINK = "docs/design/shop/aaa_leak.md"


async def test_a_design_linking_out_is_neither_scanned_nor_validated_when_opened(
    tmp_path, open_client
):
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED})
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text(FLAWED, encoding="utf-8")
    link = root / LINK
    link.symlink_to(secret)
    async with open_client(root) as client:
        await shown_eventually(client, (root / DESIGN).as_uri(), FLAWED_SEEN)
        assert pushed(client, link.as_uri()) == []
        assert pushed(client, secret.as_uri()) == []

        # Opened in the editor (its text sent by the client): still no diagnostics. A real
        # design opened after it is validated, so the link had its turn.
        leak = open_document(client, link, FLAWED)
        other = root / "docs/design/shop/orders.md"
        other.write_text(FLAWED, encoding="utf-8")
        other_uri = open_document(client, other)
        await shown_eventually(client, other_uri, FLAWED_SEEN)
        assert await shown(client, leak) == []
        assert pushed(client, leak) == []
