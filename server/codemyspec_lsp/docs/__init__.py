"""Where a diagnostic's code links to (LSP ``codeDescription.href``): documentation that exists.

By default, the copy of ``docs/diagnostics.md`` installed with the package (package data;
in a source checkout ``diagnostics.md`` here is a link to the repository's page), as a
``file://`` URI, so the link opens on the user's own machine without a network. A team
that hosts the page elsewhere sets a base URL (``[docs] base_url`` in config.toml, or the
editor setting ``codemyspec.docsBaseUrl``, which wins): the link is then
``<base>/diagnostics.md#cmsNNN``. The anchor is the code in lower case: the page's H2
headings are the codes.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

DIAGNOSTICS_PAGE = "diagnostics.md"


@cache
def installed_base() -> str:
    """The ``file://`` URI of the directory holding the installed page (no trailing slash)."""
    page = Path(str(files(__package__).joinpath(DIAGNOSTICS_PAGE))).resolve()
    return page.parent.as_uri()


def page_url(base: str | None = None) -> str:
    """The diagnostics page under ``base``, or the installed copy when ``base`` is None."""
    return f"{(base or installed_base()).rstrip('/')}/{DIAGNOSTICS_PAGE}"


def code_href(code: str, base: str | None = None) -> str:
    """The link of one diagnostic code: its section of the page."""
    return f"{page_url(base)}#{code.lower()}"


def check_base_url(value: str) -> str:
    """``value`` if it is an absolute URL (``https://host/path`` or ``file:///path``)."""
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return value.strip()
    if parts.scheme == "file" and parts.path.startswith("/"):
        return value.strip()
    raise ValueError(
        f"docs base URL {value!r} must be an absolute http(s):// or file:/// URL "
        "(the diagnostics page is <base>/diagnostics.md)"
    )
