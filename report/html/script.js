(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
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
      box.placeholder = "Filter rows…";
      box.className = "filter";
      box.setAttribute("aria-label", "Filter rows");
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
