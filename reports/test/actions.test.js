// Browser tests of what a segment page says marketing should do: the segment's name (and the
// generated name when marketing chose a business name, seeds/segment_name_overrides.csv), its
// value tier with revenue share against customer share, and the action with its reason. Every
// segment page at 390 and 1280 px, compared with segment_value_tiers and segment_actions in the
// same DuckDB file. With REPORT_SHAPES_DIR (make report-test) the customers-only site, which has
// no orders, must say why there is no tier.
//
// Environment: as site.test.js (REPORT_OUTPUT_DIR, SEGMENTATION_DUCKDB_PATH, REPORT_SHAPES_DIR).
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {serve} from "../scripts/serve.js";
import {checkOverflow, launchBrowser, metric, openPage, query as runQuery, reportsDir, viewports} from "./lib.js";

function pageTests(label, dist, database, {expectTier}) {
  const query = (sql) => runQuery(sql, database ? {SEGMENTATION_DUCKDB_PATH: database} : {});
  const segments = query(`
    select tiers.segment_id, tiers.segment_name, tiers.generated_segment_name, tiers.value_tier, tiers.value_index,
           actions.action, actions.reason
    from segment_value_tiers as tiers
    inner join segment_actions as actions on tiers.segment_id = actions.segment_id
    order by tiers.segment_id`);
  let server;
  let url;
  let browser;

  describe(label, () => {
    before(async () => {
      assert.ok(existsSync(path.join(dist, "index.html")), `${dist} has no index.html: build the site first`);
      ({server, url} = await serve(dist, 0));
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    test("every segment has an action and a reason in the mart", () => {
      assert.ok(segments.length > 1);
      for (const s of segments) assert.ok(s.action && s.reason, `segment ${s.segment_id}`);
      if (expectTier) assert.ok(segments.every((s) => s.value_tier), "a tier for every segment with revenue");
      else assert.ok(segments.every((s) => s.value_tier == null), "no tier without revenue");
    });

    test("the overview's centroid heatmap labels segments by the names the pages show", async () => {
      const {page, problems} = await openPage(browser, new URL("index.html", url).href);
      try {
        assert.deepEqual(problems, []);
        const text = await page.$eval('[data-chart="centroid-heatmap"]', (e) => e.textContent);
        for (const s of segments) assert.ok(text.includes(`${s.segment_id} · ${s.segment_name}`), `segment ${s.segment_id}`);
      } finally {
        await page.context().close();
      }
    });

    for (const viewport of viewports) {
      test(`segment pages show name, tier and action at ${viewport.name} px`, async () => {
        for (const s of segments) {
          const {page, response, problems} = await openPage(browser, new URL(`segments/${s.segment_id}.html`, url).href, viewport);
          try {
            assert.equal(response.status(), 200);
            assert.deepEqual(problems, [], `segment ${s.segment_id}`);
            assert.equal(await metric(page, "segment-name"), s.segment_name);
            const generated = await page.$$eval('[data-metric="generated-name"]', (e) => e.map((x) => x.textContent));
            if (s.generated_segment_name !== s.segment_name) {
              assert.equal(generated.length, 1, `segment ${s.segment_id}: the generated name is shown`);
              assert.ok(generated[0].includes(s.generated_segment_name));
            } else {
              assert.deepEqual(generated, [], `segment ${s.segment_id}: no generated-name note without a business name`);
            }
            const tier = await page.$eval('[data-metric="value-tier"]', (e) => e.textContent.trim());
            if (s.value_tier) {
              assert.equal(tier, s.value_tier);
              assert.equal(Number(await metric(page, "value-index")), s.value_index);
              const card = await page.$eval('[data-card="value-tier"]', (e) => e.textContent);
              assert.match(card, /of net revenue from .* of customers/);
            } else {
              assert.match(tier, /No value tier: this build has no orders/);
            }
            assert.equal(await metric(page, "action"), s.action);
            assert.equal(await metric(page, "action-reason"), s.reason);
            for (const card of ["value-tier", "action"]) {
              assert.ok(await page.$eval(`[data-card="${card}"]`, (e) => e.getBoundingClientRect().width > 0));
            }
            await checkOverflow(page);
          } finally {
            await page.context().close();
          }
        }
      });
    }
  });
}

pageTests("demo data", path.resolve(reportsDir, process.env.REPORT_OUTPUT_DIR ?? "dist"), process.env.SEGMENTATION_DUCKDB_PATH, {
  expectTier: true
});

const shapes = process.env.REPORT_SHAPES_DIR;
if (shapes) {
  pageTests("customers only (no revenue)", path.join(shapes, "customers_only-dist"), path.join(shapes, "customers_only.duckdb"), {
    expectTier: false
  });
}
