// nianbao site: filter and sort the per-rule tables. The pages work without
// it; nothing here loads anything.
(function () {
  "use strict";
  var table = document.querySelector("table.sortable");
  if (!table) return;
  var body = table.tBodies[0];
  var selects = document.querySelectorAll("select[data-filter]");
  var shown = document.querySelector("output.shown");
  function filter() {
    var n = 0;
    Array.prototype.forEach.call(body.rows, function (tr) {
      var ok = true;
      Array.prototype.forEach.call(selects, function (s) {
        if (s.value && tr.getAttribute("data-" + s.getAttribute("data-filter")) !== s.value) ok = false;
      });
      tr.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = "显示 " + n + " / " + body.rows.length + " 行";
  }
  Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", filter); });
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.setAttribute("aria-sort", "none");
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x && String(ny) === y) ? nx - ny : x.localeCompare(y, "zh");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  filter();
})();
