/* "Cite" on every quote (components/ui.py cite_control): opening the disclosure fetches the quote's
   citation from the API (/api/quotes/<id>) and shows its permalink, formatted citation and BibTeX,
   each with a copy button, and a link to the API's answer. Text only: nothing from the data is written as HTML. One listener for
   the whole page (event delegation), so quotes carry only their id. */
(function () {
  "use strict";

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallback(text); });
    }
    return Promise.resolve(fallback(text));
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function item(label, kind, value, isLink) {
    var row = node("div", "cite-item cite-" + kind);
    row.appendChild(node("div", "cite-label", label));
    var shown;
    if (isLink) {
      shown = node("a", "cite-value", value);
      shown.href = value;
    } else {
      shown = node(kind === "bibtex" ? "pre" : "p", "cite-value", value);
    }
    row.appendChild(shown);
    var button = node("button", "btn btn-outline-secondary btn-sm cite-copy", "Copy " + label.toLowerCase());
    button.type = "button";
    button.setAttribute("data-copy", value);
    row.appendChild(button);
    return row;
  }

  var TITLE = "Cite this quote: permalink, citation, BibTeX";

  function bodyOf(details) {  /* the quote carries only its id: the body is made here, once */
    var body = details.querySelector(".cite-body");
    if (!body) {
      body = node("div", "cite-body");
      var json = node("a", "cite-json", "Citation data (JSON)");
      json.href = "/api/quotes/" + encodeURIComponent(details.getAttribute("data-quote") || "");
      body.appendChild(json);
      details.appendChild(body);  /* after the summary React drew, never replacing it */
    }
    return body;
  }

  function fill(details, quote) {
    var body = bodyOf(details);
    var box = node("div", "cite-filled");
    box.appendChild(item("Permalink", "permalink", quote.permalink, true));
    box.appendChild(item("Citation", "text", quote.citation.text, false));
    box.appendChild(item("BibTeX", "bibtex", quote.citation.bibtex, false));
    var status = node("span", "cite-status small");
    status.setAttribute("role", "status");
    box.appendChild(status);
    body.appendChild(box);  /* added beside what React drew, never replacing it */
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details || !details.classList || !details.classList.contains("cite") || !details.open) { return; }
    bodyOf(details);
    if (details.getAttribute("data-state")) { return; }
    details.setAttribute("data-state", "loading");
    var id = details.getAttribute("data-quote") || "";
    fetch("/api/quotes/" + encodeURIComponent(id), {headers: {"Accept": "application/json"}})
      .then(function (resp) { if (!resp.ok) { throw new Error(String(resp.status)); } return resp.json(); })
      .then(function (data) { fill(details, data.quote); details.setAttribute("data-state", "ready"); })
      .catch(function () {
        details.removeAttribute("data-state");
        var body = bodyOf(details);
        if (!body.querySelector(".cite-error")) {
          body.appendChild(node("p", "cite-error small", "The citation could not be loaded; try again, or use the link above."));
        }
      });
  }, true);  /* toggle does not bubble: listen while it goes down */

  function titled(event) {  /* the summary's title, given when a pointer or the focus reaches it */
    var summary = event.target && event.target.closest ? event.target.closest(".cite-summary") : null;
    if (summary && !summary.title) { summary.title = TITLE; }
  }
  document.addEventListener("pointerover", titled);
  document.addEventListener("focusin", titled);

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest(".cite-copy") : null;
    if (!button) { return; }
    var box = button.closest(".cite-filled");
    var status = box ? box.querySelector(".cite-status") : null;
    var label = button.textContent.replace(/^Copy /, "");
    copyText(button.getAttribute("data-copy") || "").then(function (ok) {
      if (status) { status.textContent = ok ? "Copied the " + label + "." : "Select the " + label + " and copy it."; }
    });
  });
})();
