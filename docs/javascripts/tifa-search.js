// Tifa search, the reader's side (the engine is docs/javascripts/search/): the words of a result
// marked on the page it opens, the search restored on "back", and input that sends no key
// release (paste, an input method's commit) searched all the same.
(function () {
  "use strict";

  var KEPT = /^[\p{L}\p{N}]$/u;
  var STATE = "tifa-search-state";

  // Same folding as search/core.js: full-width ASCII to half-width, lower case, letters and digits only.
  function fold(ch) {
    var o = ch.codePointAt(0);
    if (o >= 0xFF01 && o <= 0xFF5E) ch = String.fromCodePoint(o - 0xFEE0);
    var low = ch.toLowerCase();
    return Array.from(low).length === 1 ? low : ch;
  }

  function textNodes(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), out = [], node;
    while ((node = walker.nextNode())) {
      if (!node.parentElement.closest(".tifa-pn, .headerlink, script, style")) out.push(node);
    }
    return out;
  }

  // Marks every occurrence of every part inside `block`, across element and punctuation boundaries.
  function markBlock(block, parts) {
    var nodes = textNodes(block), chars = [], where = [], marks = nodes.map(function () { return []; });
    nodes.forEach(function (node, n) {
      var i = 0;
      for (var ch of node.data) {
        var f = fold(ch);
        if (KEPT.test(f)) { chars.push(f); where.push([n, i]); }
        i += ch.length;
      }
    });
    var found = 0;
    parts.forEach(function (part) {
      var p = Array.from(part);
      for (var start = 0; start + p.length <= chars.length; start++) {
        var ok = true;
        for (var j = 0; j < p.length && ok; j++) ok = chars[start + j] === p[j];
        if (!ok) continue;
        found++;
        for (var k = start; k < start + p.length; k++) {
          var n = where[k][0], at = where[k][1];
          marks[n].push([at, at + (nodes[n].data.codePointAt(at) > 0xFFFF ? 2 : 1)]);
        }
      }
    });
    nodes.forEach(function (node, n) { if (marks[n].length) wrap(node, marks[n]); });
    return found;
  }

  function wrap(node, spans) {
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else merged.push(s.slice());
    });
    var frag = document.createDocumentFragment(), pos = 0, data = node.data;
    merged.forEach(function (s) {
      frag.appendChild(document.createTextNode(data.slice(pos, s[0])));
      var mark = document.createElement("mark");
      mark.className = "tifa-hit";
      mark.textContent = data.slice(s[0], s[1]);
      frag.appendChild(mark);
      pos = s[1];
    });
    frag.appendChild(document.createTextNode(data.slice(pos)));
    node.parentNode.replaceChild(frag, node);
  }

  function highlightFromAddress() {
    var url = new URL(location.href), h = url.searchParams.get("h");
    if (!h) return;
    var parts = h.split(/\s+/).map(function (p) {
      return Array.from(p).map(fold).filter(function (c) { return KEPT.test(c); }).join("");
    }).filter(Boolean);
    var article = document.querySelector(".md-content article");
    if (!article || !parts.length) return;
    article.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, td, th").forEach(function (block) {
      if (!block.querySelector("p, li, td")) markBlock(block, parts);
    });
    url.searchParams.delete("h");  // the address stays the citable one
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    var first = article.querySelector("mark.tifa-hit");
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
  }

  // ---- Search state across "back" -----------------------------------------------------------
  function input() { return document.querySelector(".md-search__input"); }

  function remember() {
    var box = input();
    if (box && box.value) {
      sessionStorage.setItem(STATE, JSON.stringify({ page: location.pathname + location.search, query: box.value }));
    }
  }

  function search(query) {
    var box = input(), toggle = document.querySelector("[data-md-toggle=search]");
    if (!box || !toggle) return;
    if (!toggle.checked) toggle.click();
    box.value = query;
    box.focus();
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function restore(event) {
    var nav = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var back = (event && event.persisted) || (nav && nav.type === "back_forward");
    var saved = JSON.parse(sessionStorage.getItem(STATE) || "null");
    if (back && saved && saved.page === location.pathname + location.search) {
      var toggle = document.querySelector("[data-md-toggle=search]");
      if (!toggle.checked || input().value !== saved.query) search(saved.query);
    }
  }

  // Material searches on key release; paste and input methods may send none.
  function searchOnInput() {
    var box = input();
    if (!box) return;
    var send = function () { box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true })); };
    box.addEventListener("input", function (event) { if (!event.isComposing) send(); });
    box.addEventListener("compositionend", send);
  }

  function start() {
    highlightFromAddress();
    searchOnInput();
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".md-search-result__link")) remember();
    }, true);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.closest && event.target.closest(".md-search-result__link, .md-search__input")) remember();
    }, true);
    restore(null);
    window.addEventListener("pageshow", function (event) { if (event.persisted) restore(event); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
