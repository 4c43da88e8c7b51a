// Tifa: masks shown as marks outside the body text, and the Cite dialog of a speech or paragraph.
// Everything taken from the page or its data goes into the DOM through textContent, never HTML.
(function () {
  "use strict";

  // Same masks as scripts/tifa/structure.py REDACTION.
  var MASK = /\*+|＊+|(?<![A-Za-z])(?:X{2,}|x{2,})(?![A-Za-z])|×{2,}|○{2,}|□+|(?<![:\/])\/\/(?!\/)/g;
  var MASK_TITLE = "原文遮蔽 · masked in the source";

  function markMasks(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [], node;
    while ((node = walker.nextNode())) {
      if (!node.parentElement.closest(".tifa-mask, script, style, input, textarea") && MASK.test(node.data)) nodes.push(node);
      MASK.lastIndex = 0;
    }
    nodes.forEach(function (text) {
      var frag = document.createDocumentFragment(), last = 0, m;
      MASK.lastIndex = 0;
      while ((m = MASK.exec(text.data))) {
        frag.appendChild(document.createTextNode(text.data.slice(last, m.index)));
        var span = document.createElement("span");
        span.className = "tifa-mask";
        span.title = MASK_TITLE;
        span.textContent = m[0];
        frag.appendChild(span);
        last = m.index + m[0].length;
      }
      frag.appendChild(document.createTextNode(text.data.slice(last)));
      text.parentNode.replaceChild(frag, text);
    });
  }

  // Speech text shown outside the article body: table of contents, header title, pager, search.
  var OUTSIDE = ".md-nav--secondary .md-nav__link, .md-header__topic .md-ellipsis, .tifa-pager span";
  function markOutside() {
    document.querySelectorAll(OUTSIDE).forEach(markMasks);
  }

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list"), options = { childList: true, subtree: true };
    if (!list) return;
    var observer = new MutationObserver(function () {
      observer.disconnect();  // marking changes the list too
      list.querySelectorAll(".md-search-result__article").forEach(markMasks);
      observer.observe(list, options);
    });
    observer.observe(list, options);
  }

  // ---- Citations ---------------------------------------------------------------------------
  var STYLES = [["gbt", "GB/T 7714"], ["chicago", "Chicago"], ["bibtex", "BibTeX"]];

  function citeData() {
    var el = document.getElementById("tifa-cite-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function fill(template, url, n) {
    return template.split("{url}").join(url).split("{accessed}").join(today())
      .split("{n}").join(n == null ? "" : String(n));
  }

  function pageUrl() {
    return location.origin + location.pathname;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function copy(text, button) {
    if (!navigator.clipboard) return;
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "已复制 · Copied";
    }, function () {});
  }

  function dialog(n) {
    var data = citeData();
    if (!data) return;
    var set = n == null ? data.speech : data.paragraph;
    var url = pageUrl() + (n == null ? "" : "#p" + n);
    var old = document.getElementById("tifa-cite-dialog");
    if (old) old.remove();
    var box = el("dialog", { id: "tifa-cite-dialog", class: "tifa-dialog", "aria-labelledby": "tifa-cite-title" });
    var close = el("button", { type: "button", class: "tifa-dialog__close" }, "关闭 · Close");
    close.addEventListener("click", function () { box.close(); });
    box.appendChild(close);
    box.appendChild(el("h2", { id: "tifa-cite-title" },
      n == null ? "引用本篇 · Cite this speech" : "引用第 " + n + " 段 · Cite paragraph " + n));
    STYLES.forEach(function (style) {
      var text = fill(set[style[0]], url, n);
      var section = el("section", { "data-style": style[0] });
      section.appendChild(el("h3", {}, style[1]));
      section.appendChild(el("pre", { lang: style[0] === "gbt" ? "zh" : "en" }, text));
      var button = el("button", { type: "button" }, "复制 · Copy " + style[1]);
      button.addEventListener("click", function () { copy(text, button); });
      section.appendChild(button);
      box.appendChild(section);
    });
    var ris = fill(set.ris, url, n);
    var slug = location.pathname.split("/").filter(Boolean).pop() || "speech";
    var link = el("a", {
      class: "tifa-dl", download: slug + (n == null ? "" : "-p" + n) + ".ris",
      href: "data:application/x-research-info-systems;charset=utf-8," + encodeURIComponent(ris),
    }, "下载 RIS · Download RIS (Zotero, EndNote)");
    box.appendChild(link);
    document.body.appendChild(box);
    box.addEventListener("close", function () { box.remove(); });
    box.showModal();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) return;
    var number = target.closest("a.tifa-pn");
    if (number) {
      event.preventDefault();
      var anchor = number.getAttribute("href");
      history.replaceState(history.state, "", anchor);  // the address is the paragraph's #pN
      var p = document.getElementById(anchor.slice(1));
      if (p) p.scrollIntoView({ block: "start" });
      dialog(parseInt(anchor.slice(2), 10));
    } else if (target.closest("[data-tifa-cite]")) {
      dialog(null);
    }
  });

  // Wide tables scroll sideways: make each such region reachable from the keyboard.
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "表格，可横向滚动 · table, scrolls sideways");
      }
    });
  }

  function start() {
    markOutside();
    focusableScrollers();
    watchSearch();
    // The search dialog has no accessible name in Material: give it one.
    var form = document.querySelector(".md-search__form");
    if (form && !form.getAttribute("aria-label")) form.setAttribute("aria-label", "搜索 · Search");
    var search = document.querySelector(".md-search");
    if (search) { search.setAttribute("role", "search"); search.setAttribute("aria-label", "搜索 · Search"); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
