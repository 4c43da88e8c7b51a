// Tifa: clicking a paragraph number copies a citation of that paragraph and moves to its anchor.
(function () {
  "use strict";

  function citation(anchor) {
    var title = document.querySelector(".md-content h1");
    var number = anchor.getAttribute("href").replace("#p", "");
    var url = location.href.split("#")[0] + anchor.getAttribute("href");
    return "《" + (title ? title.textContent.trim() : document.title) + "》，第" + number + "段。" + url;
  }

  function toast(message) {
    var note = document.createElement("div");
    note.className = "tifa-toast";
    note.setAttribute("role", "status");
    note.textContent = message;
    document.body.appendChild(note);
    setTimeout(function () { note.remove(); }, 2000);
  }

  document.addEventListener("click", function (event) {
    var anchor = event.target.closest ? event.target.closest("a.tifa-pn") : null;
    if (!anchor || !navigator.clipboard) return;
    var text = citation(anchor);
    navigator.clipboard.writeText(text).then(
      function () { toast("已复制引用 · Citation copied: " + text); },
      function () { toast(text); }
    );
  });
})();
