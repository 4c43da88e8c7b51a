// Tifa /trends/: compare up to five glossary terms through time on one chart.
// Data: docs/data/trends.json (written by scripts/tifa/trends.py). The chosen terms live in the
// address as ?terms=slug1,slug2 so a comparison can be shared. Everything is drawn with DOM APIs
// (createElementNS, textContent): no text from the data is ever parsed as HTML.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var W = 720, H = 270, LEFT = 50, RIGHT = 10, TOP = 30, PLOT = 200;

  function el(name, attrs, text) {
    var node = name.indexOf("svg:") === 0 ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fmt(rate) { return rate < 10 ? rate.toFixed(2) : rate.toFixed(1); }

  function chosenFromUrl(data) {
    var raw = new URLSearchParams(location.search).get("terms") || "";
    var seen = [];
    raw.split(",").forEach(function (slug) {
      slug = slug.trim();
      if (slug && data.terms[slug] && seen.indexOf(slug) < 0 && seen.length < data.max) seen.push(slug);
    });
    return seen;
  }

  function writeUrl(chosen) {
    var params = new URLSearchParams(location.search);
    if (chosen.length) params.set("terms", chosen.join(",")); else params.delete("terms");
    var query = params.toString().replace(/%2C/gi, ",");
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function rates(data, slug) {
    return data.terms[slug].counts.map(function (count, i) {
      return data.characters[i] ? count * data.per / data.characters[i] : 0;
    });
  }

  function lookup(data, text) {
    text = text.trim();
    if (data.terms[text]) return text;
    var found = null;
    Object.keys(data.terms).forEach(function (slug) {
      var t = data.terms[slug];
      if (!found && (t.term === text || t.pinyin === text)) found = slug;
    });
    return found;
  }

  function chart(data, chosen) {
    var years = data.years.map(Number);
    var first = years[0], span = years[years.length - 1] - first + 1;
    var step = (W - LEFT - RIGHT) / Math.max(span - 1, 1);
    var x = function (year) { return LEFT + (year - first) * step; };
    var series = chosen.map(function (slug) { return rates(data, slug); });
    var top = Math.max.apply(null, [0].concat.apply([], series)) || 1;
    var y = function (rate) { return TOP + PLOT - rate / top * PLOT; };
    var names = chosen.map(function (slug) { return data.terms[slug].term; }).join("、");
    var svg = el("svg:svg", {"class": "tifa-chart", viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-labelledby": "tifa-compare-title"});
    svg.appendChild(el("svg:title", {id: "tifa-compare-title"},
      names + "：历年每万字出现次数 · per 10,000 characters, by year"));
    [0, 0.5, 1].forEach(function (f) {
      svg.appendChild(el("svg:line", {"class": f ? "tifa-grid" : "tifa-axis", x1: LEFT, x2: W - RIGHT, y1: y(top * f), y2: y(top * f)}));
      svg.appendChild(el("svg:text", {"class": "tifa-tick", x: LEFT - 6, y: y(top * f) + 5, "text-anchor": "end"}, fmt(top * f)));
    });
    svg.appendChild(el("svg:text", {"class": "tifa-label", x: LEFT, y: 15}, "每万字出现次数 per 10,000 characters"));
    for (var year = first; year < first + span; year++) {
      if (span <= 12 || year % (span > 30 ? 10 : 5) === 0) {
        svg.appendChild(el("svg:text", {"class": "tifa-tick", x: x(year), y: TOP + PLOT + 22, "text-anchor": "middle"}, String(year)));
      }
    }
    series.forEach(function (values, n) {
      var g = el("svg:g", {"class": "tifa-series tifa-s" + (n + 1), "data-slug": chosen[n]});
      var d = "", previous = null;
      values.forEach(function (rate, i) {
        var gap = previous === null || years[i] !== previous + 1;
        d += (gap ? "M" : "L") + x(years[i]).toFixed(1) + " " + y(rate).toFixed(1) + " ";
        previous = years[i];
        if (!data.terms[chosen[n]].counts[i]) return;  // a dot where the term occurs; the line shows the zeros
        var dot = el("svg:circle", {"class": "tifa-s" + (n + 1), cx: x(years[i]).toFixed(1), cy: y(rate).toFixed(1), r: 2.5});
        dot.appendChild(el("svg:title", {}, data.terms[chosen[n]].term + " " + years[i] + ": " +
          data.terms[chosen[n]].counts[i] + " 次 · " + fmt(rate) + " / 10,000 · " + data.speeches[i] + " 篇 speeches"));
        g.appendChild(dot);
      });
      g.insertBefore(el("svg:path", {"class": "tifa-line tifa-s" + (n + 1), d: d.trim()}), g.firstChild);
      svg.appendChild(g);
    });
    return svg;
  }

  function table(data, chosen) {
    var details = el("details", {"class": "tifa-numbers"});
    details.appendChild(el("summary", {}, "逐年数字 The numbers, year by year"));
    var t = el("table"), head = el("tr");
    head.appendChild(el("th", {scope: "col"}, "年 Year"));
    head.appendChild(el("th", {scope: "col"}, "讲话 Speeches"));
    chosen.forEach(function (slug) { head.appendChild(el("th", {scope: "col"}, data.terms[slug].term + " 次数 (每万字)")); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    data.years.forEach(function (year, i) {
      var row = el("tr");
      row.appendChild(el("th", {scope: "row"}, year));
      row.appendChild(el("td", {}, String(data.speeches[i])));
      chosen.forEach(function (slug) {
        row.appendChild(el("td", {}, data.terms[slug].counts[i] + " (" + fmt(rates(data, slug)[i]) + ")"));
      });
      body.appendChild(row);
    });
    details.appendChild(t);
    return details;
  }

  function swatch(n) {
    var svg = el("svg:svg", {"class": "tifa-chart", viewBox: "0 0 24 10", "aria-hidden": "true"});
    svg.appendChild(el("svg:path", {"class": "tifa-line tifa-s" + (n + 1), d: "M1 5 L23 5"}));
    var box = el("span", {"class": "tifa-swatch"});
    box.appendChild(svg);
    return box;
  }

  function mount(root, data) {
    var chosen = chosenFromUrl(data);
    var form = el("form", {role: "search"});
    var input = el("input", {type: "text", list: "tifa-trend-terms", "aria-label": "条目 Term",
      placeholder: "输入条目，如 高质量发展 · type a term"});
    var options = el("datalist", {id: "tifa-trend-terms"});
    Object.keys(data.terms).forEach(function (slug) {
      options.appendChild(el("option", {value: data.terms[slug].term, label: data.terms[slug].pinyin}));
    });
    var add = el("button", {type: "submit"}, "加入 Add");
    var status = el("p", {role: "status"});
    var chips = el("ul", {"class": "tifa-chips", "aria-label": "已选条目 Chosen terms"});
    var figure = el("figure", {"class": "tifa-trend"});
    [input, options, add].forEach(function (n) { form.appendChild(n); });
    [form, status, chips, figure].forEach(function (n) { root.appendChild(n); });

    function render() {
      chips.textContent = "";
      chosen.forEach(function (slug, n) {
        var chip = el("li", {"data-slug": slug});
        chip.appendChild(swatch(n));
        var a = el("a", {href: "../glossary/" + encodeURIComponent(slug) + "/"}, data.terms[slug].term);
        chip.appendChild(a);
        var remove = el("button", {type: "button", "aria-label": "移除 Remove " + data.terms[slug].term}, "×");
        remove.addEventListener("click", function () { update(chosen.filter(function (s) { return s !== slug; })); });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      figure.textContent = "";
      if (chosen.length) {
        figure.appendChild(chart(data, chosen));
        figure.appendChild(table(data, chosen));
      }
      add.disabled = chosen.length >= data.max;
      var undated = data.undated.speeches;
      status.textContent = chosen.length ? (undated ? "未注明日期的 " + undated + " 篇讲话不在图中。 " +
        undated + " undated speech(es) are not on the chart." : "") : "尚未选择条目。 No term chosen yet.";
    }

    function update(next) { chosen = next; writeUrl(chosen); render(); }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var slug = lookup(data, input.value);
      if (!slug) { status.textContent = "没有这个条目，或它在语料中未出现。 No such term in the corpus."; return; }
      if (chosen.indexOf(slug) < 0 && chosen.length < data.max) update(chosen.concat([slug]));
      input.value = "";
    });
    render();
  }

  function init() {
    var root = document.getElementById("tifa-trends");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "loading");
    fetch(root.getAttribute("data-src"))
      .then(function (response) { return response.json(); })
      .then(function (data) { mount(root, data); root.setAttribute("data-ready", "yes"); })
      .catch(function () { root.appendChild(el("p", {}, "趋势数据无法载入。 The trend data could not be loaded.")); });
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init); else init();
})();
