// The browser checks of one built report site, registered as node:test tests.
//
// For every page of the site served on 127.0.0.1 in Debian's Chromium: HTTP 200, no console
// errors, no failed requests (and none that leave the machine), every chart container drew
// marks (SVG marks, or a non-blank canvas for the 3-D scatter), the numbers on the page
// equal the SQL run against the same DuckDB file, and a full-page screenshot is saved.
import assert from "node:assert/strict";
import {existsSync, readFileSync, readdirSync, statSync} from "node:fs";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {serve} from "../scripts/serve.js";
import {checkCharts, checkOverflow, launchBrowser, metric, openPage, pageLinks, plainServer, query as runQuery, screenshot, viewports} from "./lib.js";

/** The fields of one CSV line (RFC 4180 quoting; no line breaks inside fields here). */
function csvFields(line) {
  return [...`${line},`.matchAll(/("(?:[^"]|"")*"|[^,]*),/g)].map(([, field]) =>
    field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field
  );
}

/**
 * Registers the tests of the site built into `dist` from `database`.
 * `allowNotes`: the data set lacks orders or demographics, so one-line notes in place of
 * some charts are expected; `expectNotes` maps a page path to note texts it must show;
 * `expectRuns`: how many builds the database must keep (the history page differs at one).
 */
export function siteTests({label, dist, database, screenshots, allowNotes = false, expectNotes = {}, expectRuns}) {
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

    /** The path of every page in `dist` ("/segments/1.html"), sorted; 404.html is no page. */
    function builtPages() {
      const pages = [];
      (function walk(dir, prefix) {
        for (const entry of readdirSync(dir, {withFileTypes: true})) {
          if (entry.isDirectory() && !entry.name.startsWith("_")) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
          else if (entry.name.endsWith(".html") && entry.name !== "404.html") pages.push(`${prefix}${entry.name}`);
        }
      })(dist, "/");
      return pages.sort();
    }

    /**
     * Opens one page at each width in `viewports`, runs the generic checks (no overflow
     * included) and `checks(page, viewport)`, and saves a screenshot `<name>-<width>.png`.
     */
    async function visit(pagePath, name, checks) {
      visited.add(pagePath);
      for (const viewport of viewports) {
        const {page, response, problems} = await openPage(browser, new URL(pagePath.slice(1), siteUrl).href, viewport);
        const where = `${pagePath} at ${viewport.width} px`;
        try {
          assert.equal(response.status(), 200, `${where} answered HTTP ${response.status()}`);
          const {notes} = await checkCharts(page, {allowNotes});
          for (const expected of expectNotes[pagePath] ?? []) {
            assert.ok(notes.some((note) => expected.test(note)), `${where} has no note matching ${expected}: ${notes}`);
          }
          await checkOverflow(page);
          if (checks) await checks(page, viewport);
          // Every marked term has a hover definition, the same on every page.
          for (const [key, title] of await page.$$eval("abbr.term", (abbrs) => abbrs.map((a) => [a.dataset.term, a.title]))) {
            assert.ok(title, `${where}: term ${key} has no definition`);
            assert.equal(termsUsed.get(key) ?? title, title, `term ${key} is defined twice`);
            termsUsed.set(key, title);
          }
          await screenshot(page, screenshots, `${name}-${viewport.name}`);
          assert.deepEqual(problems, [], `problems on ${where}`);
        } finally {
          await page.context().close();
        }
      }
    }

    test("overview: headline numbers equal the SQL and every segment page is linked", async () => {
      const [run] = query(`
        select count(*) as customers, count(distinct segment_id) as segments,
          (select k from segment_model_runs order by built_at desc limit 1) as k
        from customer_segments`);
      await visit("/index.html", "overview", async (page) => {
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
          assert.ok(linked.includes(`/segments/${segment_id}.html`), `no link to /segments/${segment_id}.html`);
        }
        assert.deepEqual(
          rows.map((r) => new URL(r.href).pathname),
          segments.map((s) => `/segments/${s.segment_id}.html`)
        );
      });
    });

    for (const segment of segments) {
      test(`segment ${segment.segment_id} (${segment.segment_name}): its size equals segment_profiles`, async () => {
        await visit(`/segments/${segment.segment_id}.html`, `segment-${segment.segment_id}`, async (page) => {
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
          const columns = await page.$$eval('[data-table="examples"] tbody tr:first-child [data-col]', (cells) =>
            cells.map((cell) => cell.dataset.col)
          );
          for (const column of columns) assert.doesNotMatch(column, /name|email|phone|address|birth/);
        });
      });
    }

    test("model selection: the chosen k and the sweep equal segment_model_selection", async () => {
      const sweep = query("select k, is_chosen, chosen_by_rule from segment_model_selection order by k");
      const chosen = sweep.find((d) => d.is_chosen);
      await visit("/model-selection.html", "model-selection", async (page) => {
        const rule = await page.$eval('[data-metric="rule"]', (e) => e.textContent);
        assert.match(rule, new RegExp(`k = ${chosen.k}\\b`));
        assert.ok(rule.includes(chosen.chosen_by_rule));
        const ks = await page.$$eval('[data-table="sweep"] tbody [data-col="k"]', (tds) => tds.map((td) => Number(td.dataset.value)));
        assert.deepEqual(ks, sweep.map((d) => d.k));
      });
    });

    test("history: segment sizes per run, and the migration matrix after two builds or the one-run message", async () => {
      const runs = query("select model_version from segment_model_runs order by built_at, run_id");
      if (expectRuns != null) assert.equal(runs.length, expectRuns, "runs kept in the database");
      const sizes = query(`
        select runs.run_number, history.segment_id, count(*) as n_customers
        from segment_assignment_history as history
        inner join (select run_id, row_number() over (order by built_at, run_id) as run_number from segment_model_runs) as runs
          using (run_id)
        group by all order by run_number, segment_id`);
      const migrations = query(`
        select from_segment_id, to_segment_id, is_new_customer, is_gone_customer, customers
        from segment_migrations order by from_segment_id nulls last, to_segment_id nulls last`);
      const sum = (rows) => rows.reduce((total, d) => total + d.customers, 0);
      const matches = query("select segment_id, previous_segment_id from segment_matches order by segment_id");
      await visit("/history.html", "history", async (page) => {
        const tableRows = (name, columns) =>
          page.$$eval(`[data-table="${name}"] tbody tr`, (trs, columns) =>
            trs.map((tr) => columns.map((c) => tr.querySelector(`[data-col="${c}"]`)?.dataset.value ?? "")), columns);
        const numbers = (rows) => rows.map((row) => row.map((v) => (v === "" ? null : Number(v))));
        assert.equal(Number(await metric(page, "runs")), runs.length);
        assert.deepEqual(
          await tableRows("runs", ["model_version"]),
          runs.map((r) => [r.model_version])
        );
        // Customers per run and segment: counts of the assignment history, never its rows.
        assert.deepEqual(
          numbers(await tableRows("sizes", ["run_number", "segment_id", "n_customers"])),
          sizes.map((d) => [d.run_number, d.segment_id, d.n_customers])
        );
        assert.deepEqual(
          numbers(await tableRows("matches", ["segment_id", "previous_segment_id"])),
          matches.map((d) => [d.segment_id, d.previous_segment_id])
        );
        const oneRunNotes = await page.$$eval("[data-history-note]", (ps) => ps.map((p) => p.textContent.trim()));
        const matrixCells = page.locator('.chart[data-chart="migration-matrix"] svg g[aria-label="cell"] rect');
        if (runs.length === 1) {
          // Nothing to compare yet: the page says so, and shows the one run's sizes as bars.
          assert.ok(
            oneRunNotes.some((t) => /^only one run so far: build again \(e\.g\. on next month's data\) to see migrations\.$/i.test(t)),
            `no one-run message for the migrations: ${oneRunNotes}`
          );
          assert.ok(oneRunNotes.some((t) => /one run so far.*segment sizes/i.test(t)), `no one-run message for the sizes: ${oneRunNotes}`);
          assert.equal(migrations.length, 0);
          assert.equal(await matrixCells.count(), 0);
          assert.equal(await page.locator('[data-table="migrations"]').count(), 0);
          const bars = await page.locator('.chart[data-chart="history-sizes"] svg g[aria-label="bar"] rect').count();
          assert.equal(bars, sizes.length);
          return;
        }
        // Two runs or more: one cell per move between the last two, and the counts of the mart.
        assert.deepEqual(oneRunNotes, [], "a one-run message with several runs");
        assert.ok(migrations.length > 0, "segment_migrations is empty with two runs");
        assert.equal(await matrixCells.count(), migrations.length);
        assert.deepEqual(
          numbers(await tableRows("migrations", ["from_segment_id", "to_segment_id", "customers"])),
          migrations.map((d) => [d.from_segment_id, d.to_segment_id, d.customers])
        );
        assert.deepEqual(
          await tableRows("migrations", ["is_new_customer", "is_gone_customer"]),
          migrations.map((d) => [String(d.is_new_customer), String(d.is_gone_customer)])
        );
        const both = migrations.filter((d) => !d.is_new_customer && !d.is_gone_customer);
        assert.equal(Number(await metric(page, "in-both")), sum(both));
        assert.equal(Number(await metric(page, "stayed")), sum(both.filter((d) => d.from_segment_id === d.to_segment_id)));
        assert.equal(Number(await metric(page, "new")), sum(migrations.filter((d) => d.is_new_customer)));
        assert.equal(Number(await metric(page, "gone")), sum(migrations.filter((d) => d.is_gone_customer)));
        // One dot per run and segment on the sizes chart.
        const dots = await page.locator('.chart[data-chart="history-sizes"] svg g[aria-label="dot"] circle').count();
        assert.equal(dots, sizes.length);
      });
    });

    test("explore: grid cells of at least report_min_cell_size customers, and a 3-D scatter that renders", async () => {
      const grids = query(`
        select grid_name,
               count(*) filter (where n_customers >= report_min_cell_size) as cells,
               coalesce(sum(n_customers) filter (where n_customers < report_min_cell_size), 0) as not_drawn
        from segment_grid_cells cross join report_settings group by grid_name`);
      await visit("/explore.html", "explore", async (page) => {
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

    // The page's own checks (grid cells, tables against the marts) are in rfm.test.js.
    test("RFM: the page passes the generic checks", async () => {
      await visit("/rfm.html", "rfm");
    });

    test("EDA: histograms, correlations and category mixes", async () => {
      await visit("/eda.html", "eda", async (page) => {
        const histograms = await page.locator('.chart[data-chart^="hist-"]').count();
        assert.ok(histograms > 0 || allowNotes, "no histogram");
      });
    });

    test("data quality: row counts equal data_quality_summary", async () => {
      const summary = query("select source_name, raw_rows, clean_rows, quarantined_rows from data_quality_summary order by source_name");
      await visit("/data-quality.html", "data-quality", async (page) => {
        const rows = await page.$$eval('[data-table="summary"] tbody tr', (trs) =>
          trs.map((tr) => Object.fromEntries([...tr.querySelectorAll("[data-col]")].map((td) => [td.dataset.col, td.dataset.value])))
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
      await visit("/glossary.html", "glossary", async (page) => {
        const defined = new Map(
          await page.$$eval("[data-glossary] dt", (dts) => dts.map((dt) => [dt.id, dt.nextElementSibling.textContent.trim()]))
        );
        for (const required of ["silhouette", "best_silhouette_near_elbow", "sd", "distance-to-centre", "pca", "lift", "rfm", "quartiles", "box-plot", "net-revenue", "as-of-date", "migration", "model-version"]) {
          assert.ok(defined.has(required), `the glossary lacks ${required}`);
        }
        for (const [key, title] of termsUsed) assert.equal(defined.get(key), title, `glossary entry for ${key}`);
      });
    });

    test("every internal link resolves under a plain static file server", async () => {
      // Python's http.server adds no `.html` and rewrites nothing: a page or asset linked by a
      // path that is not its file name is a 404 here, as on object storage or an intranet host.
      const plain = await plainServer(dist);
      try {
        const origin = new URL(plain.url).origin;
        const start = new URL("index.html", plain.url).href;
        const linkedFrom = new Map([[start, "(start)"]]);
        const queue = [start];
        const broken = [];
        const pages = [];
        while (queue.length) {
          const url = queue.shift();
          const response = await fetch(url);
          if (response.status !== 200) {
            broken.push(`${new URL(url).pathname} (HTTP ${response.status}), linked from ${linkedFrom.get(url)}`);
            continue;
          }
          if (!new URL(url).pathname.endsWith(".html")) continue;
          pages.push(new URL(url).pathname);
          // The page as rendered: cells add links (the profile table) and fetch data; any
          // request answered 404 shows among its problems.
          const {page, problems} = await openPage(browser, url);
          try {
            for (const problem of problems) broken.push(`${problem}, on ${new URL(url).pathname}`);
            for (const link of await pageLinks(page)) {
              const target = new URL(link.url);
              if (target.origin !== origin) continue; // data:, blob:, mailto: and the like
              target.hash = "";
              // A static host serves files, not folders: every link must name its file.
              if (!/\.[a-z0-9]+$/i.test(target.pathname)) {
                broken.push(`<${link.tag}> ${link.attribute} on ${new URL(url).pathname} names no file`);
              }
              if (!linkedFrom.has(target.href)) {
                linkedFrom.set(target.href, new URL(url).pathname);
                queue.push(target.href);
              }
            }
          } finally {
            await page.context().close();
          }
        }
        assert.deepEqual(broken, [], "links or requests that fail under a plain static server");
        assert.deepEqual(pages.sort(), builtPages(), "pages reached by following links from the overview");
      } finally {
        plain.close();
      }
    });

    test("tables sort, search and download the rows shown as CSV", async () => {
      const {page, problems} = await openPage(browser, siteUrl);
      try {
        const profiles = page.locator('[data-table="profiles"]');
        const shownRows = () =>
          profiles.locator("tbody tr").evaluateAll((trs) =>
            trs.map((tr) => ({
              name: tr.querySelector('[data-col="segment_name"]').dataset.value,
              size: Number(tr.querySelector('[data-col="n_customers"]').dataset.value),
              text: tr.textContent
            }))
          );
        const bySize = [...segments].sort((a, b) => a.n_customers - b.n_customers || a.segment_id - b.segment_id);

        // A click on a header sorts by that column, a second click reverses the order.
        const header = profiles.locator('thead th[title="n_customers"]');
        await header.click();
        assert.deepEqual((await shownRows()).map((r) => r.size), bySize.map((s) => s.n_customers));
        await header.click();
        assert.deepEqual((await shownRows()).map((r) => r.size), bySize.map((s) => s.n_customers).reverse());

        // The CSV holds the rows shown, in the order shown, with their raw values: aggregates only.
        const downloadCsv = async () => {
          const [download] = await Promise.all([page.waitForEvent("download"), profiles.locator("[data-download]").click()]);
          assert.equal(download.suggestedFilename(), "profiles.csv");
          const text = readFileSync(await download.path(), "utf8");
          const [head, ...lines] = text.trimEnd().split("\r\n").map(csvFields);
          return lines.map((line) => Object.fromEntries(head.map((key, i) => [key, line[i]])));
        };
        let csv = await downloadCsv();
        assert.deepEqual(csv.map((r) => Number(r.n_customers)), bySize.map((s) => s.n_customers).reverse());
        assert.ok(!Object.keys(csv[0]).some((key) => /customer_id|^customer$/.test(key)), "customer ids in the CSV");

        // Searching keeps the rows that hold every word; the CSV then holds only those.
        const target = segments[0];
        const words = target.segment_name.split(/\s+/).filter((w) => /\w/.test(w));
        await profiles.locator('input[type="search"]').fill(words.join(" "));
        const found = await shownRows();
        assert.ok(found.some((r) => r.name === target.segment_name), `search for ${words} lost ${target.segment_name}`);
        for (const row of found) {
          for (const word of words) assert.ok(row.text.toLowerCase().includes(word.toLowerCase()), `${row.name} shown for "${word}"`);
        }
        csv = await downloadCsv();
        assert.deepEqual(csv.map((r) => Number(r.n_customers)), found.map((r) => r.size));
        await profiles.locator('input[type="search"]').fill("no segment is called this");
        assert.equal(await profiles.locator("tbody [data-col]").count(), 0);
        assert.deepEqual(problems, [], "problems on / while using the table");
      } finally {
        await page.context().close();
      }
    });

    test("footer: build time, as_of_date and model_version of this build", async () => {
      const [run] = query("select max(as_of_date) as as_of_date, any_value(model_version) as model_version from customer_segments");
      const {page, problems} = await openPage(browser, siteUrl);
      try {
        const footer = await page.$eval("#observablehq-footer", (e) => ({
          built: e.querySelector('[data-footer="built"]').getAttribute("datetime"),
          asOf: e.querySelector('[data-footer="as_of_date"]').textContent,
          model: e.querySelector('[data-footer="model_version"]').textContent
        }));
        assert.equal(footer.asOf, String(run.as_of_date));
        assert.equal(footer.model, String(run.model_version));
        // The build read its config (and the time) before it wrote the page, minutes at most.
        const written = statSync(path.join(dist, "index.html")).mtimeMs;
        const built = Date.parse(footer.built);
        assert.ok(built <= written && built > written - 30 * 60_000, `build time ${footer.built}`);
        assert.deepEqual(problems, []);
      } finally {
        await page.context().close();
      }
    });

    test("dark mode follows the reader's setting; site search finds pages", async () => {
      const {page, problems} = await openPage(browser, siteUrl);
      try {
        // Relative luminance of the page's background (the root element paints it) and text.
        const luminance = () =>
          page.evaluate(() => {
            const lum = (css) => {
              // rgb(255, 255, 255) or, for a colour mixed by the theme, color(srgb 0.12 0.12 0.12)
              const scale = css.startsWith("color(srgb") ? 1 : 255;
              const [r, g, b, alpha = 1] = css.match(/[\d.]+/g).map(Number);
              if (alpha < 1) throw new Error(`translucent colour ${css}`);
              const linear = [r, g, b].map((v) => v / scale).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
              return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
            };
            return {
              background: lum(getComputedStyle(document.documentElement).backgroundColor),
              text: lum(getComputedStyle(document.querySelector("main")).color),
              tableHeader: lum(getComputedStyle(document.querySelector(".report-table thead th")).backgroundColor)
            };
          });
        await page.emulateMedia({colorScheme: "dark"});
        const dark = await luminance();
        assert.ok(dark.background < 0.05 && dark.text > 0.5 && dark.tableHeader < 0.05, `dark scheme: ${JSON.stringify(dark)}`);
        await page.emulateMedia({colorScheme: "light"});
        const light = await luminance();
        assert.ok(light.background > 0.9 && light.text < 0.1 && light.tableHeader > 0.9, `light scheme: ${JSON.stringify(light)}`);

        await page.locator("#observablehq-search input").fill("Exploratory");
        const results = page.locator("#observablehq-search-results ol a");
        await results.first().waitFor();
        const paths = await results.evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
        assert.ok(paths.some((p) => /\/eda(\.html)?$/.test(p)), `search results: ${paths}`);
        assert.deepEqual(problems, []);
      } finally {
        await page.context().close();
      }
    });

    test("every built page was visited", () => {
      assert.deepEqual([...visited].sort(), builtPages());
    });
  });
}
