/* Tifa search worker: Material for MkDocs' search worker protocol over Tifa's phrase index.
 *
 * Material's bundle creates this worker from the "search" URL in the page's #__config
 * (overrides/main.html points it here) and speaks four messages: SETUP (0), READY (1),
 * QUERY (2) and RESULT (3). The index needs no SETUP: this worker announces READY at once,
 * loads the small files it always needs, and answers every QUERY. Only the answer to the
 * latest query is posted, so results never arrive out of order while the reader types.
 */
"use strict"

importScripts("core.js")

const INDEX = new URL("../../search/", self.location.href)  // site root + search/
const MESSAGE = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 }

const engine = TifaSearchCore.createSearch(async path => {
  const response = await fetch(new URL(path, INDEX))
  if (!response.ok) throw new Error(`${response.status} ${path}`)
  return response.arrayBuffer()
})

let latest = 0

addEventListener("message", async ({ data: message }) => {
  if (message.type === MESSAGE.SETUP) {
    postMessage({ type: MESSAGE.READY })
  } else if (message.type === MESSAGE.QUERY) {
    const id = ++latest
    let result
    try {
      result = await engine.search(message.data)
    } catch (err) {
      console.warn("Tifa search failed:", err)
      result = { items: [] }
    }
    if (id === latest) postMessage({ type: MESSAGE.RESULT, data: result })
  }
})

postMessage({ type: MESSAGE.READY })
engine.warm().catch(() => {})  // meta.json and glossary.json, before the first query
