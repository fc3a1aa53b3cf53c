"""Screenshots of every page for the README: docs/screenshots/<url_path>.png.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Starts the app exactly as the browser tests do (tests/e2e/server.py: a warehouse built from
a copy of data/raw in a temporary folder, a free port, Debian's /usr/bin/chromium), opens each
page of app.py's PAGES at 1366×768 and captures it full length. The PNGs are reduced to a
256-colour palette so each stays well under 600 KB.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image

from tests.e2e.server import (
    CHROMIUM,
    VIEWPORT,
    StreamlitServer,
    app_pages,
    build_warehouse,
    launch_chromium,
    open_page,
    screenshot_full,
)

# Every page as a new user opens it: no parameters, the app's own defaults (the same
# province and year on every page); SKHCN_TODAY fixes "today" so the task page is the same
# on every run.
QUERY: dict[str, dict[str, str]] = {}
TODAY = "2026-11-30"
MAX_BYTES = 600_000


def small_png(png: bytes) -> bytes:
    """The screenshot as a palette PNG (UI colours survive; size drops ~3×)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SKHCN_TODAY", TODAY)
    with tempfile.TemporaryDirectory(prefix="skhcn-shots-") as tmp:
        paths = build_warehouse(Path(tmp))
        # the toolbar as .streamlit/config.toml sets it for users (minimal: no "Deploy")
        with StreamlitServer(paths, extra_args=("--client.toolbarMode", "minimal")) as server, sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for info in app_pages():
                    ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                    try:
                        page = ctx.new_page()
                        open_page(page, server, info.route, urlencode(QUERY.get(info.script, {})))
                        data = small_png(screenshot_full(page))
                    finally:
                        ctx.close()
                    target = args.out / f"{info.name}.png"
                    target.write_bytes(data)
                    note = "" if len(data) <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB)"
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {len(data) // 1024} KB{note}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
