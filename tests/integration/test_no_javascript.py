"""What a reader gets before (and without) JavaScript: the HTML the server sends for an address."""
from __future__ import annotations


def test_every_page_links_the_site_stylesheets_and_scripts(dash_client):
    html = dash_client.client.get("/about").get_data(as_text=True)
    for asset in ("bootstrap.min.css", "site.css", "match.js", "a11y.js"):
        assert f"/assets/{asset}?m=" in html, asset
    assert dash_client.client.get("/assets/site.css").status_code == 200
