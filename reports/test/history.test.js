// Browser tests of a site built from a database that kept two runs: make report-test copies the
// demo's database and builds it again on the demo one month later (generate_demo_data.py
// --next-month), so the history page must draw the migration matrix between the two runs. The
// other sites of report-test keep one run each, and their history page must say so instead.
// Every page of this site gets the same checks as the demo's (site-checks.js).
import {existsSync} from "node:fs";
import path from "node:path";
import {test} from "node:test";
import {reportsDir} from "./lib.js";
import {siteTests} from "./site-checks.js";

const testDir = process.env.REPORT_SHAPES_DIR;

if (!testDir) {
  test.skip("a two-run database (set REPORT_SHAPES_DIR; make report-test builds it)");
} else {
  const database = path.join(testDir, "two_runs.duckdb");
  if (!existsSync(database)) throw new Error(`${database} not found: build the two runs first`);
  siteTests({
    label: "two runs (the demo, then its next month)",
    dist: path.join(testDir, "two_runs-dist"),
    database,
    screenshots: path.resolve(reportsDir, process.env.REPORT_SCREENSHOTS_DIR ?? "screenshots", "two_runs"),
    expectRuns: 2
  });
}
