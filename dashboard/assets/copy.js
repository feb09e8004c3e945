/* Copying an address: the navigation bar's "Copy link" (app.py) and the match page's
   (match.js). The clipboard API where the page is a secure context, else a selected text
   area and the copy command. Returns whether the address was (or is being) copied. */
(function () {
  "use strict";
  function fallback(text) {
    var input = document.createElement("textarea");
    input.value = text; document.body.appendChild(input); input.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(input);
    return ok;
  }
  window.tendencyCopy = function (text) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).catch(function () { fallback(text); });
      return true;
    }
    return fallback(text);
  };
})();
