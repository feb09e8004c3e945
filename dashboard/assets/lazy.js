/* A stance whose quotes load when opened (components/ui.py lazy_evidence, pages/lazy.py): a link
   to it within the page (the organization page's "what others say" refers to such a stance's
   quotes by its anchor, #topic-<id>) opens it, as a click on its summary would, so that the
   quote is one click away. Also when the page is opened at such an address. */
(function () {
  "use strict";

  function openAt(hash) {
    if (!hash || hash.length < 2) { return false; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) { return false; }
    var closed = target.matches && target.matches("details.lazy-quotes") ? target
      : target.querySelector ? target.querySelector("details.lazy-quotes:not([open])") : null;
    if (closed && !closed.open) {
      var summary = closed.querySelector("summary");
      if (summary) { summary.click(); }  /* opens it and counts the click that loads it */
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (link) { setTimeout(function () { openAt(link.getAttribute("href")); }, 0); }
  });
  window.addEventListener("hashchange", function () { openAt(window.location.hash); });

  /* an address with an anchor: the page is drawn after the document loads */
  var tries = 0;
  function atLoad() {
    if (openAt(window.location.hash) || tries++ > 50) { return; }
    setTimeout(atLoad, 100);
  }
  if (window.location.hash) { setTimeout(atLoad, 100); }
})();
