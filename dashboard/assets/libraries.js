/* Component libraries that only some pages use (AG Grid, Cytoscape: dashboard/app/prerender.py,
   DEFERRED) are not among every page's scripts; their addresses are, as data (#atlas-libraries).
   Until one is loaded, each of its components is drawn by a stand-in that keeps its place (a
   grid: a plain table of its first page of rows, as the server drew it) and loads the library's
   scripts when it comes near the screen. Then the stand-in changes a prop no one reads (a CSS
   variable in its style), Dash draws the component again, and this time finds the real one.
   (The stand-in never draws the real component itself: AG Grid inside another component
   answered each of its own changes with another, forever.) */
(function () {
  "use strict";
  var data = document.getElementById("atlas-libraries");
  if (!data || !window.React || !window.Proxy) { return; }
  var libraries = JSON.parse(data.textContent);
  var h = React.createElement;

  function loadScripts(urls) {
    return urls.reduce(function (done, url) {
      return done.then(function () {
        return new Promise(function (resolve, reject) {
          var s = document.createElement("script");
          s.src = url;
          s.onload = resolve;
          s.onerror = function () { reject(new Error("could not load " + url)); };
          document.head.appendChild(s);
        });
      });
    }, Promise.resolve());
  }

  function gridTable(props) {  // the grid's first page of rows, as the server draws it
    var columns = (props.columnDefs || []).filter(function (c) { return c && c.field; });
    var options = props.dashGridOptions || {};
    var rows = (props.rowData || []).slice(0, options.paginationPageSize || 20);
    var head = h("tr", null, columns.map(function (c) { return h("th", {scope: "col", key: c.field}, c.headerName || c.field); }));
    var body = rows.length ? rows.map(function (row, i) {
      return h("tr", {key: i}, columns.map(function (c) {
        var v = row[c.field];
        if (c.cellRenderer && typeof v === "string" && v.charAt(0) === "/") {
          return h("td", {key: c.field}, h("a", {href: v, className: "read-link"}, "Read in context"));
        }
        return h("td", {key: c.field}, v === null || v === undefined ? "" : String(v));
      }));
    }) : h("tr", null, h("td", {colSpan: columns.length || 1}, (options.localeText || {}).noRowsToShow || ""));
    return h("table", {className: "table table-sm"}, h("thead", null, head), h("tbody", null, body));
  }

  Object.keys(libraries).forEach(function (name) {
    var real = null, loading = null, stubs = {};
    function load() {
      if (!loading) {
        loading = loadScripts(libraries[name]).then(function () {
          if (!real) { throw new Error(name + " did not load"); }
        });
        loading.catch(function (err) { console.error(err); });
      }
      return loading;
    }
    function stub(type) {
      if (stubs[type]) { return stubs[type]; }
      var Stub = function (props) {
        var box = React.useRef(null);
        var state = React.useState(!!real), ready = state[0], setReady = state[1];
        React.useEffect(function () {
          if (ready) { return undefined; }
          var gone = false, seen = null;
          var go = function () { load().then(function () { if (!gone) { setReady(true); } }); };
          if (window.IntersectionObserver && box.current) {
            seen = new IntersectionObserver(function (entries) {
              if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); go(); }
            }, {rootMargin: "200px 0px"});
            seen.observe(box.current);
          } else {
            go();
          }
          return function () { gone = true; if (seen) { seen.disconnect(); } };
        }, [ready]);
        React.useEffect(function () {
          // loaded: a change of props makes Dash draw this component again, now of the real type
          // (a CSS variable no style sheet reads: a change Dash sees, and nothing else does)
          if (ready && props.setProps) { props.setProps({style: Object.assign({"--loaded": 1}, props.style)}); }
        }, [ready]);
        var grid = name === "dash_ag_grid";
        return h("div", {
          ref: box, id: props.id, style: grid ? undefined : props.style,
          className: [props.className, grid ? "prerendered-grid table-responsive" : "prerendered-placeholder"]
            .filter(Boolean).join(" ")
        }, grid ? gridTable(props) : null);
      };
      Stub.displayName = "Deferred(" + name + "." + type + ")";
      stubs[type] = Stub;
      return Stub;
    }
    var proxy = new Proxy({}, {
      get: function (target, type) { return typeof type === "string" ? stub(type) : undefined; }
    });
    Object.defineProperty(window, name, {
      configurable: true,
      get: function () { return real || proxy; },
      set: function (value) { real = value; }
    });
  });
}());
