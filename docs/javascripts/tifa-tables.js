// Tifa: sortable speech list with a filter box, and the concordance sorted by left or right context.
(function () {
  "use strict";

  function cellText(row, i) {
    var cell = row.cells[i];
    return cell ? cell.textContent.trim() : "";
  }

  // Sort keys: numbers by value, text by code point; the left context is read from the keyword out.
  function key(row, i, kind) {
    var text = cellText(row, i);
    if (kind === "number") return parseFloat(text.replace(/[^\d.]/g, "")) || 0;
    if (kind === "reverse") return Array.from(text).reverse().join("");
    if (kind === "title") return row.cells[i].querySelector("a") ? row.cells[i].querySelector("a").textContent : text;
    return text;
  }

  function sortable(table, kinds) {
    var body = table.tBodies[0], heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      if (!kinds[i]) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tifa-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var rows = Array.prototype.slice.call(body.rows), sign = dir === "ascending" ? 1 : -1;
        rows.sort(function (a, b) {
          var x = key(a, i, kinds[i]), y = key(b, i, kinds[i]);
          if (x === "" || y === "") return (x === "") - (y === "");  // empty cells last
          return (x < y ? -1 : x > y ? 1 : 0) * sign;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function filterBox(table, box, output) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var words = rows.map(function (row) { return row.textContent.toLowerCase(); });
    function apply() {
      var parts = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      rows.forEach(function (row, i) {
        var ok = parts.every(function (p) { return words[i].indexOf(p) >= 0; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      output.textContent = shown + " / " + rows.length;
    }
    box.addEventListener("input", apply);
    apply();
  }

  function start() {
    var list = document.querySelector(".tifa-speech-list table");
    if (list) {
      sortable(list, ["title", "text", "text", "text", "number"]);
      var box = document.getElementById("tifa-filter");
      if (box) filterBox(list, box, document.querySelector(".tifa-filter output"));
    }
    document.querySelectorAll(".tifa-kwic table").forEach(function (table) {
      sortable(table, ["reverse", "text", "text", "text"]);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
