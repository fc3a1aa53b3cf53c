"""Screenshots of every page for the README: docs/screenshots/<url_path>.png.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--with-versions]

``--with-versions`` adds the documents of ``tests/versions_data.py`` (execution and estimate
disclosures, adjustment decisions, filled Biểu 02 / Biểu 03 forms) to the copy of data/raw and
captures the views of ``VERSION_VIEWS`` instead of the pages' defaults (execution by quarter,
the versions of an estimate, a budget following a decision, percentage checks):
docs/screenshots/<name>.png. Without it, the first page of ``PRINT_VIEWS`` printed on A4 (the
app's print stylesheet, Chromium's PDF printer) is written as a picture too:
docs/screenshots/in-a4-<route>.png.

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
# --with-versions: file name -> (route, query) over the documents of tests/versions_data.py
VERSION_VIEWS: dict[str, tuple[str, dict[str, str]]] = {
    "thuc-hien-theo-quy": ("thuc-hien", {"province": "Lai Châu", "year": "2025"}),
    "thuc-hien-lich-du-kien": ("thuc-hien", {"province": "Điện Biên", "year": "2024"}),
    "dieu-chinh-du-toan": ("dieu-chinh", {"province": "Nghệ An", "year": "2025"}),
    "ngan-sach-theo-phien-ban": ("ngan-sach", {"province": "Nghệ An", "year": "2025"}),
    "tong-quan-ty-le": ("", {"province": "Quảng Ninh", "year": "2023"}),
    "xu-huong-phien-ban": ("xu-huong", {"province": "Quảng Ninh"}),
}
# file name -> route: a page printed on A4 (page 1 of the PDF, as a picture; docs/UI_VIETNAMESE.md)
PRINT_VIEWS: dict[str, str] = {"in-a4-ngan-sach": "ngan-sach"}
TODAY = "2026-11-30"
MAX_BYTES = 600_000


def small_png(png: bytes) -> bytes:
    """The screenshot as a palette PNG (UI colours survive; size drops ~3×)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def printed_png(page) -> bytes:
    """Page 1 of the page printed on A4 (``page.pdf``, print media), drawn at 110 dpi."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(page.pdf(format="A4", prefer_css_page_size=True))
    try:
        image = pdf[0].render(scale=110 / 72).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--with-versions", action="store_true",
                    help="add the documents of tests/versions_data.py and capture VERSION_VIEWS")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SKHCN_TODAY", TODAY)
    with tempfile.TemporaryDirectory(prefix="skhcn-shots-") as tmp:
        if args.with_versions:
            from tests.versions_data import make_raw

            paths = build_warehouse(Path(tmp), make_raw(Path(tmp) / "documents"))
        else:
            paths = build_warehouse(Path(tmp))
        if args.with_versions:  # the pages' own screenshots stay those of data/raw alone
            views = [(name, route, query) for name, (route, query) in VERSION_VIEWS.items()]
        else:
            views = [(info.name, info.route, QUERY.get(info.script, {})) for info in app_pages()]
        printed = {} if args.with_versions else PRINT_VIEWS
        # the toolbar as .streamlit/config.toml sets it for users (minimal: no menu, no "Deploy")
        with StreamlitServer(paths) as server, sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for name, route, query in views:
                    ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                    try:
                        page = ctx.new_page()
                        open_page(page, server, route, urlencode(query))
                        data = small_png(screenshot_full(page))
                    finally:
                        ctx.close()
                    _write(args.out / f"{name}.png", data)
                for name, route in printed.items():
                    ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
                    try:
                        page = ctx.new_page()
                        open_page(page, server, route)
                        data = small_png(printed_png(page))
                    finally:
                        ctx.close()
                    _write(args.out / f"{name}.png", data)
            finally:
                browser.close()
    return 0


def _write(target: Path, data: bytes) -> None:
    target.write_bytes(data)
    note = "" if len(data) <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB)"
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {len(data) // 1024} KB{note}")


if __name__ == "__main__":
    sys.exit(main())
