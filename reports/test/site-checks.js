// The browser checks of one built report site, registered as node:test tests.
//
// For every page of the site served on 127.0.0.1 in Debian's Chromium: HTTP 200, no console
// errors, no failed requests (and none that leave the machine), every chart container drew
// marks (SVG marks, or a non-blank canvas for the 3-D scatter), the numbers on the page
// equal the SQL run against the same DuckDB file, and a full-page screenshot is saved.
import assert from "node:assert/strict";
import {existsSync, readdirSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {serve} from "../scripts/serve.js";
import {checkCharts, launchBrowser, metric, openPage, query as runQuery, screenshot} from "./lib.js";

/**
 * Registers the tests of the site built into `dist` from `database`.
 * `allowNotes`: the data set lacks orders or demographics, so one-line notes in place of
 * some charts are expected; `expectNotes` maps a page path to note texts it must show.
 */
export function siteTests({label, dist, database, screenshots, allowNotes = false, expectNotes = {}}) {
  const query = (sql) => runQuery(sql, database ? {SEGMENTATION_DUCKDB_PATH: database} : {});
  const segments = query(
    "select segment_id, segment_name, n_customers, customer_share, net_revenue, revenue_share from segment_profiles order by segment_id"
  );
  const [settings] = query("select report_customer_rows, report_min_cell_size, currency from report_settings");
  const visited = new Set();
  const termsUsed = new Map(); // glossary key -> hover definition, from every page visited
  let server;
  let siteUrl;
  let browser;

  describe(label, () => {
    before(async () => {
      assert.ok(existsSync(path.join(dist, "index.html")), `${dist} has no index.html: build the site first`);
      ({server, url: siteUrl} = await serve(dist, 0));
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      server?.close();
    });

    /** Opens one page, runs the generic checks and `checks(page)`, saves its screenshot. */
    async function visit(pagePath, name, checks) {
      visited.add(pagePath);
      const {page, response, problems} = await openPage(browser, new URL(pagePath.slice(1), siteUrl).href);
      try {
        assert.equal(response.status(), 200, `${pagePath} answered HTTP ${response.status()}`);
        const {notes} = await checkCharts(page, {allowNotes});
        for (const expected of expectNotes[pagePath] ?? []) {
          assert.ok(notes.some((note) => expected.test(note)), `${pagePath} has no note matching ${expected}: ${notes}`);
        }
        if (checks) await checks(page);
        // Every marked term has a hover definition, the same on every page.
        for (const [key, title] of await page.$$eval("abbr.term", (abbrs) => abbrs.map((a) => [a.dataset.term, a.title]))) {
          assert.ok(title, `${pagePath}: term ${key} has no definition`);
          assert.equal(termsUsed.get(key) ?? title, title, `term ${key} is defined twice`);
          termsUsed.set(key, title);
        }
        await screenshot(page, screenshots, name);
        assert.deepEqual(problems, [], `problems on ${pagePath}`);
      } finally {
        await page.context().close();
      }
    }

    test("overview: headline numbers equal the SQL and every segment page is linked", async () => {
      const [run] = query(`
        select count(*) as customers, count(distinct segment_id) as segments, any_value(k) as k
        from customer_segments`);
      await visit("/", "overview", async (page) => {
        assert.equal(Number(await metric(page, "customers")), run.customers);
        assert.equal(Number(await metric(page, "segments")), run.segments);
        assert.equal(Number(await metric(page, "k")), run.k);
        assert.equal(run.segments, segments.length);

        // The profile table: one row per segment, its size equal to segment_profiles.
        const rows = await page.$$eval('[data-table="profiles"] tbody tr', (trs) =>
          trs.map((tr) => ({
            name: tr.querySelector('[data-col="segment_name"]').dataset.value,
            href: tr.querySelector('[data-col="segment_name"] a').href,
            size: Number(tr.querySelector('[data-col="n_customers"]').dataset.value),
            revenueShare: tr.querySelector('[data-col="revenue_share"]')?.dataset.value,
            revenue: tr.querySelector('[data-col="net_revenue"]')?.textContent
          }))
        );
        assert.deepEqual(
          rows.map((r) => [r.name, r.size]),
          segments.map((s) => [s.segment_name, s.n_customers])
        );
        // Revenue share beside the customer share, equal to segment_profiles (none without orders).
        assert.deepEqual(
          rows.map((r) => (r.revenueShare ? Number(r.revenueShare) : null)),
          segments.map((s) => s.revenue_share)
        );
        // Money in the run's currency (the currency var, via report_settings).
        const money = new Intl.NumberFormat("en-US", {style: "currency", currency: settings.currency, maximumFractionDigits: 0});
        assert.deepEqual(
          rows.map((r) => r.revenue ?? null),
          segments.map((s) => (s.net_revenue == null ? null : money.format(s.net_revenue)))
        );
        // No "top gender / top card" headline: the mixes are shares.
        assert.equal(await page.getByText(/top gender|top card/i).count(), 0);

        // Every segment page is reachable from the overview (table links and sidebar).
        const linked = await page.$$eval("a[href]", (links) => links.map((a) => new URL(a.href).pathname));
        for (const {segment_id} of segments) {
          assert.ok(linked.includes(`/segments/${segment_id}`), `no link to /segments/${segment_id}`);
        }
        assert.deepEqual(
          rows.map((r) => new URL(r.href).pathname),
          segments.map((s) => `/segments/${s.segment_id}`)
        );
      });
    });

    for (const segment of segments) {
      test(`segment ${segment.segment_id} (${segment.segment_name}): its size equals segment_profiles`, async () => {
        await visit(`/segments/${segment.segment_id}`, `segment-${segment.segment_id}`, async (page) => {
          assert.equal(await metric(page, "segment-name"), segment.segment_name);
          assert.ok((await page.title()).includes(segment.segment_name), "the title names the segment");
          assert.equal(Number(await metric(page, "segment-size")), segment.n_customers);
          if (segment.revenue_share != null) {
            assert.equal(Number(await metric(page, "segment-revenue-share")), segment.revenue_share);
          }

          // The one-line summary states the segment's shares as the cards do.
          const summary = await page.$eval('[data-metric="segment-summary"]', (e) => e.textContent);
          const pct = (x) => `${(100 * x).toFixed(1)}%`;
          assert.ok(summary.includes(`${pct(segment.customer_share)} of all`), summary);
          if (segment.revenue_share != null) assert.ok(summary.includes(`${pct(segment.revenue_share)} of net revenue`), summary);

          // A "mostly ..." lead only for a gender or card type of at least 60% of the segment.
          const mixes = query(`
            select customers.gender, customers.card_type
            from customer_segments inner join customers using (customer_id)
            where segment_id = ${segment.segment_id}`);
          const mixLine = await page.$eval('[data-metric="segment-mix"]', (e) => e.textContent);
          assert.doesNotMatch(mixLine, /most common/i);
          for (const column of ["gender", "card_type"]) {
            const values = mixes.map((d) => d[column]).filter((v) => v != null);
            const counts = new Map();
            for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
            const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
            const leads = mixLine.includes(`mostly ${top}`);
            assert.equal(leads, top !== "unknown" && values.length > 0 && n / values.length >= 0.6, `${column} lead in "${mixLine}"`);
          }

          // Typical customers are per-customer rows: listed (at most ten, all from this
          // segment, no PII columns) only when report_customer_rows is true, else absent.
          const examples = await page.$$eval('[data-table="examples"] tbody tr [data-col="customer"]', (tds) =>
            tds.map((td) => td.dataset.value)
          );
          if (!settings.report_customer_rows) {
            assert.deepEqual(examples, [], "customer ids published with report_customer_rows false");
            assert.equal(await page.locator('[data-note="customer-rows"]').count(), 1);
            return;
          }
          assert.ok(examples.length > 0 && examples.length <= 10);
          const members = query(
            `select count(*) as n from customer_segments where segment_id = ${segment.segment_id}
             and customer_id in (${examples.map((id) => `'${id.replaceAll("'", "''")}'`).join(", ")})`
          );
          assert.equal(members[0].n, examples.length);
          const columns = await page.$$eval('[data-table="examples"] tbody tr:first-child td', (tds) =>
            tds.map((td) => td.dataset.col)
          );
          for (const column of columns) assert.doesNotMatch(column, /name|email|phone|address|birth/);
        });
      });
    }

    test("model selection: the chosen k and the sweep equal segment_model_selection", async () => {
      const sweep = query("select k, is_chosen, chosen_by_rule from segment_model_selection order by k");
      const chosen = sweep.find((d) => d.is_chosen);
      await visit("/model-selection", "model-selection", async (page) => {
        const rule = await page.$eval('[data-metric="rule"]', (e) => e.textContent);
        assert.match(rule, new RegExp(`k = ${chosen.k}\\b`));
        assert.ok(rule.includes(chosen.chosen_by_rule));
        const ks = await page.$$eval('[data-table="sweep"] tbody [data-col="k"]', (tds) => tds.map((td) => Number(td.dataset.value)));
        assert.deepEqual(ks, sweep.map((d) => d.k));
      });
    });

    test("explore: grid cells of at least report_min_cell_size customers, and a 3-D scatter that renders", async () => {
      const grids = query(`
        select grid_name,
               count(*) filter (where n_customers >= report_min_cell_size) as cells,
               coalesce(sum(n_customers) filter (where n_customers < report_min_cell_size), 0) as not_drawn
        from segment_grid_cells cross join report_settings group by grid_name`);
      await visit("/explore", "explore", async (page) => {
        assert.equal(Number(await metric(page, "min-cell-size")), settings.report_min_cell_size);
        for (const grid of grids) {
          const shown = Number((await metric(page, `not-drawn-${grid.grid_name}`)).replaceAll(",", ""));
          assert.equal(shown, grid.not_drawn, `customers not drawn in ${grid.grid_name}`);
        }
        // One dot per published cell: the 2-D charts draw the counts, not customers.
        for (const [chart, grid] of [["income-spending", "income_spending"], ["pca", "pca"]]) {
          const expected = grids.find((g) => g.grid_name === grid)?.cells ?? 0;
          const dots = await page.locator(`.chart[data-chart="${chart}"] svg g[aria-label="dot"] circle`).count();
          assert.equal(dots, expected, `dots in ${chart}`);
        }
        if (!allowNotes) {
          // The reader can rotate it: a drag across the scene turns Plotly's camera.
          const chart = page.locator('.chart[data-chart="scatter-3d"]');
          assert.ok((await chart.locator("canvas").count()) > 0);
          const camera = () => chart.evaluate((e) => JSON.stringify(e.firstElementChild._fullLayout.scene.camera.eye));
          const before = await camera();
          await chart.scrollIntoViewIfNeeded();
          const box = await chart.boundingBox();
          const [x, y] = [box.x + box.width * 0.3, box.y + box.height * 0.5];
          await page.mouse.move(x, y);
          await page.mouse.down();
          await page.mouse.move(x + 120, y + 30, {steps: 8});
          await page.mouse.up();
          assert.notEqual(await camera(), before, "dragging did not rotate the 3-D scatter");
        }
      });
    });

    test("EDA: histograms, correlations and category mixes", async () => {
      await visit("/eda", "eda", async (page) => {
        const histograms = await page.locator('.chart[data-chart^="hist-"]').count();
        assert.ok(histograms > 0 || allowNotes, "no histogram");
      });
    });

    test("data quality: row counts equal data_quality_summary", async () => {
      const summary = query("select source_name, raw_rows, clean_rows, quarantined_rows from data_quality_summary order by source_name");
      await visit("/data-quality", "data-quality", async (page) => {
        const rows = await page.$$eval('[data-table="summary"] tbody tr', (trs) =>
          trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.dataset.col, td.dataset.value])))
        );
        assert.deepEqual(
          rows.map((r) => [r.source_name, Number(r.raw_rows), Number(r.clean_rows), Number(r.quarantined_rows)]),
          summary.map((s) => [s.source_name, s.raw_rows, s.clean_rows, s.quarantined_rows])
        );
        // clean customers segmented and left out, and the reasons of the latter
        const [seg] = query("select segmented_rows, not_segmented_rows from data_quality_summary where source_name = 'raw_customers'");
        const shown = await page.$eval("[data-segmentation]", (p) => [Number(p.dataset.segmented), Number(p.dataset.notSegmented)]);
        assert.deepEqual(shown, [seg.segmented_rows, seg.not_segmented_rows]);
        const reasons = query("select reason, count(*) as n from customers_not_segmented group by reason order by n desc, reason");
        const reasonRows = await page.$$eval('[data-table="not-segmented"] tbody tr', (trs) =>
          trs.map((tr) => [tr.querySelector('[data-col="reason"]').dataset.value, Number(tr.querySelector('[data-col="n_customers"]').dataset.value)])
        );
        assert.deepEqual(reasonRows, reasons.map((r) => [r.reason, r.n]));
      });
    });

    test("glossary: defines every term the other pages mark, with the same words", async () => {
      await visit("/glossary", "glossary", async (page) => {
        const defined = new Map(
          await page.$$eval("[data-glossary] dt", (dts) => dts.map((dt) => [dt.id, dt.nextElementSibling.textContent.trim()]))
        );
        for (const required of ["silhouette", "best_silhouette_near_elbow", "sd", "distance-to-centre", "pca", "lift", "rfm", "quartiles", "box-plot", "net-revenue", "as-of-date"]) {
          assert.ok(defined.has(required), `the glossary lacks ${required}`);
        }
        for (const [key, title] of termsUsed) assert.equal(defined.get(key), title, `glossary entry for ${key}`);
      });
    });

    test("every built page was visited", () => {
      const pages = [];
      (function walk(dir, prefix) {
        for (const entry of readdirSync(dir, {withFileTypes: true})) {
          if (entry.isDirectory() && !entry.name.startsWith("_")) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
          else if (entry.name.endsWith(".html") && entry.name !== "404.html") pages.push(`${prefix}${entry.name.slice(0, -5)}`);
        }
      })(dist, "/");
      const expected = pages.map((p) => (p === "/index" ? "/" : p)).sort();
      assert.deepEqual([...visited].sort(), expected);
    });
  });
}
