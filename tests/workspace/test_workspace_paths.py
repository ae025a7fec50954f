"""Context names to design paths, and the refusals that keep paths inside."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from codemyspec_lsp.session.errors import InvalidParams
from codemyspec_lsp.workspace.paths import (
    contained,
    module_for_design,
    resolve_context,
    snake_case,
)


@pytest.mark.parametrize(
    ("context", "module", "path"),
    [
        ("Accounts", "Shop.Accounts", "docs/design/shop/accounts.md"),
        ("Shop.Accounts", "Shop.Accounts", "docs/design/shop/accounts.md"),
        ("ShopWeb.ProductLive", "ShopWeb.ProductLive", "docs/design/shop_web/product_live.md"),
        ("HTTPClient", "Shop.HTTPClient", "docs/design/shop/http_client.md"),
        (
            "MyApp.Billing.Invoices",
            "MyApp.Billing.Invoices",
            "docs/design/my_app/billing/invoices.md",
        ),
    ],
)
def test_module_names_map_to_snake_case_paths(context: str, module: str, path: str) -> None:
    target = resolve_context(context, "Shop", "docs/design")
    assert target.module == module
    assert target.design_file == PurePosixPath(path)
    assert target.name == module.rsplit(".", 1)[-1]


@pytest.mark.parametrize(
    "context",
    [
        "",
        "accounts",
        "../Accounts",
        "Shop/Accounts",
        "Shop..Accounts",
        "Shop.",
        ".Shop",
        "My Accounts",
        "Accounts\x00",
        "Accounts;rm",
        "$(Accounts)",
        "Accounts`id`",
        "A" * 256,
        "Ünicode",
    ],
)
def test_anything_but_a_module_name_is_refused_naming_context(context: str) -> None:
    with pytest.raises(InvalidParams) as refused:
        resolve_context(context, "Shop", "docs/design")
    assert refused.value.message.startswith("context: ")
    assert "'Accounts' or 'MyApp.Accounts'" in refused.value.message or "longer" in (
        refused.value.message
    )


def test_a_qualified_module_too_long_is_refused() -> None:
    with pytest.raises(InvalidParams, match=r"context: .* longer than 255"):
        resolve_context("A" * 250, "Shopping", "docs/design")


def test_snake_case_follows_elixir() -> None:
    assert [snake_case(s) for s in ["ShopWeb", "ProductLive", "HTTPClient", "V2Api"]] == [
        "shop_web",
        "product_live",
        "http_client",
        "v2_api",
    ]
    assert module_for_design(PurePosixPath("shop_web/product_live.md")) == "ShopWeb.ProductLive"


def test_a_symlinked_design_dir_pointing_outside_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    outside = tmp_path / "outside"
    (root / "docs").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside, root / "docs" / "design")
    with pytest.raises(InvalidParams, match="outside the workspace"):
        contained(root, "docs/design", PurePosixPath("docs/design/shop/accounts.md"))


def test_a_path_outside_the_design_dir_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidParams, match="outside docs/design"):
        contained(tmp_path, "docs/design", PurePosixPath("docs/other/accounts.md"))
    inside = contained(tmp_path, "docs/design", PurePosixPath("docs/design/shop/accounts.md"))
    assert inside == tmp_path.resolve() / "docs/design/shop/accounts.md"
