// Runs a built site's search worker (Material's worker + search-korean.js) in Node for the mechanism tests:
//   node tests/search_worker.js <site dir> <language dir: "" or "en">
// reads one batch of calls a line (JSON) and writes its answers as one line, until its input ends (one process serves a
// whole test run: tests/test_search.py worker_calls). A call {fn, args} calls a helper of search-korean.js; {query}
// searches and answers {read, notice, pages, top, cut, ms}
// (top: the first result's best document, the link Material shows first under the page title).
"use strict";
const fs = require("fs"), path = require("path"), vm = require("vm");

const [site, lang] = process.argv.slice(2);
const dir = path.join(site, "assets/javascripts/workers");
const material = fs.readdirSync(dir).find(f => /^search\.[0-9a-f]+\.material\.min\.js$/.test(f));
const listeners = [], posted = [];
const scope = { console: { warn() {}, log() {}, error: console.error }, setTimeout, Promise };
scope.self = scope;
scope.addEventListener = (type, listener) => listeners.push(listener);
scope.postMessage = message => posted.push(message);
vm.createContext(scope);
for (const file of ["search-korean.js", material]) vm.runInContext(fs.readFileSync(path.join(dir, file), "utf8"), scope);

async function send(message) {
  for (const listener of listeners) await listener({ data: message });
  await new Promise(resolve => setTimeout(resolve, 0));
  return posted.pop();
}

async function answer(calls) {
  const answers = [];
  for (const call of calls) {
    if ("query" in call) {
      const start = performance.now();
      const result = await send({ type: 2, data: call.query });
      const ms = performance.now() - start; // the worker's answer: rewriting, lunr and ranking
      const { limit } = scope.searchKorean; // how the worker read the query; an older worker is asked again (no lastRead)
      const read = scope.searchKorean.lastRead || scope.searchKorean.rewriteQuery(limit ? limit(call.query).text : call.query);
      delete scope.searchKorean.lastRead;
      const pages = [...new Set(result.data.items.map(group => group[0].location.split("#")[0]))];
      const top = result.data.items.length ? result.data.items[0][0].location : null; // the link Material shows first
      answers.push({ read: { query: read.query, searched: read.searched, changed: !!read.changed }, notice: result.data.searched || null,
        pages, top, cut: result.data.cut || null, ms });
    } else answers.push(scope.searchKorean[call.fn](...call.args));
  }
  return answers;
}

(async () => {
  const index = JSON.parse(fs.readFileSync(path.join(site, lang, "search", "search_index.json"), "utf8"));
  await send({ type: 0, data: { ...index, options: { suggest: false } } });
  for await (const line of require("readline").createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    process.stdout.write(JSON.stringify(await answer(JSON.parse(line))) + "\n");
  }
})();
