/* Tifa search: exact phrase search over the static index of scripts/tifa/search_index.py.
 *
 * Pure logic, no DOM: the worker (worker.js) and the Node unit tests load this file.
 * `createSearch(fetchFile)` takes a function that returns a Promise of an ArrayBuffer for
 * a path relative to the index directory, and returns { search(query) } whose results
 * follow Material for MkDocs' worker protocol ({ items: SearchItem[][] }).
 * See docs/about/search.md for the design.
 */
"use strict"

const TifaSearchCore = (() => {
  const TOP_PAGES = 10          // pages shown with excerpts; later pages show their title only
  const SECTIONS_PER_PAGE = 4   // sections of a top page listed with an excerpt
  const SHOWN_PER_PAGE = 3      // of those, shown open; the rest under "more on this page"
  const GRAM_BATCH = 6          // bigram shards fetched per round for long queries
  const VERIFY_LIMIT = 40       // candidate sections few enough to verify against their text
  const EXCERPT_CONTEXT = 48    // characters shown either side of the first match
  const KEPT = /^[\p{L}\p{N}]$/u

  /* Traditional → simplified, character by character: meta.json's "fold" pairs (setFold) */
  let scriptFold = new Map()
  function setFold(pairs) {
    const cps = [...pairs || ""]
    scriptFold = new Map()
    for (let i = 0; i + 1 < cps.length; i += 2) scriptFold.set(cps[i], cps[i + 1])
  }

  /* Normalisation, identical to search_index.normalize_with_map (code point offsets) */
  function fold(ch) {
    const o = ch.codePointAt(0)
    if (o >= 0xFF01 && o <= 0xFF5E) ch = String.fromCodePoint(o - 0xFEE0)
    const low = ch.toLowerCase()
    ch = [...low].length === 1 ? low : ch
    return scriptFold.get(ch) || ch
  }

  function normalizeWithMap(text) {
    const chars = [], offsets = []
    let i = 0
    for (const raw of text) {
      const ch = fold(raw)
      if (KEPT.test(ch)) { chars.push(ch); offsets.push(i) }
      i++
    }
    return { chars, offsets }
  }

  const normalize = text => normalizeWithMap(text).chars.join("")

  const toneless = text => normalize(text.normalize("NFD").replace(/\p{M}/gu, ""))

  /* English renderings and queries without a leading article: "the Four Consciousnesses" */
  const ARTICLE = /^\s*(?:the|an?)\s+/i
  const withoutArticle = text => normalize(String(text).replace(ARTICLE, ""))

  function gramShard(gram, shards) {
    let h = 0x811C9DC5
    for (const ch of gram) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0
    return h % shards
  }

  /* Binary decoding */
  function reader(bytes, at = 0) {
    return {
      get at() { return at },
      next() {
        let n = 0, shift = 0, b
        do { b = bytes[at++]; n += (b & 0x7F) * 2 ** shift; shift += 7 } while (b & 0x80)
        return n
      },
    }
  }

  /* Shard → Map(gram → Uint8Array of its postings) */
  function parseShard(buffer) {
    const bytes = new Uint8Array(buffer), r = reader(bytes), grams = []
    const count = r.next()
    for (let i = 0; i < count; i++) {
      const a = r.next(), b = r.next(), len = r.next()
      grams.push([String.fromCodePoint(a) + (b ? String.fromCodePoint(b) : ""), len])
    }
    const map = new Map()
    let at = r.at
    for (const [gram, len] of grams) { map.set(gram, bytes.subarray(at, at + len)); at += len }
    return map
  }

  /* Unigram postings → Map(section → count); bigram → Map(section → positions) */
  function decodePostings(bytes, bigram) {
    const out = new Map(), r = reader(bytes)
    let sec = 0
    while (r.at < bytes.length) {
      sec += r.next()
      const n = r.next()
      if (!bigram) { out.set(sec, n); continue }
      const pos = []
      let p = 0
      for (let i = 0; i < n; i++) { p += r.next(); pos.push(p) }
      out.set(sec, pos)
    }
    return out
  }

  const undelta = list => { let v = 0; return list.map(d => (v += d)) }

  /* Index of the last start <= value in an ascending list */
  function owner(starts, value) {
    let lo = 0, hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= value) lo = mid; else hi = mid - 1
    }
    return lo
  }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
  }

  /* Query parts: whitespace-separated, normalised, without empties and repeats */
  function parseQuery(query) {
    const parts = String(query).split(/\s+/).map(normalize).filter(Boolean)
    return [...new Set(parts)]
  }

  /* Bigram offsets covering every character of a part of length n >= 2 */
  function cover(n) {
    const offsets = []
    for (let o = 0; o + 1 < n; o += 2) offsets.push(o)
    if (offsets[offsets.length - 1] !== n - 2) offsets.push(n - 2)
    return offsets
  }

  /* Occurrences of `part` (array of chars) in `chars` */
  function occurrences(chars, part) {
    const hits = []
    outer: for (let i = 0; i + part.length <= chars.length; i++) {
      for (let j = 0; j < part.length; j++) if (chars[i + j] !== part[j]) continue outer
      hits.push(i)
    }
    return hits
  }

  function createSearch(fetchFile) {
    const cache = new Map()
    const cached = (path, parse) => {
      if (!cache.has(path))
        cache.set(path, fetchFile(path).then(parse).catch(err => { cache.delete(path); throw err }))
      return cache.get(path)
    }
    const json = buffer => JSON.parse(new TextDecoder().decode(buffer))
    const meta = () => cached("meta.json", buffer => {
      const m = json(buffer)
      setFold(m.fold)
      return {
        ...m, docs: undelta(m.docs), chunks: undelta(m.chunks), heads: new Set(undelta(m.heads)),
      }
    })
    const glossary = () => cached("glossary.json", buffer => {
      const g = json(buffer), keys = new Map()
      const add = (k, i) => { if (!(keys.get(k) || []).includes(i)) keys.set(k, [...keys.get(k) || [], i]) }
      g.entries.forEach((entry, i) => {
        entry.k.forEach(k => add(k, i))
        if (ARTICLE.test(entry.e || "")) add(withoutArticle(entry.e), i)  // Tifa reader: "Four Consciousnesses"
      })
      return { entries: g.entries, keys }
    })

    async function postings(m, gram) {
      const shard = await cached(`g/${gramShard(gram, m.shards)}.bin`, parseShard)
      const bytes = shard.get(gram)
      return bytes ? decodePostings(bytes, [...gram].length === 2) : new Map()
    }

    async function chunk(m, index) {
      const c = await cached(`c/${index}.json`, json)
      return { start: m.chunks[index], heading: c.h, sections: c.x }
    }

    /* Original text, kind and anchor of a section, with the heading it sits under */
    async function section(m, sec) {
      const index = owner(m.chunks, sec), c = await chunk(m, index)
      let heading = c.heading
      for (let i = 0; i < sec - c.start; i++) if (c.sections[i][0] === "h") heading = c.sections[i][2]
      const [kind, anchor, text] = c.sections[sec - c.start]
      return { kind, anchor, text, heading }
    }

    async function verify(m, candidates, part) {
      const out = new Map()
      await Promise.all([...candidates].map(async sec => {
        const hits = occurrences(normalizeWithMap((await section(m, sec)).text).chars, part)
        if (hits.length) out.set(sec, hits.length)
      }))
      return out
    }

    /* Sections containing one normalised part: Map(section → occurrences) */
    async function matchPart(m, part) {
      const chars = [...part]
      if (chars.length > m.longest) return new Map()
      if (chars.length === 1) return postings(m, part)
      const offsets = cover(chars.length)
      let starts = null  // Map(section → Set of start positions consistent with every gram)
      for (let b = 0; b < offsets.length; b += GRAM_BATCH) {
        const batch = offsets.slice(b, b + GRAM_BATCH)
        const lists = await Promise.all(batch.map(o => postings(m, chars[o] + chars[o + 1])))
        lists.forEach((list, i) => { starts = intersect(starts, list, batch[i]) })
        if (!starts.size) return new Map()
        if (b + GRAM_BATCH < offsets.length && starts.size <= VERIFY_LIMIT)
          return verify(m, starts.keys(), chars)
      }
      return new Map([...starts].map(([sec, set]) => [sec, set.size]))
    }

    function intersect(starts, list, offset) {
      const next = new Map()
      if (starts === null) {
        for (const [sec, pos] of list) {
          const set = new Set(pos.map(p => p - offset).filter(p => p >= 0))
          if (set.size) next.set(sec, set)
        }
        return next
      }
      for (const [sec, set] of starts) {
        const pos = list.get(sec)
        if (!pos) continue
        const have = new Set(pos.map(p => p - offset))
        const kept = new Set([...set].filter(p => have.has(p)))
        if (kept.size) next.set(sec, kept)
      }
      return next
    }

    /* Sections containing every part: Map(section → total occurrences) */
    async function match(m, parts) {
      if (!parts.length) return new Map()
      const maps = await Promise.all(parts.map(part => matchPart(m, part)))
      maps.sort((a, b) => a.size - b.size)
      const out = new Map()
      for (const [sec, n] of maps[0]) {
        if (maps.every(other => other.has(sec)))
          out.set(sec, maps.reduce((total, other) => total + other.get(sec), 0))
      }
      return out
    }

    /* Pages (speeches) ranked: title or heading matches first, then by occurrences */
    function rankPages(m, hits) {
      const pages = new Map()
      for (const [sec, count] of hits) {
        const doc = owner(m.docs, sec)
        const kind = m.docs[doc] === sec ? "t" : m.heads.has(sec) ? "h" : "p"
        const page = pages.get(doc) || { doc, count: 0, weight: 0, sections: [] }
        page.count += count
        page.weight = Math.max(page.weight, kind === "t" ? 2 : kind === "h" ? 1 : 0)
        page.sections.push({ sec, count, kind })
        pages.set(doc, page)
      }
      const order = { t: 0, h: 1, p: 2 }
      for (const page of pages.values())
        page.sections.sort((a, b) => order[a.kind] - order[b.kind] || b.count - a.count || a.sec - b.sec)
      return [...pages.values()].sort((a, b) =>
        b.weight - a.weight || b.count - a.count || a.doc - b.doc)
    }

    async function title(m, doc) {
      const file = await cached(`t/${Math.floor(doc / m.titles)}.json`, json)
      return file[doc % m.titles]
    }

    async function renderPage(m, page, parts, top) {
      const [url, pageTitle] = await title(m, page.doc)
      const inTitle = page.sections[0].kind === "t"
      const article = {
        location: url, title: highlight(pageTitle, parts, false), text: "", score: 1,
        terms: termsOf(parts),
      }
      if (!top) {
        article.text = `${page.count} 处`
        return [article]
      }
      const listed = page.sections.filter(s => s.kind !== "t").slice(0, SECTIONS_PER_PAGE)
      const docs = await Promise.all(listed.map(async (s, i) => {
        const { kind, anchor, text, heading } = await section(m, s.sec)
        const number = /^p(\d+)$/.exec(anchor)
        const where = kind === "m" ? "元数据 metadata" : number ? `第 ${number[1]} 段` : escapeHTML(anchor)
        const label = kind === "h" ? highlight(text, parts, false)
          : `${escapeHTML(heading || pageTitle)} · ${where}`
        return {
          location: anchor ? `${url}#${anchor}` : url, title: label,
          text: kind === "h" ? "" : highlight(text, parts, true),
          score: i < SHOWN_PER_PAGE ? 1 : 0.5, terms: termsOf(parts),
        }
      }))
      if (inTitle && !docs.length) article.text = `${page.count} 处`
      return [article, ...docs]
    }

    async function glossaryItems(query, parts) {
      const g = await glossary()
      const exact = new Set([
        ...g.keys.get(parts.join("")) || [], ...g.keys.get(toneless(query)) || [],
        ...g.keys.get(withoutArticle(query)) || [],
      ])
      const partial = g.entries.map((e, i) => i).filter(i => !exact.has(i) &&
        parts.every(p => g.entries[i].n.some(n => n.includes(p))))
      return [...exact, ...partial].map(i => {
        const e = g.entries[i]
        const label = [highlight(e.t, parts, false), escapeHTML(e.p), escapeHTML(e.e)]
        return [{
          location: e.u, title: label.filter(Boolean).join(" · "),
          text: highlight(e.s, parts, false), score: exact.has(i) ? 2 : 1.5, terms: termsOf(parts),
        }]
      })
    }

    async function search(query) {
      if (!parseQuery(query || "").length) return { items: [] }
      const m = await meta()  // before parsing: meta.json carries the script fold
      const parts = parseQuery(query || "")
      const [gloss, hits] = await Promise.all([glossaryItems(query, parts), match(m, parts)])
      const pages = rankPages(m, hits)
      const items = await Promise.all(pages.map((page, i) => renderPage(m, page, parts, i < TOP_PAGES)))
      return { items: [...gloss, ...items] }
    }

    return {
      search,
      match: async query => match(await meta(), parseQuery(query)),
      warm: () => Promise.all([meta(), glossary()]),
    }
  }

  /* `terms` for Material: every part was found (results never contain only part of a query) */
  const termsOf = parts => Object.fromEntries(parts.map(p => [p, true]))

  /* Escaped text with every occurrence of every part marked; `excerpt` trims around the first */
  function highlight(text, parts, excerpt) {
    const cps = [...text], { chars, offsets } = normalizeWithMap(text)
    const marked = new Array(cps.length).fill(false)
    let first = -1
    for (const part of parts) {
      const p = [...part]
      for (const i of occurrences(chars, p)) {
        const from = offsets[i], to = offsets[i + p.length - 1]
        for (let k = from; k <= to; k++) marked[k] = true
        if (first < 0 || from < first) first = from
      }
    }
    let lo = 0, hi = cps.length
    if (excerpt && first >= 0) {
      lo = Math.max(0, first - EXCERPT_CONTEXT)
      hi = Math.min(cps.length, first + EXCERPT_CONTEXT * 2)
    }
    let html = lo > 0 ? "…" : "", open = false
    for (let k = lo; k < hi; k++) {
      if (marked[k] !== open) { html += open ? "</mark>" : "<mark>"; open = marked[k] }
      html += escapeHTML(cps[k])
    }
    if (open) html += "</mark>"
    return html + (hi < cps.length ? "…" : "")
  }

  return { createSearch, normalize, normalizeWithMap, toneless, gramShard, parseQuery, highlight, cover }
})()

if (typeof module !== "undefined") module.exports = TifaSearchCore
