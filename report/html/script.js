(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var data = document.getElementById("cf-data");
  var W = data ? JSON.parse(data.textContent).words || {} : {};
  var tr = function (s) { return W[s] || s; };
  var key = function (td) {
    var v = td.getAttribute("data-v");
    return v === null ? td.textContent.trim().toLowerCase() : parseFloat(v);
  };
  each(document.querySelectorAll("table.sort"), function (t) {
    var heads = t.tHead.rows[0].cells;
    each(heads, function (th, i) {
      th.tabIndex = 0;
      var sort = function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var p = key(a.cells[i]), q = key(b.cells[i]);
          return (p < q ? -1 : p > q ? 1 : 0) * (up ? 1 : -1);
        });
        each(rows, function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    if (t.hasAttribute("data-filter")) {
      var box = document.createElement("input");
      box.type = "search";
      box.placeholder = tr("Filter rows…");
      box.className = "filter";
      box.setAttribute("aria-label", tr("Filter rows"));
      box.addEventListener("input", function () {
        var q = box.value.toLowerCase();
        each(t.tBodies[0].rows, function (r) {
          r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) < 0;
        });
      });
      t.parentNode.parentNode.insertBefore(box, t.parentNode);
    }
  });
})();
(function () {
  "use strict";
  var node = document.getElementById("cf-data");
  if (!node) { return; }
  var D = JSON.parse(node.textContent);
  var $ = function (id) { return document.getElementById(id); };
  // tr writes a sentence in the page's language: its Dutch from the data
  // block's words, else the English, each %s replaced by the next argument.
  var tr = function (s) {
    var a = arguments, i = 0;
    return ((D.words || {})[s] || s).replace(/%s/g, function () { return a[++i]; });
  };
  var NL = document.documentElement.lang === "nl";
  var dec = function (s) { return NL ? s.replace(".", ",") : s; };
  var NS = "http://www.w3.org/2000/svg";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  // el makes an element (SVG when svg is set) with attributes and text.
  var el = function (tag, attrs, parent, text, svg) {
    var e = svg ? document.createElementNS(NS, tag) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  };
  var sv = function (tag, attrs, parent, text) { return el(tag, attrs, parent, text, true); };
  var tip = function (e, text) { sv("title", {}, e, text); return e; };
  var num = function (n) { return Math.round(n).toLocaleString(NL ? "nl-NL" : "en-US"); };
  var short = function (x) { return x < 9.95 ? dec(x.toFixed(1)) : x.toFixed(0); };
  // dur is the page's way of writing seconds (format.go's dur).
  var dur = function (s) {
    if (s < 0) { return "–"; }
    if (s === 0) { return tr("%s s", "0"); }
    if (s < 60) { return tr("%s s", short(s)); }
    if (s < 3600) { return tr("%s min", short(s / 60)); }
    if (s < 86400) { return tr("%s h", short(s / 3600)); }
    return tr("%s d", short(s / 86400));
  };
  var median = function (xs) {
    if (xs.length === 0) { return -1; }
    xs.sort(function (a, b) { return a - b; });
    return (xs[(xs.length - 1) >> 1] + xs[xs.length >> 1]) / 2;
  };
  // Colours by measure kind; vermillion marks the largest.
  var HOT = "#d55e00";
  var mix = function (a, b, t) {
    var c = function (h, i) { return parseInt(h.substr(1 + 2 * i, 2), 16); };
    var out = "#";
    for (var i = 0; i < 3; i++) { out += ("0" + Math.round(c(a, i) + (c(b, i) - c(a, i)) * t).toString(16)).slice(-2); }
    return out;
  };
  var SCALE = { freq: ["#b4c2d1", "#1f4e89"], time: ["#e8cdb5", "#8a3a0b"] };

  // A graph at levels of detail: the templates hold the drawings, the
  // sliders pick one, the measure sets labels, widths and colours.
  var graph = function (p, measures, edges, byOrder) {
    var view = $(p + "-view");
    var tpls = Array.prototype.slice.call(document.querySelectorAll("template." + p + "-level"));
    if (!view || tpls.length === 0) { return; }
    var byId = {};
    edges.forEach(function (e) { byId[e.id] = e; });
    var cur = tpls.filter(function (t) { return t.hasAttribute("data-default"); })[0] || tpls[0];
    if (cur.content.childNodes.length === 0) { cur.content.appendChild(view.querySelector("svg")); }
    var nodes = $(p + "-nodes"), edgeS = $(p + "-edges"), msel = $(p + "-measure");
    var ns = [];
    tpls.forEach(function (t) { var n = +t.dataset.n; if (ns.indexOf(n) < 0) { ns.push(n); } });
    ns.sort(function (a, b) { return a - b; });
    var at = function (n) {
      return tpls.filter(function (t) { return +t.dataset.n === n; }).sort(function (a, b) { return a.dataset.e - b.dataset.e; });
    };
    var apply = function () {
      var m = +msel.value, svg = view.querySelector("svg");
      if (!svg) { return; }
      var items = [];
      if (byOrder) {
        var paths = svg.querySelectorAll("g > path"), labels = svg.querySelectorAll("text.lbl");
        cur.dataset.order.split(" ").forEach(function (id, i) {
          if (id !== "") { items.push({ e: byId[id], path: paths[i], label: labels[i], plain: true }); }
        });
      } else {
        each(svg.querySelectorAll("g[data-e]"), function (g) {
          var e = byId[g.dataset.e];
          items.push({ e: e, path: g.querySelector("path"), label: svg.querySelector('text[data-e="' + g.dataset.e + '"]'), plain: !e.pre && !e.post });
        });
      }
      var top = 0;
      items.forEach(function (it) { top = Math.max(top, it.e.v[m]); });
      var scale = SCALE[measures[m].time ? "time" : "freq"];
      var ranked = items.filter(function (it) { return it.e.v[m] > 0 && it.e.v[2] >= 0; })
        .sort(function (a, b) { return b.e.v[m] - a.e.v[m]; }).slice(0, 3);
      items.forEach(function (it) {
        var v = it.e.v[m];
        if (it.label) { it.label.textContent = (it.e.pre || "") + it.e.l[m] + (it.e.post || ""); }
        if (v < 0 || it.e.v[2] < 0 || !it.path) { return; } // start and end edges keep their look
        var x = top > 0 ? v / top : 0;
        it.path.setAttribute("stroke-width", (1 + 6 * Math.sqrt(x)).toFixed(1));
        if (!it.plain) { return; } // ping-pong and silo arcs keep their colours
        var hot = byOrder && ranked.indexOf(it) >= 0;
        it.path.setAttribute("stroke", hot ? HOT : mix(scale[0], scale[1], Math.sqrt(x)));
        it.path.setAttribute("stroke-opacity", "1");
        if (byOrder) {
          it.path.setAttribute("marker-end", hot ? "url(#pm-h)" : "url(#pm-a)");
          it.label.setAttribute("font-weight", hot ? "700" : "400");
          it.label.setAttribute("fill", hot ? HOT : "#1f2933");
        }
      });
    };
    var show = function (t) {
      cur = t;
      view.replaceChildren(t.content.cloneNode(true));
      $(p + "-note").textContent = t.dataset.note;
      var ls = at(+t.dataset.n);
      nodes.max = ns.length - 1;
      nodes.value = ns.indexOf(+t.dataset.n);
      edgeS.max = ls.length - 1;
      edgeS.value = ls.indexOf(t);
      $(p + "-nodes-out").textContent = t.dataset.n;
      $(p + "-edges-out").textContent = t.dataset.e;
      apply();
    };
    nodes.addEventListener("input", function () {
      var ls = at(ns[+nodes.value]), want = +cur.dataset.e, best = ls[0];
      ls.forEach(function (t) { if (Math.abs(t.dataset.e - want) < Math.abs(best.dataset.e - want)) { best = t; } });
      show(best);
    });
    edgeS.addEventListener("input", function () { show(at(+cur.dataset.n)[+edgeS.value]); });
    msel.addEventListener("change", apply);
    show(cur);
  };
  graph("pm", D.measures, D.edges || [], true);
  graph("hg", D.pairMeasures, D.pairs || [], false);

  var X = D.explore;
  if (!X) { return; }
  var R = X.rows, DAY = 86400 * X.bin; // a day of the charts: X.bin days
  var COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
  var d0 = Date.parse(X.day0 + "T00:00:00Z");
  var date = function (day) { return new Date(d0 + day * DAY * 1000).toISOString().slice(0, 10); };
  // shown is a day as the page's language writes it: 2024-03-04, in Dutch 04-03-2024.
  var shown = function (day) { var s = date(day); return NL ? s.slice(8) + "-" + s.slice(5, 7) + "-" + s.slice(0, 4) : s; };
  var dayOf = function (s) { return Math.floor(s / DAY); };
  var F = { from: 0, to: X.days - 1, attr: -1 };
  var active = function () { return F.from > 0 || F.to < X.days - 1 || F.attr >= 0; };
  var keep = function (start, attr) {
    var d = dayOf(start);
    return d >= F.from && d <= F.to && (F.attr < 0 || attr === F.attr);
  };
  var approx = function () { return active() && X.step > 1 ? "≈ " : ""; };

  // Filters.
  var from = $("f-from"), to = $("f-to"), attr = $("f-attr");
  from.min = to.min = from.value = date(0);
  from.max = to.max = to.value = date(X.days - 1);
  if (attr) {
    X.values.forEach(function (v, i) { el("option", { value: i }, attr, v); });
  }
  var dayIn = function (input, def) {
    var t = Date.parse(input.value + "T00:00:00Z");
    return isNaN(t) ? def : Math.round((t - d0) / DAY / 1000);
  };
  var refresh = function () {
    F.from = Math.max(0, dayIn(from, 0));
    F.to = Math.min(X.days - 1, dayIn(to, X.days - 1));
    F.attr = attr ? +attr.value : -1;
    var n = 0;
    for (var i = 0; i < R.start.length; i++) { if (keep(R.start[i], R.attr[i])) { n++; } }
    $("f-count").textContent = active() ? approx() + tr("%s of %s cases", num(n * X.step), num(X.cases)) : tr("all %s cases", num(X.cases));
    variants();
    picks();
    dotted();
    wip();
    hist();
  };
  [from, to, attr].forEach(function (c) { if (c) { c.addEventListener("change", refresh); } });
  $("f-reset").addEventListener("click", function () {
    from.value = date(0); to.value = date(X.days - 1);
    if (attr) { attr.value = "-1"; }
    refresh();
  });

  // Variant explorer.
  var level = $("v-level"), chosen = -1;
  var strip = function (steps, more, names, parent) {
    var s = el("span", { "class": "strip" }, parent);
    steps.forEach(function (k) {
      var name = names[k] || tr("(none)");
      var b = el("i", { title: name }, s, name.length > 14 ? name.slice(0, 13) + "…" : name);
      b.style.background = k < 0 ? "#d9d9d9" : D.palette[k % D.palette.length];
    });
    if (more > 0) { el("span", { "class": "more" }, s, tr(" +%s more", more)); }
    return s;
  };
  var variants = function () {
    var paths = level.value === "paths", list = paths ? X.paths : X.variants, names = paths ? X.units : X.acts;
    var col = paths ? R.path : R.variant, counts = list.map(function () { return 0; });
    var leads = list.map(function () { return []; }), total = 0;
    for (var i = 0; i < R.start.length; i++) {
      if (!keep(R.start[i], R.attr[i])) { continue; }
      total++;
      var v = col[i];
      if (v < list.length) { counts[v]++; if (R.lead[i] >= 0) { leads[v].push(R.lead[i]); } }
    }
    var body = $("v-table").tBodies[0];
    body.replaceChildren();
    list.forEach(function (v, i) {
      var n = active() ? counts[i] : v.count;
      if (n === 0) { return; }
      var r = el("tr", { "data-v": i }, body);
      el("td", { "class": "n" }, r, String(i + 1));
      el("td", { "class": "n" }, r, active() ? approx() + num(n * X.step) : num(n));
      el("td", { "class": "n" }, r, active() ? dec((100 * n / total).toFixed(1)) + " %" : v.share);
      el("td", { "class": "n" }, r, active() ? dur(median(leads[i])) : v.median);
      strip(v.steps, v.more, names, el("td", {}, r));
      r.addEventListener("click", function () { chosen = paths ? -1 : i; $("h-by").value = paths ? "all" : "v" + i; hist(); });
    });
  };
  level.addEventListener("change", variants);

  // Case inspector.
  var cview = $("c-view");
  var inspect = function (k) {
    cview.replaceChildren();
    var t = X.traces[k];
    if (!t) { return; }
    el("p", { "class": "case-head" }, cview, tr("Case %s · started %s · lead time %s · %s events", t.id, shown(dayOf(t.start)), t.lead, num(t.t.length + t.more)) + (t.more ? tr(" (the first %s shown)", t.t.length) : ""));
    var lanes = [], span = Math.max(1, t.t[t.t.length - 1]);
    t.u.forEach(function (u) { if (lanes.indexOf(u) < 0) { lanes.push(u); } });
    var W = 1000, L = 180, H = 26 * lanes.length + 30;
    var s = sv("svg", { "class": "chart", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": tr("Case timeline") }, cview);
    lanes.forEach(function (u, i) {
      sv("text", { x: L - 8, y: 26 * i + 18, "text-anchor": "end", "font-size": 12 }, s, u < 0 ? tr("(none)") : X.units[u].slice(0, 28));
      sv("line", { x1: L, x2: W - 10, y1: 26 * i + 14, y2: 26 * i + 14, stroke: "#e4e7eb" }, s);
    });
    var x = function (sec) { return L + (W - L - 20) * sec / span; };
    for (var i = 0, j = 0; i <= t.t.length; i++) { // a bar per stay
      if (i === t.t.length || t.u[i] !== t.u[j]) {
        var y = 26 * lanes.indexOf(t.u[j]) + 6;
        tip(sv("rect", { x: x(t.t[j]), y: y, width: Math.max(3, x(t.t[i - 1]) - x(t.t[j])), height: 16, rx: 3, fill: t.u[j] < 0 ? "#d9d9d9" : COLOURS[t.u[j] % COLOURS.length], "fill-opacity": 0.35 }, s),
          tr("stay: %s", dur(t.t[i - 1] - t.t[j])));
        j = i;
      }
    }
    t.t.forEach(function (sec, i) {
      tip(sv("circle", { cx: x(sec), cy: 26 * lanes.indexOf(t.u[i]) + 14, r: 4, fill: "#1f2933" }, s), tr("%s at +%s", X.acts[t.a[i]], dur(sec)));
    });
    sv("text", { x: L, y: H - 6, "font-size": 11, fill: "#52606d" }, s, tr("start"));
    sv("text", { x: W - 10, y: H - 6, "font-size": 11, fill: "#52606d", "text-anchor": "end" }, s, "+" + dur(t.t[t.t.length - 1]));
    var tb = el("table", { "class": "events" }, el("div", { "class": "scroll tall" }, cview));
    var hr = el("tr", {}, el("thead", {}, tb));
    ["#", tr("since start"), tr("wait"), tr("activity"), X.units.length ? tr("unit") : ""].forEach(function (h, i) { el("th", i < 3 ? { "class": "n" } : {}, hr, h); });
    var b = el("tbody", {}, tb);
    t.t.forEach(function (sec, i) {
      var r = el("tr", {}, b);
      el("td", { "class": "n" }, r, String(i + 1));
      el("td", { "class": "n" }, r, "+" + dur(sec));
      el("td", { "class": "n" }, r, i ? dur(sec - t.t[i - 1]) : "–");
      el("td", {}, r, X.acts[t.a[i]] || tr("(none)"));
      el("td", {}, r, t.u[i] < 0 ? "–" : X.units[t.u[i]]);
    });
  };
  var slow = $("c-slow"), pair = $("c-pair"), cid = $("c-id");
  var picks = function () {
    [slow, pair].forEach(function (s) { while (s.options.length > 1) { s.remove(1); } });
    X.slowest.forEach(function (k) {
      var t = X.traces[k];
      if (keep(t.start, t.attr)) { el("option", { value: k }, slow, t.id + " · " + t.lead); }
    });
    (X.pairs || []).forEach(function (p) {
      p.traces.forEach(function (k) {
        var t = X.traces[k];
        if (keep(t.start, t.attr)) { el("option", { value: k }, pair, p.a + " ⇄ " + p.b + ": " + t.id); }
      });
    });
  };
  slow.addEventListener("change", function () { if (slow.value !== "") { inspect(+slow.value); } });
  pair.addEventListener("change", function () { if (pair.value !== "") { inspect(+pair.value); } });
  var ids = $("c-ids");
  X.traces.forEach(function (t) { el("option", { value: t.id }, ids); });
  var byId = function () {
    var want = cid.value.trim(), k = -1;
    X.traces.forEach(function (t, i) { if (t.id === want && k < 0) { k = i; } });
    if (k >= 0) { inspect(k); return; }
    cview.replaceChildren();
    el("p", { "class": "empty" }, cview, tr("The page does not hold case %s: it holds the %s cases listed in the box. cases.csv (analyze --out) lists every case.", want, num(X.traces.length)));
  };
  $("c-show").addEventListener("click", byId);
  cid.addEventListener("keydown", function (e) { if (e.key === "Enter") { byId(); } });

  // An axis of days at the bottom of a chart.
  var dayAxis = function (s, x, lo, hi, y) {
    var ticks = 6;
    for (var i = 0; i <= ticks; i++) {
      var d = Math.round(lo + (hi - lo) * i / ticks);
      sv("text", { x: x(d), y: y, "font-size": 11, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle", fill: "#52606d" }, s, shown(d));
    }
  };
  var chart = function (id, h, label) {
    var v = $(id);
    v.replaceChildren();
    return sv("svg", { "class": "chart", viewBox: "0 0 1100 " + h, width: 1100, height: h, role: "img", "aria-label": label }, v);
  };

  // Dotted chart: a row per case, a dot per event at its time.
  var dotted = function () {
    var list = X.dotted.filter(function (k) { var t = X.traces[k]; return keep(t.start, t.attr); });
    var rowH = Math.max(2, Math.min(8, 480 / Math.max(1, list.length))), H = rowH * list.length + 60;
    var s = chart("d-view", H, tr("Dotted chart"));
    var lo = F.from * DAY, hi = (F.to + 1) * DAY, L = 60, W = 1080;
    var x = function (sec) { return L + (W - L) * (sec - lo) / (hi - lo); };
    // The 7 units with the most dots get a colour each, the others grey.
    var used = {};
    list.forEach(function (k) { X.traces[k].u.forEach(function (u) { used[u] = (used[u] || 0) + 1; }); });
    var keys = Object.keys(used).map(Number).filter(function (u) { return u >= 0; })
      .sort(function (a, b) { return used[b] - used[a] || a - b; }).slice(0, COLOURS.length - 1);
    var colour = function (u) { var i = keys.indexOf(u); return i < 0 ? "#9aa5b1" : COLOURS[i]; };
    list.forEach(function (k, row) {
      var t = X.traces[k];
      t.t.forEach(function (sec, i) {
        sv("circle", { cx: x(t.start + sec).toFixed(1), cy: (10 + rowH * row + rowH / 2).toFixed(1), r: Math.max(1.2, rowH / 2.5).toFixed(1), fill: colour(t.u[i]), "class": "dot" }, s);
      });
    });
    sv("text", { x: 4, y: 14, "font-size": 11, fill: "#52606d" }, s, tr("%s cases", num(list.length)));
    dayAxis(s, function (d) { return x(d * DAY); }, F.from, F.to + 1, H - 30);
    var lx = L;
    keys.concat([-1]).forEach(function (u) {
      sv("circle", { cx: lx, cy: H - 10, r: 4, fill: colour(u) }, s);
      var name = u < 0 ? tr("others") : X.units[u].slice(0, 18);
      sv("text", { x: lx + 8, y: H - 6, "font-size": 11 }, s, name);
      lx += 20 + 7 * name.length;
    });
  };

  // Cases started and open per day.
  var wip = function () {
    var started = X.started, open = X.open;
    if (active()) {
      started = X.started.map(function () { return 0; });
      var delta = started.map(function () { return 0; }).concat([0]);
      for (var i = 0; i < R.start.length; i++) {
        if (!keep(R.start[i], R.attr[i])) { continue; }
        var a = dayOf(R.start[i]), b = dayOf(R.end[i]);
        started[a] += X.step; delta[a] += X.step; delta[b + 1] -= X.step;
      }
      open = [];
      for (var d = 0, run = 0; d < started.length; d++) { run += delta[d]; open.push(run); }
    }
    var lo = F.from, hi = F.to, top = 1;
    for (var k = lo; k <= hi; k++) { top = Math.max(top, started[k], open[k]); }
    var s = chart("w-view", 260, tr("Cases started and open per day")), L = 60, W = 1080, T = 10, B = 220;
    var x = function (d) { return L + (W - L) * (d - lo) / (hi - lo + 1); };
    var y = function (n) { return B - (B - T) * n / top; };
    var bw = Math.max(0.5, (W - L) / (hi - lo + 1) - 0.5), line = "";
    for (var k2 = lo; k2 <= hi; k2++) {
      tip(sv("rect", { x: x(k2).toFixed(1), y: y(started[k2]).toFixed(1), width: bw.toFixed(1), height: (B - y(started[k2])).toFixed(1), fill: "#56b4e9", "class": "started" }, s),
        tr("%s: %s started, %s open", shown(k2), num(started[k2]), num(open[k2])));
      line += (k2 === lo ? "M" : "L") + (x(k2) + bw / 2).toFixed(1) + " " + y(open[k2]).toFixed(1);
    }
    sv("path", { d: line, fill: "none", stroke: "#1f2933", "stroke-width": 1.5 }, s);
    [0, top / 2, top].forEach(function (n) {
      sv("text", { x: L - 6, y: y(n) + 4, "font-size": 11, "text-anchor": "end", fill: "#52606d" }, s, num(n));
    });
    dayAxis(s, x, lo, hi + 1, B + 18);
    sv("text", { x: L, y: 252, "font-size": 11, fill: "#52606d" }, s, approx() + tr("%s cases started in the window", num(started.slice(lo, hi + 1).reduce(function (a, b) { return a + b; }, 0))));
  };

  // Lead-time histogram of all cases, a variant or a stratum, on a log axis.
  var hby = $("h-by");
  X.variants.slice(0, 10).forEach(function (v, i) { el("option", { value: "v" + i }, hby, tr("variant %s (%s)", i + 1, v.share)); });
  (X.strata || []).forEach(function (a) { el("option", { value: "s" + a }, hby, X.attr + " " + X.values[a]); });
  var hist = function () {
    var by = hby.value, leads = [];
    for (var i = 0; i < R.start.length; i++) {
      if (!keep(R.start[i], R.attr[i]) || R.lead[i] <= 0) { continue; }
      if (by[0] === "v" && R.variant[i] !== +by.slice(1)) { continue; }
      if (by[0] === "s" && R.attr[i] !== +by.slice(1)) { continue; }
      leads.push(R.lead[i]);
    }
    var s = chart("h-view", 230, tr("Lead-time histogram"));
    if (leads.length === 0) { sv("text", { x: 60, y: 40, "font-size": 13 }, s, tr("No case with a lead time here.")); return; }
    var lo = Math.floor(Math.log10(Math.min.apply(null, leads)) * 5) / 5, hi = Math.ceil(Math.log10(Math.max.apply(null, leads)) * 5) / 5;
    if (hi <= lo) { hi = lo + 0.2; }
    var bins = Math.round((hi - lo) * 5), c = [];
    for (var b = 0; b < bins; b++) { c.push(0); }
    leads.forEach(function (l) { c[Math.max(0, Math.min(bins - 1, Math.floor((Math.log10(l) - lo) * 5)))]++; });
    var top = Math.max.apply(null, c), L = 60, W = 1080, B = 190, bw = (W - L) / bins;
    c.forEach(function (n, i) {
      tip(sv("rect", { x: (L + bw * i + 1).toFixed(1), y: (B - 170 * n / top).toFixed(1), width: (bw - 2).toFixed(1), height: (170 * n / top).toFixed(1), fill: "#56b4e9", "class": "bin" }, s),
        tr("%s – %s: %s cases", dur(Math.pow(10, lo + i / 5)), dur(Math.pow(10, lo + (i + 1) / 5)), num(n)));
    });
    for (var k = 0; k <= bins; k += Math.max(1, Math.round(bins / 6))) {
      sv("text", { x: L + bw * k, y: B + 16, "font-size": 11, "text-anchor": "middle", fill: "#52606d" }, s, dur(Math.pow(10, lo + k / 5)));
    }
    sv("text", { x: L, y: 222, "font-size": 11, fill: "#52606d" }, s, approx() + (X.step > 1 ? tr("%s cases (from the page's sample of every %sth case), median %s", num(leads.length * (active() ? X.step : 1)), X.step, dur(median(leads))) : tr("%s cases, median %s", num(leads.length * (active() ? X.step : 1)), dur(median(leads)))));
  };
  hby.addEventListener("change", hist);
  refresh();
})();
