/* The map of the organizations on /match (pages/match.py, "Where you stand"), drawn in the
   browser as plain SVG, with the reader's own point placed from their answers, which never
   leave this browser.

   The organizations' places are computed on the server from their positions alone
   (dashboard/data/orgmap.py: classical MDS of 1 - agreement) and shipped with the page. The
   reader's point follows orgmap.reader_point, the Python reference (tests/browser/test_orgmap.py
   holds the two together): their distance to each organization is 1 - the match page's score
   (window.tendencyMatch.score, assets/match.js), `fill` where they share no topic, and Gower's
   formula puts it on the same axes: y_k = sum_i (b_i - d_i^2) / 2 * x_ik / lambda_k.
   Every text is set as text (textContent, createTextNode), never parsed as markup. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var last = null;  /* what was drawn last, to draw again at a new width */

  /* window.tendencyOrgMap.place: {x, y, rests_on} or null (no answer) */
  function place(data, map, answers, weights, includeOthers) {
    var match = window.tendencyMatch;
    if (!map || !match || !match.validAnswers(data, answers, weights).length) { return null; }
    var res = match.score(data, answers, weights, includeOthers), score = {};
    res.ranked.concat(res.apart).forEach(function (r) { score[r.org.id] = r.score; });
    var d = map.orgs.map(function (o) {
      var s = score[o];
      return s === null || s === undefined ? map.fill : 1 - s;
    });
    var at = [0, 1].map(function (k) {
      var lambda = map.lambda[k];
      if (!(lambda > 1e-12)) { return 0.0; }
      var sum = 0.0;
      for (var i = 0; i < d.length; i++) { sum += (map.b[i] - d[i] * d[i]) / 2 * map.x[i][k]; }
      return sum / lambda;
    });
    var mapped = {}, held = {};
    map.orgs.forEach(function (o) { mapped[o] = true; });
    data.orgs.forEach(function (o) {
      if (!mapped[o.id]) { return; }
      Object.keys(o.stances).forEach(function (t) {
        if (o.stances[t].own || includeOthers) { held[t] = true; }
      });
    });
    var rests = match.validAnswers(data, answers, weights).filter(function (k) { return held[k[0]]; }).length;
    return {x: at[0], y: at[1], rests_on: rests};
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.appendChild(document.createTextNode(text)); }
    return node;
  }

  function html(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") { node.className = attrs[k]; } else { node.setAttribute(k, String(attrs[k])); }
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    });
    return node;
  }

  function signed(v) { return (v >= 0 ? "+" : "\u2212") + Math.abs(v).toFixed(2); }

  /* The map as SVG, at the box's width: organizations as linked points (hollow: too little
     evidence), points at one place sharing one label, and the reader's point. */
  function picture(box, map, you) {
    var w = Math.max(box.clientWidth || 0, 260), h = Math.round(Math.min(Math.max(w * 0.7, 240), 400));
    var margin = {x: 24, top: 46, bottom: 30};  /* room for the labels above points and the axes' ends */
    var pts = map.x.concat(you ? [[you.x, you.y]] : []);
    var xs = pts.map(function (p) { return p[0]; }), ys = pts.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs.concat([0])), x1 = Math.max.apply(null, xs.concat([0]));
    var y0 = Math.min.apply(null, ys.concat([0])), y1 = Math.max.apply(null, ys.concat([0]));
    /* one scale for both axes: distances on the page are distances on the map */
    var k = Math.min((w - 2 * margin.x) / Math.max(x1 - x0, 1e-6), (h - margin.top - margin.bottom) / Math.max(y1 - y0, 1e-6));
    var cx = (w - k * (x1 + x0)) / 2, cy = margin.top + (h - margin.top - margin.bottom) / 2 + k * (y1 + y0) / 2;
    function px(v) { return cx + k * v; }
    function py(v) { return cy - k * v; }
    var root = svg("svg", {width: w, height: h, viewBox: "0 0 " + w + " " + h, "class": "org-map-svg",
                           "aria-hidden": "true", focusable: "false"});
    root.appendChild(svg("rect", {x: 0, y: 0, width: w, height: h, fill: "#fafafa"}));
    root.appendChild(svg("line", {x1: 0, x2: w, y1: py(0), y2: py(0), stroke: "#bbb", "stroke-dasharray": "3 3"}));
    root.appendChild(svg("line", {x1: px(0), x2: px(0), y1: 0, y2: h, stroke: "#bbb", "stroke-dasharray": "3 3"}));
    var ends = map.ends || [["", ""], ["", ""]];
    var small = {"font-size": 11, fill: "#444"};
    root.appendChild(svg("text", Object.assign({x: 4, y: h - 6}, small), "\u2190 " + ends[0][0]));
    root.appendChild(svg("text", Object.assign({x: w - 4, y: h - 6, "text-anchor": "end"}, small), ends[0][1] + " \u2192"));
    root.appendChild(svg("text", Object.assign({x: 4, y: 12}, small), "\u2191 " + ends[1][1]));
    root.appendChild(svg("text", Object.assign({x: 4, y: 24}, small), "\u2193 " + ends[1][0]));
    var labelled = {};
    map.orgs.forEach(function (o, i) {
      var at = px(map.x[i][0]).toFixed(1) + "," + py(map.x[i][1]).toFixed(1);
      if (labelled[at]) { labelled[at].textContent += ", " + map.names[i]; }
      var a = svg("a", {href: "/organizations/" + encodeURIComponent(o), "data-app-link": "", tabindex: "-1",
                        "class": "org-map-point" + (map.thin[i] ? " thin" : ""), "data-org": o});
      a.appendChild(svg("circle", {cx: px(map.x[i][0]), cy: py(map.x[i][1]), r: 6, "stroke-width": 2,
                                   stroke: "#0072B2", fill: map.thin[i] ? "#ffffff" : "#0072B2"}));
      if (!labelled[at]) {
        labelled[at] = svg("text", {x: px(map.x[i][0]), y: py(map.x[i][1]) - 9, "text-anchor": "middle",
                                    "font-size": 11, fill: "#1a1a1a"}, map.names[i]);
        a.appendChild(labelled[at]);
      }
      root.appendChild(a);
    });
    if (you) {
      var x = px(you.x), y = py(you.y), r = 8;
      var g = svg("g", {"class": "org-map-you" + (you.rests_on < map.min_shared ? " thin" : "")});
      g.appendChild(svg("path", {d: "M" + x + " " + (y - r) + "L" + (x + r) + " " + y + "L" + x + " " + (y + r) + "L" +
                                     (x - r) + " " + y + "Z", fill: you.rests_on < map.min_shared ? "#ffffff" : "#000000",
                                 stroke: "#000000", "stroke-width": 2}));
      g.appendChild(svg("text", {x: x + r + 3, y: y + 4, "font-size": 12, "font-weight": 700, fill: "#000000"}, "You"));
      root.appendChild(g);
    }
    return root;
  }

  function table(map, you) {
    var rows = map.orgs.map(function (o, i) {
      return html("tr", {className: "org-map-row", "data-org": o}, [
        html("th", {scope: "row"}, [html("a", {href: "/organizations/" + encodeURIComponent(o), "data-app-link": ""},
                                         [map.full[i]])]),
        html("td", {}, [signed(map.x[i][0])]), html("td", {}, [signed(map.x[i][1])]),
        html("td", {}, [String(map.rests_on[i])]), html("td", {}, [map.thin[i] ? "too little evidence" : "enough"])]);
    });
    if (you) {
      rows.unshift(html("tr", {className: "org-map-row org-map-you-row"}, [
        html("th", {scope: "row"}, ["You"]), html("td", {}, [signed(you.x)]), html("td", {}, [signed(you.y)]),
        html("td", {}, [String(you.rests_on)]),
        html("td", {}, [you.rests_on < map.min_shared ? "too little evidence" : "enough"])]));
    }
    return html("table", {className: "table table-sm org-map-table"}, [
      html("caption", {}, ["Each point on the map: across (left \u2212, right +) and up (+) or down (\u2212); the topics "
                           + "its place rests on; fewer than " + map.min_shared + " is too little evidence."]),
      html("thead", {}, [html("tr", {}, ["Organization", "Across", "Up", "Shared topics", "Evidence"].map(function (c) {
        return html("th", {scope: "col"}, [c]);
      }))]),
      html("tbody", {}, rows)]);
  }

  function nearest(map, you) {
    var d = map.orgs.map(function (o, i) {
      return [Math.hypot(map.x[i][0] - you.x, map.x[i][1] - you.y), map.full[i]];
    });
    d.sort(function (a, b) { return a[0] - b[0]; });
    return d.slice(0, 2).map(function (x) { return x[1]; });
  }

  function status(map, you) {
    if (!map) { return "Too few organizations share a topic in these words to draw a map."; }
    if (!you) { return "Answer a question to see your own point on the map."; }
    var n = you.rests_on + " answered topic" + (you.rests_on === 1 ? "" : "s");
    var near = nearest(map, you);
    return "Your point (\u25c6), placed here in your browser over " + n + ", lies nearest to " + near.join(" and ") + "."
      + (you.rests_on < map.min_shared ? " That is too little evidence to place you firmly: answer more questions." : "");
  }

  function render() {
    if (!last) { return; }
    var box = document.getElementById("match-map-box"), rows = document.getElementById("match-map-table");
    if (!box || !rows) { return; }
    if (!last.map) {
      box.replaceChildren(html("p", {className: "no-evidence small"}, [status(null, null)]));
      rows.replaceChildren();
      return;
    }
    box.replaceChildren(picture(box, last.map, last.you));
    rows.replaceChildren(table(last.map, last.you));
  }

  /* The page's container may draw the page afresh after the first placing (a new, empty box):
     whenever the box is empty, draw what was placed last. */
  new MutationObserver(function () {
    var box = last && document.getElementById("match-map-box");
    if (box && !box.firstChild) { render(); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(); });
  });

  function byTopic(ids, values) {
    var out = {};
    (ids || []).forEach(function (id, i) { out[id.topic] = values[i]; });
    return out;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.orgmap = {
    /* The clientside callback of pages/match.py: the answers are read here and go nowhere. */
    place: function (answers, weights, mode, ids, data, maps) {
      if (!data || !maps || !ids) { return window.dash_clientside.no_update; }
      var a = byTopic(ids, answers), w = {}, wb = byTopic(ids, weights);
      Object.keys(wb).forEach(function (t) { w[t] = wb[t] ? 2 : 1; });
      var map = maps[mode === "all" ? "all" : "own"];
      var you = map ? place(data, map, a, w, mode === "all") : null;
      last = {map: map, you: you};
      render();
      return [status(map, you), mode === "all", mode !== "all"];
    }
  };
  window.tendencyOrgMap = {place: place};
})();
