// Query time of a built site's search in headless Chromium: loads the
// site's search page, then times Pagefind's own JS API (`search` and the
// first result's `data`) for each term, cold (the first query: the WASM
// and the index chunks are fetched) and warm (the same term again).
// Prints one JSON line per term. ES modules resolve packages from the
// script's directory: run a copy next to the node_modules .ci/run
// installs (target/axe). Serve the site over HTTP first, e.g.
//   (cd SITE && python3 -m http.server 8765 &)
//   cp bench/search-query.mjs target/axe/ && node target/axe/search-query.mjs \
//     /usr/bin/chromium http://127.0.0.1:8765/ 購買履歴 churn 佐藤
import puppeteer from "puppeteer-core";

const [chromium, base, ...terms] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  for (const term of terms) {
    // A fresh page per term, so that each cold query is cold.
    const page = await browser.newPage();
    await page.setCacheEnabled(false);
    await page.goto(new URL("search/index.html", base).href, { waitUntil: "load" });
    const timing = await page.evaluate(async (term) => {
      const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
      const once = async () => {
        const t0 = performance.now();
        const found = await pagefind.search(term);
        const first = found.results[0] ? await found.results[0].data() : null;
        return { ms: performance.now() - t0, hits: found.results.length, first: first?.url ?? null };
      };
      const cold = await once();
      const warm = await once();
      return { cold, warm };
    }, term);
    console.log(JSON.stringify({ term, ...timing }));
    await page.close();
  }
} finally {
  await browser.close();
}
