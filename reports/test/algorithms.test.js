// Browser test of the algorithm comparison on the model-selection page, at 390 and 1280 px: the
// table shows every row of segment_algorithm_comparison with its numbers, the page says which
// algorithm assigns the segments, and nothing overflows or fails to load.
//
// Environment: REPORT_OUTPUT_DIR (the built site, default reports/dist) and
// SEGMENTATION_DUCKDB_PATH (the database it was built from), as for site.test.js.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import {after, before, test} from "node:test";
import {serve} from "../scripts/serve.js";
import {checkOverflow, launchBrowser, metric, openPage, query, reportsDir, screenshot, viewports} from "./lib.js";

const dist = path.resolve(reportsDir, process.env.REPORT_OUTPUT_DIR ?? "dist");
const screenshots = path.resolve(reportsDir, process.env.REPORT_SCREENSHOTS_DIR ?? "screenshots");
const names = {kmeans: "K-Means", agglomerative: "Ward (agglomerative)", gmm: "Gaussian mixture", dbscan: "DBSCAN"};
let server;
let siteUrl;
let browser;

before(async () => {
  assert.ok(existsSync(path.join(dist, "model-selection.html")), `${dist} has no model-selection.html: build the site first`);
  ({server, url: siteUrl} = await serve(dist, 0));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.close();
});

for (const viewport of viewports) {
  test(`model selection at ${viewport.width} px: the algorithm comparison equals segment_algorithm_comparison`, async () => {
    const expected = query(`
      select algorithm, n_clusters, adjusted_rand_vs_kmeans, is_assigning
      from segment_algorithm_comparison
      order by case algorithm when 'kmeans' then 1 when 'agglomerative' then 2 when 'gmm' then 3 else 4 end`);
    assert.equal(expected.length, 4, "four algorithms in the database");
    const {page, problems} = await openPage(browser, new URL("model-selection.html", siteUrl).href, viewport);
    try {
      const rows = await page.$$eval('[data-table="algorithms"] tbody tr', (trs) =>
        trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("[data-col]")].map((cell) => [cell.dataset.col, cell.textContent.trim()])))
      );
      assert.deepEqual(
        rows.map((row) => [row.algorithm, Number(row.n_clusters), row.adjusted_rand_vs_kmeans, row.is_assigning]),
        expected.map((d) => [names[d.algorithm], d.n_clusters, d.adjusted_rand_vs_kmeans.toFixed(3), d.is_assigning ? "yes" : ""])
      );
      const assigning = expected.find((d) => d.is_assigning);
      assert.match(await metric(page, "assigning"), new RegExp(`come from ${names[assigning.algorithm]}`));
      await checkOverflow(page);
      await screenshot(page, screenshots, `algorithms-${viewport.name}`);
      assert.deepEqual(problems, [], `problems on model-selection.html at ${viewport.width} px`);
    } finally {
      await page.context().close();
    }
  });
}
