// Browser tests of the RFM page at 390 and 1280 px: the page must not scroll sideways, the
// recency x frequency grid must draw its 25 cells with the counts of rfm_grid_cells, and the
// named-segment, cut-point and cross-tab tables must hold the rows of their marts. On a site
// built without orders (REPORT_SHAPES_DIR's customers_only, from make report-test) the page
// must say that there are no RFM scores instead of drawing empty tables.
//
// Environment as site.test.js: REPORT_OUTPUT_DIR, SEGMENTATION_DUCKDB_PATH, REPORT_SHAPES_DIR.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {serve} from "../scripts/serve.js";
import {checkOverflow, launchBrowser, metric, openPage, query as runQuery, reportsDir, screenshot, viewports} from "./lib.js";

const screenshots = path.resolve(reportsDir, process.env.REPORT_SCREENSHOTS_DIR ?? "screenshots", "rfm");

/** Registers the RFM page's tests for the site in `dist` built from `database`. */
function rfmTests({label, dist, database}) {
  const query = (sql) => runQuery(sql, database ? {SEGMENTATION_DUCKDB_PATH: database} : {});
  let server;
  let siteUrl;
  let browser;

  describe(label, () => {
    before(async () => {
      assert.ok(existsSync(path.join(dist, "rfm.html")), `${dist} has no rfm.html: build the site first`);
      ({server, url: siteUrl} = await serve(dist, 0));
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    /** Opens the RFM page at each width, runs `checks`, and fails on overflow or any page problem. */
    async function visit(name, checks) {
      for (const viewport of viewports) {
        const {page, response, problems} = await openPage(browser, new URL("rfm.html", siteUrl).href, viewport);
        const where = `rfm.html at ${viewport.width} px`;
        try {
          assert.equal(response.status(), 200, `${where} answered HTTP ${response.status()}`);
          await checkOverflow(page);
          await checks(page, where);
          await screenshot(page, screenshots, `${name}-${viewport.name}`);
          assert.deepEqual(problems, [], `problems on ${where}`);
        } finally {
          await page.context().close();
        }
      }
    }

    /** The data-value of column `column` in every row of table `name`, in page order. */
    const column = (page, name, key) =>
      page.$$eval(`[data-table="${name}"] tbody [data-col="${key}"]`, (spans) => spans.map((s) => s.dataset.value));

    test("the grid, the named segments, the cut points and the cross-tab equal the marts", async () => {
      const [summary] = query("select count(*) as customers, count(r_score) as scored from customer_rfm_scores");
      const grid = query("select r_score, f_score, n_customers from rfm_grid_cells order by r_score, f_score");
      const segments = query("select rfm_segment, n_customers from rfm_segment_profiles order by display_order");
      const thresholds = query("select count(*) as n from rfm_score_thresholds")[0].n;
      const crosstab = query("select count(*) as n, sum(n_customers) as customers from segment_rfm_crosstab")[0];
      await visit(`${label}`, async (page, where) => {
        assert.equal(Number(await metric(page, "scored")), summary.scored, `${where}: scored customers`);
        assert.equal(Number(await metric(page, "not_scored")), summary.customers - summary.scored, `${where}: not scored`);
        const notes = await page.$$eval(".chart-note", (ps) => ps.map((p) => p.textContent.trim()));
        if (summary.scored === 0) {
          // No RFM: every chart and table is replaced by the same sentence, and none is drawn.
          assert.equal(notes.length, 4, `${where}: notes ${notes}`);
          for (const note of notes) assert.match(note, /so no RFM scores/);
          assert.match(await metric(page, "rfm-summary"), /so no RFM scores/);
          assert.equal(await page.$$eval("[data-table], [data-chart]", (e) => e.length), 0);
          return;
        }
        assert.deepEqual(notes, [], `${where}: unexpected notes`);
        // The grid: one grey background cell per (R, F) pair, each labelled with its count.
        assert.equal(grid.length, 25);
        const cells = await page.$$eval('[data-chart="rfm-grid"] svg g[aria-label="cell"]', (groups) =>
          groups.map((g) => g.querySelectorAll("rect").length));
        assert.equal(cells[0], 25, `${where}: grid cells ${cells}`);
        assert.ok(cells[1] > 0, `${where}: no cell coloured by mean spend`);
        const counts = await page.$$eval('[data-chart="rfm-grid"] svg g[aria-label="text"] text', (texts) =>
          texts.map((t) => Number(t.textContent.replaceAll(",", ""))));
        assert.deepEqual(counts, grid.map((d) => d.n_customers), `${where}: grid counts`);
        assert.equal(await page.$$eval('[data-chart="rfm-grid"] svg g[aria-label="x-axis label"]', (e) => e.length), 1);
        assert.equal(await page.$$eval('[data-chart="rfm-grid"] svg g[aria-label="y-axis label"]', (e) => e.length), 1);
        assert.ok(await page.$('[data-chart="rfm-grid"] .plot-ramp, [data-chart="rfm-grid"] svg[class*="ramp"]'), `${where}: no legend`);
        // The named segments, in the seed's order, with their sizes and an action each.
        assert.deepEqual(await column(page, "rfm-segments", "rfm_segment"), segments.map((d) => d.rfm_segment));
        assert.deepEqual((await column(page, "rfm-segments", "n_customers")).map(Number), segments.map((d) => d.n_customers));
        assert.ok((await column(page, "rfm-segments", "action")).every((a) => a.length > 10), `${where}: an action is missing`);
        assert.equal((await column(page, "rfm-thresholds", "score")).length, thresholds);
        // The cross-tab: its search box counts every row of the mart.
        const status = await page.$eval('[data-table="rfm-crosstab"] .table-tools', (e) => e.textContent);
        assert.match(status, new RegExp(`${crosstab.n} of ${crosstab.n} rows`), `${where}: cross-tab rows`);
        assert.equal(crosstab.customers, summary.scored, "every scored customer is in the cross-tab");
      });
    });
  });
}

rfmTests({
  label: "demo",
  dist: path.resolve(reportsDir, process.env.REPORT_OUTPUT_DIR ?? "dist"),
  database: process.env.SEGMENTATION_DUCKDB_PATH
});

const shapesDir = process.env.REPORT_SHAPES_DIR;
if (shapesDir) {
  rfmTests({
    label: "customers_only",
    dist: path.join(shapesDir, "customers_only-dist"),
    database: path.join(shapesDir, "customers_only.duckdb")
  });
} else {
  test.skip("the RFM page without orders (set REPORT_SHAPES_DIR; make report-test builds it)");
}
