/* The server sends the page already drawn (#prerendered: dashboard/app/prerender.py) and Dash
   draws it again, hidden, in #react-entry-point. Once Dash's page is in, as tall as the server's
   (components drawn by a script loaded later, a dropdown, first take less room) and settled (no
   change for a moment), the two are swapped in one frame: the server's copy goes, Dash's is
   shown where it was, the scroll position is kept and the focused element's counterpart (same
   id, else the same place in the tree) takes the focus. Without JavaScript, or if Dash never
   draws the page, the server's copy simply stays. */
(function () {
  "use strict";
  var pre = document.getElementById("prerendered");
  var root = document.getElementById("react-entry-point");
  if (!pre || !root) { return; }
  var QUIET_MS = 100, LONGEST_MS = 3000, done = false, timer = null, first = 0;

  function placeOf(el) {  // child indexes from #prerendered down to el
    var place = [];
    while (el && el !== pre) {
      place.unshift(Array.prototype.indexOf.call(el.parentNode.children, el));
      el = el.parentNode;
    }
    return el === pre ? place : null;
  }
  function atPlace(place) {
    var el = root;
    for (var i = 0; el && i < place.length; i++) { el = el.children[place[i]]; }
    return el;
  }
  function swap() {
    if (done) { return; }
    done = true;
    watch.disconnect();
    var x = window.scrollX, y = window.scrollY;
    var active = document.activeElement;
    var focused = active && active !== pre && pre.contains(active) ? active : null;
    var place = focused && placeOf(focused), id = focused && focused.id;
    pre.remove();
    root.classList.remove("prerendering");
    window.scrollTo(x, y);
    if (focused) {
      var target = (id && document.getElementById(id)) || (place && atPlace(place));
      if (target && root.contains(target) && target.focus) { target.focus({preventScroll: true}); }
    }
  }

  function drawn() {
    var content = root.querySelector("#_pages_content"), ours = pre.querySelector("#_pages_content");
    return content && content.firstElementChild && (!ours || content.offsetHeight >= ours.offsetHeight - 2);
  }
  var watch = new MutationObserver(function () {
    var content = root.querySelector("#_pages_content");
    if (!content || !content.firstElementChild) { return; }
    if (!first) {  // never wait longer than LONGEST_MS from here, whatever keeps changing
      first = Date.now();
      setTimeout(swap, LONGEST_MS);
    }
    clearTimeout(timer);
    if (drawn()) { timer = setTimeout(swap, QUIET_MS); }
  });
  watch.observe(root, {childList: true, subtree: true, attributes: true, characterData: true});
}());
