// Shared building blocks for the report pages: number cards, tables, chart containers that
// turn into a one-line note when their data is absent, and the segment colours.
//
// Everything is imported from node_modules (bundled at build time): no CDN, no network.
// Inputs by its bare name, not `npm:@observablehq/inputs`: Framework's built-in version of that
// module makes the build fetch htl and isoformat from jsDelivr. Its stylesheet: style.css.
import * as Inputs from "@observablehq/inputs";
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {palette} from "./palette.js"; // the colour-blind-safe segment colours
import {format} from "./format.js";

export {Plot, html, palette, format};


// Readable names for mart columns that are not features; a feature's label comes from the
// feature registry (featureFormats in format.js).
const labels = {
  gender: "Gender",
  card_type: "Card type",
  region: "Region",
  product_category: "Product category"
};

export function label(name) {
  return labels[name] ?? String(name).replace(/^avg_/, "average ").replaceAll("_", " ");
}

/** Rows in which every listed column holds a value (not null, not NaN). */
export function complete(rows, columns = []) {
  return (rows ?? []).filter((row) => columns.every((c) => row[c] != null && !Number.isNaN(row[c])));
}

/** The one-line note shown instead of a chart or table whose data is absent. */
export function note(message) {
  return html`<p class="chart-note">${message}</p>`;
}

/**
 * A chart container. `draw(rows)` returns an SVG or canvas element (e.g. Plot.plot);
 * it only runs when some rows hold all of `columns`, otherwise the note is shown.
 */
export function chart(name, rows, columns, draw, message = "No data for this chart.") {
  const data = complete(rows, columns);
  if (!data.length) return note(message);
  return html`<div class="chart" data-chart=${name}>${draw(data)}</div>`;
}

/** A headline number; `key` lets the browser tests find it and compare it with the SQL. */
export function bigNumber(title, value, {key, display = format.int, detail} = {}) {
  return html`<div class="card headline">
    <h2>${title}</h2>
    <span class="big" data-metric=${key} data-value=${value ?? ""}>${display(value)}</span>
    ${detail ? html`<div class="muted small">${detail}</div>` : ""}
  </div>`;
}

/**
 * A sortable, searchable table (Observable Inputs) with a CSV download of the rows shown.
 * `columns` is a list of {key, label, format, href, align}; columns that are missing or empty
 * in every row are left out, so a data set without (say) orders still gets a clean table.
 * Each cell's content is a <span data-col data-value> (the raw value), which the browser tests
 * compare with the SQL. Click a header to sort (again to reverse); the search box keeps the rows
 * that match every word in any shown column. `csv: false` leaves out the download: pass it for
 * tables of individual customers, which the site only ever shows, never offers as a file.
 */
export function table(name, rows, columns, message = "No rows.", {csv = true} = {}) {
  rows = rows ?? [];
  if (!rows.length) return note(message);
  const shown = columns
    .map((c) => (typeof c === "string" ? {key: c} : c))
    .filter((c) => rows.some((row) => row[c.key] != null));
  const keys = shown.map((c) => c.key);
  const search = Inputs.search(rows, {
    columns: keys,
    placeholder: "Search the table",
    format: (n) => `${n.toLocaleString("en-US")} of ${rows.length.toLocaleString("en-US")} rows`
  });
  const holder = html`<div class="table-rows"></div>`;
  let current;
  function draw() {
    const data = search.value;
    current = Inputs.table(data, {
      columns: keys,
      header: Object.fromEntries(shown.map((c) => [c.key, c.label ?? label(c.key)])),
      format: Object.fromEntries(shown.map((c) => [c.key, (value, i, all) => cell(c, value, all[i])])),
      align: Object.fromEntries(shown.map((c) => [c.key, c.align === "num" || numeric(rows, c.key) ? "right" : "left"])),
      select: false,
      layout: "auto",
      // Every row of a short table at once (the tests read them all); a long one scrolls.
      rows: data.length > 25 ? 20.5 : data.length + 1
    });
    holder.replaceChildren(current);
  }
  search.addEventListener("input", draw);
  draw();
  const download = csv
    ? html`<button type="button" class="table-download" data-download=${name} onclick=${() =>
        saveCsv(`${name}.csv`, current.value, shown)}>Download CSV</button>`
    : "";
  return html`<div class="report-table" data-table=${name}>
    <div class="table-tools">${search}${download}</div>
    ${holder}
  </div>`;
}

function cell(column, value, row) {
  const text = (column.format ?? defaultFormat(value))(value);
  // String(): htl would drop a false attribute and leave a true one empty.
  return html`<span data-col=${column.key} data-value=${value == null ? "" : String(value)}>${
    column.href ? html`<a href=${column.href(row)}>${text}</a>` : text
  }</span>`;
}

function numeric(rows, key) {
  const value = rows.find((row) => row[key] != null)?.[key];
  return typeof value === "number";
}

/** RFC 4180 CSV of `rows` (the raw values, in the order shown), headed by the column keys. */
export function toCsv(rows, columns) {
  const field = (value) => {
    const text = value == null ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.map((c) => field(c.key)), ...rows.map((row) => columns.map((c) => field(row[c.key])))]
    .map((line) => line.join(","))
    .join("\r\n") + "\r\n";
}

function saveCsv(filename, rows, columns) {
  const url = URL.createObjectURL(new Blob([toCsv(rows, columns)], {type: "text/csv;charset=utf-8"}));
  const link = Object.assign(document.createElement("a"), {href: url, download: filename});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function defaultFormat(value) {
  if (typeof value !== "number") return format.text;
  return Number.isInteger(value) ? format.int : (x) => format.num(x, Math.abs(x) < 10 ? 2 : 1);
}

/** A chart width from the page's `width`: at most `max`, never below 280 px (while the
 * page lays out, `width` can briefly be 0), which fits the narrowest phones (320 px). */
export function fit(width, max = Infinity) {
  return Math.max(280, Math.min(width, max));
}

/** A left margin wide enough for the longest row label (`charWidth` px per character, at most
 * `max`), but never more than 45% of the chart: a narrow chart keeps room for its marks, where a
 * fixed margin would leave them a negative width. Longer labels are clipped at the left edge. */
export function labelMargin(rows, chartWidth, charWidth, max) {
  const longest = Math.max(0, ...rows.map((d) => d.label.length));
  return Math.round(Math.min(max, 10 + charWidth * longest, 0.45 * chartWidth));
}

/** The width of a chart in a two-column grid, given the page's `width`. */
export function halfWidth(width) {
  return Math.max(280, Math.min(width < 640 ? width : width / 2 - 20, 640));
}

/** "3 · Young · low income": a segment's label on axes and legends. */
export function segmentLabel(row) {
  return `${row.segment_id} · ${row.segment_name}`;
}

/** A Plot color scale that gives each segment its colour, ordered by segment id. */
export function segmentColor(segments, options = {}) {
  const sorted = [...segments].sort((a, b) => a.segment_id - b.segment_id);
  return {
    domain: sorted.map(segmentLabel),
    range: sorted.map((_, i) => palette[i % palette.length]),
    legend: true,
    ...options
  };
}

/** Link to a segment's page, from a page at the site root; it names the file (see the config). */
export function segmentHref(row, prefix = "./") {
  return `${prefix}segments/${row.segment_id}.html`;
}
