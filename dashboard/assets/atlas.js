/* The clientside callbacks of the shell and the pages, as ClientsideFunction("atlas", name):
   the navigation bar (app/__init__.py), live reload (app/reload.py), the reader (pages/source.py)
   and the matrix's evidence panel (pages/matrix.py). Served on every page, as every asset is. */
(function () {
  "use strict";
  var noUpdate = function () { return window.dash_clientside.no_update; };

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = {
    /* "Copy link": the address of this view, copied (copy.js) or shown to copy by hand */
    copyLink: function (n) {
      if (!n) { return ""; }
      var url = window.location.href;
      return window.tendencyCopy(url) ? "Link copied: " + url : "Copy this address: " + url;
    },

    /* the navigation bar's toggler on a narrow screen */
    toggle: function (n, open) { return n ? !open : open; },

    /* live reload: the data changed since this page was built, so build it again (its address
       holds its state) */
    reloadSeen: function (state, seen) {
      if (!state) { return noUpdate(); }
      if (seen !== null && seen !== undefined && state.version !== seen) {
        window.location.reload();
      }
      return state.version;
    },

    /* the reader opened at a quote: scroll to its mark and focus it, once it is drawn */
    scrollToMark: function (target) {
      if (!target) { return ""; }
      var tries = 0;
      function go() {
        var el = document.getElementById(target);
        if (el) { el.scrollIntoView({block: "center", behavior: "instant"}); el.focus({preventScroll: true}); return; }
        if (tries++ < 30) { setTimeout(go, 100); }
      }
      setTimeout(go, 250);
      return target;
    },

    /* the matrix: remember the open stance's cell while its evidence panel is open ... */
    rememberStance: function (stance) {
      if (stance) { window.atlasOpenStance = stance; }
      return noUpdate();
    },

    /* ... and when the panel closes, put the keyboard focus back on that cell */
    focusCell: function (isOpen) {
      var stance = window.atlasOpenStance;
      if (isOpen || !stance) { return ""; }
      var dot = stance.indexOf(".");
      var id = JSON.stringify({org: stance.slice(0, dot), topic: stance.slice(dot + 1), type: "cell"});
      var tries = 0, checks = 0;
      function back() {
        var closing = document.querySelector(".offcanvas.show, .offcanvas.hiding, .offcanvas-backdrop");
        if (closing && tries++ < 40) { setTimeout(back, 50); return; }
        var cell = document.getElementById(id);
        if (!cell) { return; }
        var lost = document.activeElement;
        if (!lost || lost === document.body || lost.id === "main" || lost.closest(".offcanvas")) {
          cell.focus();
          if (!checks) { keep(cell); }
        }
        // the panel hands focus back to what had it before it opened, a moment after it closes
        if (checks++ < 25) { setTimeout(back, 100); }
      }
      /* Bootstrap's hand-back (to whatever had the focus when the panel opened: after Back, the
         page's main region) comes after the cell has it: take it straight back, in the same
         moment, unless the reader has pressed a key or pointed since. */
      function keep(cell) {
        var moved = false;
        function input() { moved = true; }
        function refocus(event) {
          var t = event.target;
          if (!moved && t !== cell && (t.id === "main" || (t.closest && t.closest(".offcanvas")))) { cell.focus(); }
        }
        document.addEventListener("keydown", input, true);
        document.addEventListener("pointerdown", input, true);
        document.addEventListener("focusin", refocus, true);
        setTimeout(function () {
          document.removeEventListener("keydown", input, true);
          document.removeEventListener("pointerdown", input, true);
          document.removeEventListener("focusin", refocus, true);
        }, 3000);
      }
      setTimeout(back, 50);
      return stance;
    }
  };
})();
