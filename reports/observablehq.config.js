// Observable Framework config for the segment report site.
//
// Every `*.json.sql` file under src/ is a data loader: Framework runs it through
// lib/run_sql.py (the project's Python, read-only DuckDB) at build time. Nothing here
// fetches from the network: no Google Fonts, no CDN imports.
import {execFileSync} from "node:child_process";
import path from "node:path";

const here = import.meta.dirname;
const python = process.env.REPORT_PYTHON ?? path.resolve(here, "../.venv/bin/python");
const runSql = path.join(here, "lib", "run_sql.py");

function query(sql) {
  return JSON.parse(execFileSync(python, [runSql, "--query", sql], {encoding: "utf8"}));
}

// One page per segment of the current run, whatever k is.
const segments = query("select segment_id, segment_name from segment_profiles order by segment_id");

// The footer of every page: when the site was built, the date the features are measured at and
// the fitted model's version (a hash of everything that defines it), from the same DuckDB file.
const [run] = query("select max(as_of_date) as as_of_date, any_value(model_version) as model_version from customer_segments");
const builtAt = new Date();
const escape = (text) => String(text ?? "–").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const footer =
  `Built <time data-footer="built" datetime="${builtAt.toISOString()}">` +
  `${builtAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time> by <code>make build</code> ` +
  `from the dbt marts in customer_segmentation.duckdb · features as of ` +
  `<span data-footer="as_of_date">${escape(run?.as_of_date)}</span> · model version ` +
  `<code data-footer="model_version">${escape(run?.model_version)}</code>`;

export default {
  root: "src",
  output: process.env.REPORT_OUTPUT_DIR ?? "dist",
  title: "Customer segments",
  globalStylesheets: [],
  style: "style.css",
  interpreters: {".sql": [python, runSql]},
  // Links name the file (segments/3.html, index.html), so the site works on any static
  // host, which serves files by name and adds no `.html` (a test crawls it with one).
  preserveExtension: true,
  preserveIndex: true,
  dynamicPaths: segments.map((s) => `/segments/${s.segment_id}`),
  pages: [
    {name: "Overview", path: "/"},
    {
      name: "Segments",
      open: true,
      pages: segments.map((s) => ({name: `${s.segment_id} · ${s.segment_name}`, path: `/segments/${s.segment_id}`}))
    },
    {name: "RFM segments", path: "/rfm"},
    {name: "Model selection", path: "/model-selection"},
    {name: "History", path: "/history"},
    {name: "Explore", path: "/explore"},
    {name: "EDA", path: "/eda"},
    {name: "Data quality", path: "/data-quality"},
    {name: "Glossary", path: "/glossary"}
  ],
  // An empty icon: stops the browser asking for /favicon.ico (a 404 otherwise).
  head: '<link rel="icon" href="data:,">',
  pager: false,
  // Framework's own search: an index of the pages' text built into the site, searched in the browser.
  search: true,
  footer
};
