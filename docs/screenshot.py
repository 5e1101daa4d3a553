"""Retake the README's screenshot: the Beranda page of the demo dataset at 1280×720.

    .venv/bin/python docs/screenshot.py [--out docs/img/beranda.png] [--page beranda] [--lang id]

Starts the app (``tests/browser/conftest.py``'s ``Server``: ``python -m sinergi.serve`` on a free local
port, ``SINERGI_DATA_DIR`` a fresh temporary folder, so the demo builds itself on the first visit), opens the
page in Debian's ``/usr/bin/chromium`` with every non-local request blocked, waits until the map has drawn
its regions (and the page's charts theirs), scrolls the map to the middle of the window, takes the 1280×720
viewport and stores it as a palette PNG
(256 colours, optimised with Pillow) to keep the repository small. Prints the size of the file.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from tests.browser.conftest import Server, guarded_page, launch_guarded, map_frame  # noqa: E402

WIDTH, HEIGHT = 1280, 720


def capture(url: str, timeout_s: float) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, launch_guarded(p) as browser:
        page = guarded_page(browser)  # every non-local request blocked, listed in page.external
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        page.goto(url)
        frame = map_frame(page, timeout_s=timeout_s)  # the first visit builds the demo, then draws the map
        # the map sits below the page's figures: bring it to the middle of the 720 px (sidebar stays)
        frame.frame_element().evaluate("el => el.scrollIntoView({block: 'center'})")
        if page.locator(".js-plotly-plot").count():
            page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=timeout_s * 1000)
        page.wait_for_timeout(1500)  # Leaflet's fade-in and plotly's transitions settle
        png = page.screenshot()
    if page.external:
        print(f"blocked {len(page.external)} non-local request(s): {page.external[:3]}", file=sys.stderr)
    return png


def small_png(png: bytes) -> bytes:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "beranda.png")
    ap.add_argument("--page", default="", help="URL path of the page (default: '', Beranda; e.g. peta)")
    ap.add_argument("--lang", default="id", choices=["id", "en"])
    ap.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for the map")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sinergi-shot-") as tmp:
        server = Server(Path(tmp))
        try:
            query = "?lang=en" if args.lang == "en" else ""
            png = capture(f"{server.url}/{args.page}{query}", args.timeout)
        finally:
            server.stop()
    data = small_png(png)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{WIDTH}x{HEIGHT}, {len(data) / 1024:.0f} KB (raw screenshot {len(png) / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
