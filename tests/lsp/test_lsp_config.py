"""Configuration: the editor's settings, a broken config file, folders coming and going."""

from __future__ import annotations

from pathlib import Path

from lsp_harness import (
    CONFIG,
    DESIGN,
    FLAWED,
    FLAWED_SEEN,
    command,
    eventually,
    make_workspace,
    pushed,
    shown_eventually,
)
from lsprotocol import types

from codemyspec_lsp import protocol

SPEC = "specs/accounts.md"


async def test_editor_settings_override_the_design_dir_and_required_sections(
    tmp_path: Path, open_client
):
    root = make_workspace(tmp_path / "shop", {DESIGN: FLAWED, SPEC: FLAWED})
    settings = {"designDir": "specs", "requiredSections": ["purpose", "public api"]}
    async with open_client(root, settings=settings) as client:
        # Only the dependency error is left: the two missing sections are not required.
        await shown_eventually(client, (root / SPEC).as_uri(), [("CMS120", 21)])
        assert pushed(client, (root / DESIGN).as_uri()) == []

        # Back to the defaults: a configuration change validates everything again.
        client.set_configuration({protocol.CONFIG_SECTION: {}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await shown_eventually(client, (root / DESIGN).as_uri(), FLAWED_SEEN)
        await shown_eventually(client, (root / SPEC).as_uri(), [])


async def test_a_broken_config_file_is_shown_and_the_defaults_used(tmp_path: Path, open_client):
    root = make_workspace(
        tmp_path / "shop", {DESIGN: FLAWED}, config=CONFIG + "\n[design]\ndir = 5\n"
    )
    config_line = (CONFIG + "\n[design]\ndir = 5\n").splitlines().index("dir = 5")
    async with open_client(root) as client:
        config_uri = (root / ".codemyspec" / "config.toml").as_uri()
        await eventually(lambda: pushed(client, config_uri))
        assert pushed(client, config_uri) == [("config", config_line)]
        assert any(
            m.type == types.MessageType.Error and "config.toml" in m.message
            for m in client.messages
        )
        # The defaults apply meanwhile: the design in docs/design is validated.
        await shown_eventually(client, (root / DESIGN).as_uri(), FLAWED_SEEN)


async def test_workspace_folders_can_come_and_go(tmp_path: Path, open_client):
    shop = make_workspace(tmp_path / "shop")
    blog = make_workspace(tmp_path / "blog", {DESIGN: FLAWED})
    async with open_client(shop) as client:
        assert await command(client, protocol.LIST_SESSIONS, {}) == {"sessions": []}
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[types.WorkspaceFolder(uri=blog.as_uri(), name="blog")], removed=[]
                )
            )
        )
        blog_design = (blog / DESIGN).as_uri()
        await shown_eventually(client, blog_design, FLAWED_SEEN)
        started = await command(
            client, protocol.START_SESSION, {"context": "Posts", "workspaceUri": blog.as_uri()}
        )
        assert started["status"] == "active"
        assert (blog / ".codemyspec").is_dir()

        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[], removed=[types.WorkspaceFolder(uri=blog.as_uri(), name="blog")]
                )
            )
        )
        await shown_eventually(client, blog_design, [])
