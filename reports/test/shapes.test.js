// Browser tests of the site built from the two partial data shapes (make report-test builds
// them with scripts/dbt_build.py into REPORT_SHAPES_DIR):
//   customers_only: customers without orders: no recency/frequency/monetary, no product
//                   categories, and (demo customers) no spending score either; built with
//                   report_customer_rows: true, so its segment pages list typical customers;
//   orders_only:    orders without a customer file: no age, income, gender or card type;
//                   built with currency: EUR, so its money must read in euros.
// Every page must still answer 200 with no console error, every chart that has data must
// draw, and each chart without data must be replaced by its one-line note. Each database is
// built once, so the history page must say that there is only one run.
import {existsSync} from "node:fs";
import path from "node:path";
import {test} from "node:test";
import {reportsDir} from "./lib.js";
import {siteTests} from "./site-checks.js";

const shapesDir = process.env.REPORT_SHAPES_DIR;
const screenshots = path.resolve(reportsDir, process.env.REPORT_SCREENSHOTS_DIR ?? "screenshots", "shapes");

const shapes = {
  customers_only: {
    "/explore.html": [/No age, income or spending score/, /Income or spending score is missing/],
    "/segments/1.html": [/No orders in this build/],
    "/eda.html": [/No orders in this build, so no product categories/],
    "/rfm.html": [/No orders in this build, so no RFM scores/]
  },
  orders_only: {
    "/explore.html": [/No age, income or spending score/, /Income or spending score is missing/]
  }
};

if (!shapesDir) {
  test.skip("partial data shapes (set REPORT_SHAPES_DIR; make report-test does)");
} else {
  for (const [shape, expectNotes] of Object.entries(shapes)) {
    const database = path.join(shapesDir, `${shape}.duckdb`);
    const dist = path.join(shapesDir, `${shape}-dist`);
    if (!existsSync(database)) throw new Error(`${database} not found: build the shapes first`);
    siteTests({label: shape, dist, database, screenshots: path.join(screenshots, shape), allowNotes: true, expectNotes, expectRuns: 1});
  }
}
