"""Take screenshots of the real running app for the README.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Starts the app on a free loopback port, opens each view in headless Chromium, and saves PNGs.
"""
from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VIEWS = [
    ("matrix", "/", ".matrix-table", (1400, 1100)),
    ("compare", "/compare?org=iso&org=psl&topic=ussr&topic=china", ".compare-row", (1400, 1100)),
    ("reader", None, ".reader-mark.is-target", (1400, 1000)),
    ("matrix-phone", "/?tradition=international-socialist", ".matrix-table", (390, 844)),
    ("agreement", "/agreement?org=iso", ".agreement-graph .main-svg", (1400, 1300)),
    ("debates", "/debates?edge=wsws.iso", "#debates-graph canvas", (1400, 1000)),
    ("coverage", "/coverage", ".coverage-table", (1400, 1000)),
    ("timeline", "/timeline", "#timeline-graph .main-svg", (1400, 1000)),
    ("lineage", "/lineage", ".lineage-tree", (1400, 1000)),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    from dashboard.app import create_app
    from dashboard.components.context import STORE_KEY

    app = create_app()
    store = app.server.config[STORE_KEY]
    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    ev = next(e for e in store.evidence if e.organization == "iso" and e.topic == "ussr" and e.attribution == "self")
    options = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--disable-background-networking", "--hide-scrollbars"):
        options.add_argument(a)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options)
    try:
        for name, path, selector, (w, h) in VIEWS:
            if path is None:
                path = f"/sources/{ev.source}?quote={ev.quote_id}"
            driver.set_window_size(w, h)
            driver.get(f"http://127.0.0.1:{port}{path}")
            WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
            time.sleep(1.0)
            target = out / f"{name}.png"
            driver.save_screenshot(str(target))
            print(f"wrote {target.relative_to(ROOT)}")
    finally:
        driver.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
