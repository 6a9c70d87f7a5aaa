// Observable Framework config for the segment report site.
//
// Every `*.json.sql` file under src/ is a data loader: Framework runs it through
// lib/run_sql.py (the project's Python, read-only DuckDB) at build time. Nothing here
// fetches from the network: no Google Fonts, no CDN imports, no search index.
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

export default {
  root: "src",
  output: process.env.REPORT_OUTPUT_DIR ?? "dist",
  title: "Customer segments",
  globalStylesheets: [],
  style: "style.css",
  interpreters: {".sql": [python, runSql]},
  dynamicPaths: segments.map((s) => `/segments/${s.segment_id}`),
  pages: [
    {name: "Overview", path: "/"},
    {
      name: "Segments",
      open: true,
      pages: segments.map((s) => ({name: `${s.segment_id} · ${s.segment_name}`, path: `/segments/${s.segment_id}`}))
    },
    {name: "Model selection", path: "/model-selection"},
    {name: "Explore", path: "/explore"},
    {name: "EDA", path: "/eda"},
    {name: "Data quality", path: "/data-quality"},
    {name: "Glossary", path: "/glossary"}
  ],
  // An empty icon: stops the browser asking for /favicon.ico (a 404 otherwise).
  head: '<link rel="icon" href="data:,">',
  pager: false,
  search: false,
  footer: "Built from the dbt marts in customer_segmentation.duckdb by <code>make build</code>."
};
