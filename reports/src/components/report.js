// Shared building blocks for the report pages: number cards, tables, chart containers that
// turn into a one-line note when their data is absent, and the segment colours.
//
// Everything is imported from node_modules (bundled at build time): no CDN, no network.
import * as Plot from "@observablehq/plot";
import {html} from "htl";
import {featureLabel, format} from "./format.js";

export {Plot, html, format};

// Observable's categorical palette; segment i (in id order) gets colour i, on every page.
export const palette = [
  "#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951",
  "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"
];

// Readable names for mart columns that are not features (features: format.js).
const labels = {
  gender: "Gender",
  card_type: "Card type",
  region: "Region",
  product_category: "Product category"
};

// The candidate numeric features, in the order the pages show them.
export const featureNames = [
  "age", "annual_income", "credit_score", "spending_score", "recency_days",
  "frequency", "monetary_total", "avg_order_value", "tenure_days", "discount_share"
];

/** Rows sorted by their feature column in featureNames order (others last, by name). */
export function featureOrder(rows, key = "feature") {
  const rank = (name) => {
    const i = featureNames.indexOf(name);
    return i < 0 ? featureNames.length : i;
  };
  return [...(rows ?? [])].sort((a, b) => rank(a[key]) - rank(b[key]) || String(a[key]).localeCompare(String(b[key])));
}

export function label(name) {
  return featureLabel(name) ?? labels[name] ?? String(name).replace(/^avg_/, "average ").replaceAll("_", " ");
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
 * A plain HTML table. `columns` is a list of {key, label, format, href}; columns that are
 * missing or empty in every row are left out, so a data set without (say) orders still
 * gets a clean table.
 */
export function table(name, rows, columns, message = "No rows.") {
  rows = rows ?? [];
  if (!rows.length) return note(message);
  const shown = columns
    .map((c) => (typeof c === "string" ? {key: c} : c))
    .filter((c) => rows.some((row) => row[c.key] != null));
  return html`<div class="table-wrap"><table class="report-table" data-table=${name}>
    <thead><tr>${shown.map((c) => html`<th class=${c.align ?? ""}>${c.label ?? label(c.key)}</th>`)}</tr></thead>
    <tbody>${rows.map(
      (row) => html`<tr>${shown.map((c) => {
        const value = row[c.key];
        const text = (c.format ?? defaultFormat(value))(value);
        const align = c.align ?? (typeof value === "number" ? "num" : "");
        return html`<td class=${align} data-col=${c.key} data-value=${value ?? ""}>${
          c.href ? html`<a href=${c.href(row)}>${text}</a>` : text
        }</td>`;
      })}</tr>`
    )}</tbody>
  </table></div>`;
}

function defaultFormat(value) {
  if (typeof value !== "number") return format.text;
  return Number.isInteger(value) ? format.int : (x) => format.num(x, Math.abs(x) < 10 ? 2 : 1);
}

/** A chart width from the page's `width`: at most `max`, never below 320 px (while the
 * page lays out, `width` can briefly be 0). */
export function fit(width, max = Infinity) {
  return Math.max(320, Math.min(width, max));
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

/** Link to a segment's page, from a page at the site root. */
export function segmentHref(row, prefix = "./") {
  return `${prefix}segments/${row.segment_id}`;
}
