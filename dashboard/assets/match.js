/* "Where do I fit?" (pages/match.py): the match, computed in the browser.

   A person's answers never leave this browser. They are read from and written to the address's
   fragment (#mode=all&ussr=...&more=ussr,syria), which browsers never send to a server; the
   score is computed here on the data the page holds (match.py browser_data; the quotes' texts
   come in one file, the same for every visitor, fetched without an answer), and the results
   are drawn as Dash components (never as HTML). The score follows dashboard/data/fit.py, the
   plain reference, operation for operation (tests/browser/test_match.py compares the two on
   many random answer sets): window.tendencyMatch.score is that computation. */
(function () {
  "use strict";

  var HTML = "dash_html_components", DCC = "dash_core_components";
  var written = null;  /* the fragment this page last wrote: another one is the reader's own */

  /* A DOM element: attributes set one by one, text as text nodes (never parsed as HTML). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === "className") { node.className = v; } else { node.setAttribute(k, v === true ? "" : String(v)); }
    });
    add(node, children);
    return node;
  }
  function add(node, children) {
    if (children === null || children === undefined || children === "") { return; }
    if (Array.isArray(children)) { children.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(typeof children === "object" ? children : document.createTextNode(String(children)));
  }
  /* A link within the app: followed as Dash's own links are, without reloading the page. */
  function link(href, children, attrs) {
    var a = attrs || {};
    a.href = href; a["data-app-link"] = true;
    return el("a", a, children);
  }
  document.addEventListener("click", function (event) {
    var a = event.target && event.target.closest ? event.target.closest("a[data-app-link]") : null;
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
        || event.altKey) { return; }
    event.preventDefault();
    window.history.pushState({}, "", a.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });

  /* The offered answers of each topic, as a set. */
  function offered(data) {
    var out = {};
    data.topics.forEach(function (t) {
      out[t.id] = {};
      t.options.forEach(function (o) { out[t.id][o.id] = true; });
    });
    return out;
  }

  /* fit.valid_answers: [[topic, answer, weight], ...] in the topics' order, offered answers only. */
  function validAnswers(data, answers, weights) {
    var ok = offered(data), kept = [];
    data.topics.forEach(function (t) {
      var a = answers[t.id];
      if (a && ok[t.id][a]) { kept.push([t.id, a, weights[t.id] === 2 ? 2 : 1]); }
    });
    return kept;
  }

  /* analysis.position_agreement */
  function agreement(data, topic, a, b) {
    if (a === b) { return data.same; }
    var pa = data.positions[topic][a], pb = data.positions[topic][b];
    if (pa && pb && pa.family && pa.family === pb.family) { return data.family; }
    return 0.0;
  }

  /* fit.result_for */
  function resultFor(data, org, kept, includeOthers) {
    var rows = [], total = 0, got = 0.0, shared = 0;
    kept.forEach(function (k) {
      var t = k[0], a = k[1], w = k[2], st = org.stances[t];
      var pos = st && (st.own || includeOthers) ? st.p : null;
      var agree = pos !== null ? agreement(data, t, a, pos) : null;
      if (agree !== null) { shared += 1; total += w; got += w * agree; }
      rows.push({topic: t, answer: a, weight: w, position: pos, agreement: agree, stance: st || null});
    });
    return {org: org, score: total ? got / total : null, shared: shared, rows: rows};
  }

  /* fit.match: {ranked, apart}, each a list of results. */
  function score(data, answers, weights, includeOthers) {
    var kept = validAnswers(data, answers, weights);
    if (!kept.length) { return {ranked: [], apart: [], answered: 0}; }
    var results = [];
    data.orgs.forEach(function (o) {
      if (kept.some(function (k) { return o.stances[k[0]] !== undefined; })) {
        results.push(resultFor(data, o, kept, includeOthers));
      }
    });
    var ranked = results.filter(function (r) { return r.shared >= data.min_shared; });
    var apart = results.filter(function (r) { return r.shared < data.min_shared; });
    ranked.sort(function (x, y) {
      return (y.score || 0) - (x.score || 0) || y.shared - x.shared || x.org.rank - y.org.rank;
    });
    apart.sort(function (x, y) { return y.shared - x.shared || x.org.rank - y.org.rank; });
    return {ranked: ranked, apart: apart, answered: kept.length};
  }

  /* The state in the fragment, and back. */
  function readHash(data) {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var ok = offered(data), answers = {}, weights = {}, dropped = [], mode = "own";
    params.forEach(function (value, key) {
      if (key === "mode") {
        if (data.modes[value]) { mode = value; } else { dropped.push(key + "=" + value); }
      } else if (key === "more") {
        value.split(",").forEach(function (t) {
          if (ok[t]) { weights[t] = 2; } else if (t) { dropped.push("more=" + t); }
        });
      } else if (ok[key] && ok[key][value]) {
        answers[key] = value;
      } else {
        dropped.push(key + "=" + value);
      }
    });
    return {answers: answers, weights: weights, mode: mode, dropped: dropped};
  }

  function writeHash(data, answers, weights, mode) {
    var parts = [];
    if (mode === "all") { parts.push("mode=all"); }
    var more = [];
    data.topics.forEach(function (t) {
      if (answers[t.id]) {
        parts.push(encodeURIComponent(t.id) + "=" + encodeURIComponent(answers[t.id]));
        if (weights[t.id] === 2) { more.push(t.id); }
      }
    });
    if (more.length) { parts.push("more=" + more.map(encodeURIComponent).join(",")); }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (window.location.hash !== hash) {
      /* replaceState: an answer is not a page of the history; no request is made */
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search + hash);
    }
    written = hash;
  }

  function byTopic(ids, values) {
    var out = {};
    (ids || []).forEach(function (id, i) { out[id.topic] = values[i]; });
    return out;
  }

  function pct(x) { return Math.round(x * 100) + "%"; }

  function positionLabel(data, topic, id) {
    var p = data.positions[topic][id];
    return p ? p.label : id;
  }

  /* the attribution badge of components/ui.py, with its words (match.py browser_data "words") */
  function badge(data, attribution) {
    var w = data.words;
    return el("span", {className: "badge attr-badge attr-" + attribution, title: w.attribution_help[attribution] || ""},
              w.attribution[attribution] || attribution);
  }

  /* The strongest quotes' texts: one file, the same for every visitor (match.py quotes_file),
     fetched once, when the reader first has results (the browser idle) or opens an explanation;
     its address carries no answer. Until it is here an explanation shows where each quote will
     be, and says so if it could not be loaded (the next explanation opened tries again). */
  var texts = null, fetching = false, failed = false;
  function fetchQuotes(data) {
    if (texts || fetching || !data.quotes) { return; }
    fetching = true; failed = false; fillQuotes();
    fetch(data.quotes, {credentials: "same-origin"}).then(function (resp) {
      if (!resp.ok) { throw new Error("HTTP " + resp.status); }
      return resp.json();
    }).then(function (body) { texts = body.texts || {}; }, function () { failed = true; })
      .then(function () { fetching = false; fillQuotes(); });
  }
  function whenIdle(fn) {
    if (window.requestIdleCallback) { window.requestIdleCallback(fn, {timeout: 3000}); } else { setTimeout(fn, 200); }
  }
  function quoteText(q) {
    if (texts && texts[q.id] !== undefined) {
      return el("blockquote", {className: "match-quote quote-" + q.attribution}, "\u201c" + texts[q.id] + "\u201d");
    }
    var words = texts ? "This quote's text is not in the file this page loaded: \u201cRead in the source\u201d has it."
      : failed ? "The quote could not be loaded: \u201cRead in the source\u201d has it."
      : "Loading the quote\u2026";
    return el("p", {className: "match-quote-pending small text-body-secondary" + (failed ? " match-quote-failed" : ""),
                    "data-quote": q.id, "data-attribution": q.attribution}, words);
  }
  /* every explanation drawn before the texts came (or failed to), brought up to date */
  function fillQuotes() {
    document.querySelectorAll(".match-quote-pending").forEach(function (node) {
      node.replaceWith(quoteText({id: node.dataset.quote, attribution: node.dataset.attribution}));
    });
  }

  function whyTable(data, r, names) {
    var bodies = r.rows.map(function (row) {
      var st = row.stance, q = st && st.quote;
      var words = data.words;  /* fit.Row.word */
      var word = row.agreement !== null
        ? words.agreement.filter(function (kv) { return kv[0] === row.agreement; })[0][1]
        : (st ? words.others_only : words.not_in_sources);
      var its = st ? [positionLabel(data, row.topic, st.p)] : ["\u2014"];
      if (st && st.reading) {  /* marked, and its reasoning one click (or Enter) away */
        its.push(" ");
        its.push(el("span", {className: "badge reading-mark"}, "\u2248 " + data.reading_label));
        its.push(el("details", {className: "reading-note small"}, [
          el("summary", {className: "reading-summary"}, data.reading_why),
          el("p", {className: "reading-text mb-0"}, [el("span", {className: "visually-hidden"}, "The editors' reasoning: "),
                                                     st.reading])
        ]));
      }
      var href = q && "/sources/" + encodeURIComponent(q.source) + "?quote=" + encodeURIComponent(q.id);
      var quote = q ? [
        quoteText(q),
        el("div", {className: "quote-meta small"}, [
          el("span", {className: "speaker"}, q.speaker), " ", badge(data, q.attribution), " \u00b7 ",
          link(href, "Read in the source", {className: "read-link", title: "Open the source at this quote"})
        ])
      ] : "No quote";
      /* one body per topic: its comparison, then its strongest quote across the row */
      return el("tbody", {className: "match-row match-" + word.split(" ")[0].replace("'", "")}, [
        el("tr", {}, [
          el("th", {scope: "rowgroup", rowspan: 2}, names[row.topic]),
          el("td", {}, [positionLabel(data, row.topic, row.answer),
                        row.weight === 2 ? el("span", {className: "match-more small"}, " (\u00d72)") : ""]),
          el("td", {}, its),
          el("td", {className: "match-word"}, word),
          el("td", {className: "small"}, st ? st.strength : "The sources hold nothing on this topic for it.")
        ]),
        el("tr", {className: "match-quote-row"}, [
          el("td", {colspan: 4, className: "match-quote-cell"},
             [el("span", {className: "visually-hidden"}, "Strongest quote: ")].concat(quote))
        ])
      ]);
    });
    return el("div", {className: "table-responsive"}, el("table", {className: "table table-sm match-why-table"}, [
      el("caption", {className: "visually-hidden"}, "Why " + r.org.name + " scores as it does, topic by topic"),
      el("thead", {}, el("tr", {}, ["Topic", "Your answer", "Its position", "Agreement", "How firmly"]
        .map(function (c) { return el("th", {scope: "col"}, c); })))
    ].concat(bodies)));
  }

  function resultItem(data, r, ranked, topOthers, answeredTopics, names, answered) {
    var o = r.org;
    var compareWith = [o.id].concat(topOthers.filter(function (x) { return x !== o.id; }).slice(0, 2));
    var compareHref = "/compare?" + compareWith.map(function (x) { return "org=" + encodeURIComponent(x); }).join("&")
      + answeredTopics.map(function (t) { return "&topic=" + encodeURIComponent(t); }).join("");
    var orgHref = "/organizations/" + encodeURIComponent(o.id);
    var over = "over " + r.shared + " of your " + answered + " answer" + (answered === 1 ? "" : "s");
    var head = [link(orgHref, o.name, {className: "match-org-name fw-semibold"})];
    if (ranked) {
      head.push(" ");
      head.push(el("span", {className: "match-score badge text-bg-primary"}, pct(r.score)));
    }
    head.push(el("span", {className: "match-over small text-body-secondary"},
                 " " + (ranked ? over : (r.shared ? "shares " + r.shared + " of your answered topics"
                                                   : "shares none of your answered topics in these words"))));
    /* The explanation is drawn when first opened (a page of hundreds of organizations stays
       quick): on the summary's click, which comes before the browser opens it, for a key as for
       a pointer, so the next Tab already finds what it holds; "toggle", which fires only later,
       for an explanation opened otherwise. */
    var summary = el("summary", {}, "Why: topic by topic");
    var why = el("details", {className: "match-why"}, summary);
    function explain() {
      if (why.dataset.drawn) { return; }
      why.dataset.drawn = "1";
      fetchQuotes(data);
      add(why, [whyTable(data, r, names), el("p", {className: "small mb-1"}, [
        link(compareHref, "Compare " + o.name + (compareWith.length > 1 ? " with the closest" : "") + " side by side"),
        " \u00b7 ", link(orgHref, o.name + "'s page")])]);
    }
    summary.addEventListener("click", explain);
    why.addEventListener("toggle", function () { if (why.open) { explain(); } });
    return el("li", {className: "match-result", "data-org": o.id}, [el("div", {className: "match-result-head"}, head), why]);
  }

  function results(data, res, mode) {
    if (!res.answered) {
      return [el("p", {className: "match-empty"}, "Choose an answer to any question to see the organizations ranked.")];
    }
    var names = {};
    data.topics.forEach(function (t) { names[t.id] = t.name; });
    var any = res.ranked[0] || res.apart[0];
    if (!any) {
      return [el("p", {className: "match-none"}, "No organization has evidence on the topics you answered.")];
    }
    var answeredTopics = any.rows.map(function (x) { return x.topic; });
    var top = res.ranked.slice(0, 3).map(function (r) { return r.org.id; });
    var out = [el("p", {className: "small text-body-secondary match-mode-note"},
                  data.mode_notes[mode === "all" ? "all" : "own"])];
    if (res.ranked.length) {
      out.push(el("ol", {className: "match-ranking list-unstyled", "aria-label": "Organizations, closest first"},
        res.ranked.map(function (r) { return resultItem(data, r, true, top, answeredTopics, names, res.answered); })));
    } else {
      out.push(el("p", {className: "match-none"},
                  "No organization shares two of your answered topics yet: answer another question to rank them."));
    }
    if (res.apart.length) {
      out.push(el("h3", {className: "h6 mt-3", id: "match-apart-heading"}, "Too little evidence to compare"));
      out.push(el("p", {className: "small text-body-secondary"},
                  "These share fewer than " + data.min_shared + " of your answered topics " +
                  (mode === "all" ? "" : "in their own words ") + "and are not ranked."));
      out.push(el("ul", {className: "match-apart list-unstyled", "aria-labelledby": "match-apart-heading"},
        res.apart.map(function (r) { return resultItem(data, r, false, top, answeredTopics, names, res.answered); })));
    }
    return out;
  }

  /* Where the reader is in the results: which explanations are open, and the control that has
     the focus (its organization, and its place among that organization's links and summaries). */
  function controls(item) { return Array.prototype.slice.call(item.querySelectorAll("a[href], summary")); }
  function place(box) {
    var open = Array.prototype.map.call(box.querySelectorAll(".match-why[open]"), function (d) {
      return d.closest("[data-org]").dataset.org;
    });
    var active = document.activeElement, item = active && box.contains(active) ? active.closest("[data-org]") : null;
    return {open: open, inside: !!active && box.contains(active),
            org: item ? item.dataset.org : null, at: item ? controls(item).indexOf(active) : -1};
  }
  function itemOf(box, org) { return box.querySelector('[data-org="' + CSS.escape(org) + '"]'); }

  /* The results, drawn into the box the page leaves empty for them (React never draws there).
     Drawn anew (an answer, a weight or the address changed), they keep the reader's place: the
     same explanations open, and the focus on the same control of the same organization, or on
     the results themselves when that organization is no longer listed; never lost to the page.
     `build` makes the nodes, and is kept: React may put the box in the document only after the
     results were computed, or draw the page afresh with a new, empty box; they are drawn there. */
  var last = null;
  function draw(build) {
    last = build;
    var box = document.getElementById("match-results-body");
    if (!box) { return; }
    var was = place(box);
    box.replaceChildren.apply(box, build());
    was.open.forEach(function (org) {
      var item = itemOf(box, org), summary = item && item.querySelector(".match-why > summary");
      if (summary && !summary.parentNode.open) { summary.click(); }
    });
    if (!was.inside) { return; }
    var item = was.org && itemOf(box, was.org);
    var target = item ? (controls(item)[was.at] || controls(item)[0]) : null;
    (target || document.getElementById("match-results")).focus({preventScroll: true});
  }
  new MutationObserver(function () {
    var box = last && document.getElementById("match-results-body");
    if (box && !box.firstChild) { draw(last); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  function status(res) {
    if (!res.answered) { return "No answer yet."; }
    var n = res.answered + " answer" + (res.answered === 1 ? "" : "s");
    if (!res.ranked.length) { return n + ": no organization shares two of them yet."; }
    var first = res.ranked[0];
    return n + ": " + res.ranked.length + " organizations ranked, " + res.apart.length + " apart. Closest: "
      + first.org.name + ", " + pct(first.score) + " over " + first.shared + ".";
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.match = {
    /* From the address (the first drawing) or to nothing ("Start again"). */
    restore: function (data, reset, reread, ids) {
      var ctx = window.dash_clientside.callback_context;
      var resetting = ctx && ctx.triggered && ctx.triggered.some(function (t) { return t.prop_id === "match-reset.n_clicks"; });
      var state = resetting ? {answers: {}, weights: {}, mode: "own", dropped: []} : readHash(data);
      if (resetting) { writeHash(data, {}, {}, "own"); }
      return [
        ids.map(function (id) { return state.answers[id.topic] || ""; }),
        ids.map(function (id) { return state.weights[id.topic] === 2; }),
        state.mode,
        {dropped: state.dropped, at: Date.now()}
      ];
    },
    compute: function (answers, weights, mode, restored, ids, data) {
      if (!data || !ids) { return window.dash_clientside.no_update; }
      var a = byTopic(ids, answers), w = {}, wb = byTopic(ids, weights);
      Object.keys(wb).forEach(function (t) { w[t] = wb[t] ? 2 : 1; });
      var res = score(data, a, w, mode === "all");
      var note = "";
      if (restored) {
        writeHash(data, a, w, mode);
        if (restored.dropped && restored.dropped.length) {
          note = " Left out of the address, not recognised: " + restored.dropped.join(", ") + ".";
        }
      }
      draw(function () { return results(data, res, mode); });
      if (res.answered && !texts) { whenIdle(function () { fetchQuotes(data); }); }
      return status(res) + note;
    },
    /* On a phone, one topic at a time (match.css shows only the current one). */
    step: function (prev, next, answers, current) {
      var ctx = window.dash_clientside.callback_context;
      var n = answers.length, i = current || 0;
      var trig = ctx && ctx.triggered ? ctx.triggered.map(function (t) { return t.prop_id; }) : [];
      if (trig.indexOf("match-prev.n_clicks") >= 0) { i = Math.max(0, i - 1); }
      if (trig.indexOf("match-next.n_clicks") >= 0) { i = Math.min(n - 1, i + 1); }
      var done = answers.filter(function (x) { return !!x; }).length;
      if (trig.some(function (t) { return t.indexOf("n_clicks") >= 0; })) {
        setTimeout(function () {
          var q = document.querySelectorAll(".match-q")[i];
          var first = q && q.querySelector("input:checked, input");
          if (first) { first.focus(); }
        }, 0);
      }
      return [
        answers.map(function (_, k) { return "match-q" + (k === i ? " current" : ""); }),
        "Topic " + (i + 1) + " of " + n + " \u00b7 " + done + " answered",
        i, i === 0, i === n - 1
      ];
    },
    copy: function (n) {
      if (!n) { return window.dash_clientside.no_update; }
      var url = window.location.href;  /* copy.js */
      return window.tendencyCopy(url) ? "Link copied, with your answers: " + url
        : "Copy this address to keep your answers: " + url;
    }
  };

  /* On this page the fragment holds the answers: a link to a place within the page (the skip
     link) moves focus there without replacing them. */
  document.addEventListener("click", function (event) {
    if (!onMatch()) { return; }
    var a = event.target && event.target.closest ? event.target.closest("a[href^='#']") : null;
    var jump = event.target && event.target.closest ? event.target.closest("#match-to-results") : null;
    var target = a ? document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)))
      : jump ? document.getElementById("match-results") : null;
    if (!target) { return; }
    event.preventDefault();
    target.scrollIntoView({block: "start"});
    target.focus({preventScroll: true});
  }, true);

  function onMatch() { return window.location.pathname.replace(/\/$/, "") === "/match"; }

  /* A fragment the reader changes on this page (pasting another link, Back): read it again. */
  window.addEventListener("hashchange", function () {
    if (!onMatch() || window.location.hash === written) { return; }
    var again = document.getElementById("match-reread");
    if (again) { again.click(); }
  });

  window.tendencyMatch = {score: score, validAnswers: validAnswers, readHash: readHash};
})();
