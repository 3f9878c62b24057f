// regiongraph's pages: the language switch (remembered) and the region table's filter and sort.
(function () {
  "use strict";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem("regiongraph-language"); } catch (e) { stored = null; }
  // A stored choice wins; else the server's (?lang=, Accept-Language), else Japanese.
  var given = root.getAttribute("data-language");
  root.setAttribute("data-language", stored === "en" || stored === "ja" ? stored : given === "en" ? "en" : "ja");
  var button = document.getElementById("language");
  function label() { button.textContent = button.getAttribute("data-" + root.getAttribute("data-language")); }
  if (button) {
    label();
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-language") === "ja" ? "en" : "ja";
      root.setAttribute("data-language", next);
      try { window.localStorage.setItem("regiongraph-language", next); } catch (e) { /* private mode */ }
      label();
    });
  }
  var filter = document.getElementById("filter");
  var table = document.getElementById("regions");
  if (filter && table) {
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
      cell.addEventListener("click", function () {
        var rows = Array.prototype.slice.call(table.tBodies[0].rows);
        var down = cell.getAttribute("aria-sort") !== "ascending";
        rows.sort(function (a, b) {
          var x = a.cells[index].textContent, y = b.cells[index].textContent;
          return (down ? 1 : -1) * x.localeCompare(y, "ja", { numeric: true });
        });
        rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
        cell.setAttribute("aria-sort", down ? "ascending" : "descending");
      });
    });
  }
}());
