"""axe-core in the browser tests: inject the vendored axe.min.js into the page a test has
open, run the WCAG 2.2 AA and best-practice rules, and describe what fails.

No network: the file is vendored in tests/browser/vendor/ (see its README for where it comes
from) and checked against its published hash before use."""
from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # sri-history.json of axe-core 4.14.1
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")

# (rule id, CSS selector the failing element must match exactly, why). Only for markup inside
# a third-party component that the project's own markup cannot change. Keep it short and exact.
EXCLUSIONS: tuple[tuple[str, str, str], ...] = (
    ("aria-hidden-focus", ".dash-dropdown-wrapper > input.dash-dropdown-focus-target[aria-hidden='true'][readonly]",
     "dcc.Dropdown (Dash 4.4.1) puts a hidden, read-only <input tabindex=0> before its button as a focus "
     "trampoline: on focus it hands focus straight to the button (and takes itself out of the tab order until "
     "the button blurs), so focus never rests on it; the component renders it, no prop removes it."),
    ("label-content-name-mismatch", ".dash-dropdown-wrapper > button.dash-dropdown",
     "dcc.Dropdown (Dash 4.4.1) draws its chosen values as adjacent spans with no space between them and puts "
     "a 'Clear selection' link inside its button, so axe reads its text as 'The USSRChina2 selectedClear "
     "selection'. dashboard/assets/a11y.js names the button by its label, values and count in the order shown "
     "('Topics The USSR China 2 selected'); the text inside is the component's own."),
)


@lru_cache(maxsize=1)
def axe_source() -> str:
    data = (VENDOR / "axe.min.js").read_bytes()
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert digest == AXE_SHA256, f"tests/browser/vendor/axe.min.js is not axe-core {AXE_VERSION} ({digest})"
    return data.decode("utf-8")


_RUN = """
var done = arguments[arguments.length - 1];
var exclusions = arguments[1];
function excluded(rule, el) {
  return exclusions.some(function (x) { return x[0] === rule && el && el.matches && el.matches(x[1]); });
}
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"],
                   reporter: "v1", elementRef: true})
  .then(function (r) {
    done(r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
              nodes: v.nodes.filter(function (n) { return !excluded(v.id, n.element); }).map(function (n) {
                return {target: n.target.map(String).join(" "), html: n.html.slice(0, 300),
                        summary: (n.failureSummary || "").slice(0, 400)};
              })};
    }).filter(function (v) { return v.nodes.length; }));
  })
  .catch(function (e) { done({error: String(e)}); });
"""


def run_axe(driver) -> list[dict]:
    """The page's violations, as axe reports them, less the exact exclusions above (matched in the page)."""
    if not driver.execute_script("return typeof window.axe === 'object' && window.axe.version;"):
        driver.execute_script(axe_source())
    version = driver.execute_script("return window.axe.version;")
    assert version == AXE_VERSION, version
    driver.set_script_timeout(60)
    out = driver.execute_async_script(_RUN, list(TAGS), [[rule, sel] for rule, sel, _ in EXCLUSIONS])
    assert not (isinstance(out, dict) and "error" in out), out
    return out


def describe(where: str, violations: list[dict], limit: int = 6) -> str:
    """Rule id, help text and the failing selectors, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['help']} <{v['helpUrl']}>")
        for n in v["nodes"][:limit]:
            lines.append(f"    {n['target']}    {n['summary'].splitlines()[-1] if n['summary'] else ''}")
        if len(v["nodes"]) > limit:
            lines.append(f"    ... and {len(v['nodes']) - limit} more")
    return "\n".join(lines)


def tally(results: dict[str, list[dict]]) -> dict[str, int]:
    """Failing nodes per rule over many pages."""
    counts: dict[str, int] = {}
    for violations in results.values():
        for v in violations:
            counts[v["id"]] = counts.get(v["id"], 0) + len(v["nodes"])
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def dump(path: str, results: dict[str, list[dict]]) -> None:
    Path(path).write_text(json.dumps({"tally": tally(results), "pages": results}, indent=1))
