/* Accessibility fixes for third-party markup the pages cannot change otherwise.

   Dash 4's dcc.Dropdown names its button by its current value only (aria-labelledby =
   "<id>-value-count <id>-value"), so a screen reader hears "2 selected, ISO, PSL" with no
   "Topics", and the count comes before the values it follows on screen. Here each dropdown
   that has a <label for=...> is named by that label, then its values, then the count: the
   visible text, in order (WCAG 1.3.1, 2.5.3, 4.1.2). React leaves the attribute alone
   afterwards (its value never changes for a given id), and new dropdowns are fixed as the
   router inserts them. */
(function () {
  "use strict";
  function nameDropdowns() {
    var buttons = document.querySelectorAll("button.dash-dropdown[id]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (!label) { continue; }
      if (!label.id) { label.id = button.id + "-label"; }
      var wanted = label.id + " " + button.id + "-value " + button.id + "-value-count";
      if (button.getAttribute("aria-labelledby") !== wanted) { button.setAttribute("aria-labelledby", wanted); }
    }
  }
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; nameDropdowns(); });
  }
  function start() {
    nameDropdowns();
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
