"""axe-core violations on a running server, counted by rule (nodes), with no exclusions: the
before/after figures of issue 17. The browser tests (tests/browser/test_a11y.py) are what holds
the pages at zero; this only counts, on any version of the app.

    .venv/bin/python -m dashboard serve --no-reload --port 8073 &     # the version to count
    .venv/bin/python benchmarks/axe_count.py 8073 [/more/paths ...]

Twelve views (matrix, filtered matrix, compare four, topic, organization, sources, about and the
analysis views) plus any given, at 1400 and 390 px; headless Chromium, 4 s per page to settle."""
import collections
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser import axe  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402



def main() -> None:
    axe.EXCLUSIONS = ()  # raw counts
    port = sys.argv[1]
    paths = ["/", "/?tradition=international-socialist&topic=ussr", "/compare?org=iso&org=psl&org=wsws&org=socialist-alternative",
             "/topics/china", "/organizations/iso", "/sources", "/about", "/agreement?org=iso", "/debates", "/coverage",
             "/timeline", "/lineage"] + sys.argv[2:]
    o = Options(); o.add_argument("--headless=new"); o.add_argument("--no-sandbox")
    d = webdriver.Chrome(options=o)
    total = collections.Counter()
    for width in (1400, 390):
        d.set_window_size(width, 900)
        for p in paths:
            d.get(f"http://127.0.0.1:{port}{p}"); time.sleep(4)
            for v in axe.run_axe(d):
                total[v["id"]] += len(v["nodes"])
    print(json.dumps({"pages": len(paths), "widths": [1400, 390], "nodes": sum(total.values()), "by_rule": dict(total.most_common())}))
    d.quit()


if __name__ == "__main__":
    main()
