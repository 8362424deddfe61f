// Drives headless Chromium (puppeteer-core, the system's chromium) through
// the site's search: opens URL, waits for Pagefind's results or its "no
// results" message, and prints what the page shows as JSON:
// {"results": [result link hrefs], "message": "...", "console": [errors],
//  "box": {hidden, action}, "query": "...", "url": "..."}. With TYPED, the
// words are typed into the header's search box and submitted first, and
// the rest is read from the page that leads to.
//   node search.mjs CHROMIUM URL [TYPED]
import puppeteer from "puppeteer-core";

const [chromium, url, typed] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const errors = [];
try {
  const page = await browser.newPage();
  // Browsers ask every site for /favicon.ico; the test server has none.
  const favicon = (s) => /favicon\.ico/.test(s);
  page.on("console", (m) => {
    if (m.type() === "error" && !favicon(m.location()?.url || "")) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400 && !favicon(r.url())) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  if (typed) {
    await page.type("form.site-search input", typed);
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
  }
  let results = [];
  let message = "";
  if (await page.$("#search")) {
    await page.waitForFunction(
      () => document.querySelector(".pagefind-ui__result-link") ||
        /0|見つかりません|No results/.test(document.querySelector(".pagefind-ui__message")?.textContent || "") &&
          !/検索しています|Searching/.test(document.querySelector(".pagefind-ui__message")?.textContent || ""),
      { timeout: 20000 },
    ).catch(() => {});
    results = await page.$$eval(".pagefind-ui__result-link", (as) => as.map((a) => a.getAttribute("href")));
    message = await page.$eval(".pagefind-ui__message", (m) => m.textContent).catch(() => "");
  }
  const box = await page.$eval("form.site-search", (f) => ({ hidden: f.hidden, action: f.getAttribute("action") }))
    .catch(() => null);
  const query = await page.$eval(".pagefind-ui__search-input", (i) => i.value).catch(() => null);
  console.log(JSON.stringify({ results, message, query, box, url: page.url(), console: errors }));
} finally {
  await browser.close();
}
