// Browser tests of the built report site: `make test` (report-test), or `npm test` in
// reports/ after `make build`. See site-checks.js for what is checked on every page.
//
// Environment: REPORT_OUTPUT_DIR (the built site, default reports/dist),
// SEGMENTATION_DUCKDB_PATH (the database it was built from), REPORT_SCREENSHOTS_DIR
// (default reports/screenshots, git-ignored; `make screenshots` copies the overview and
// segment 1 at both widths, overview-390.png and so on, to docs/ for the README).
import path from "node:path";
import {reportsDir} from "./lib.js";
import {siteTests} from "./site-checks.js";

siteTests({
  label: "demo data",
  dist: path.resolve(reportsDir, process.env.REPORT_OUTPUT_DIR ?? "dist"),
  database: process.env.SEGMENTATION_DUCKDB_PATH,
  screenshots: path.resolve(reportsDir, process.env.REPORT_SCREENSHOTS_DIR ?? "screenshots")
});
