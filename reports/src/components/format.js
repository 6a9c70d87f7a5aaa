// The one number format of the site. Every page formats a value through the formats that
// `featureFormats` builds, so a value reads the same wherever it appears: discount share is
// always a percentage, money always carries the run's currency. A feature's label, words and
// format come from the feature registry (seeds/feature_registry.csv), which each page's data
// loader reads from the feature_definitions mart; only the business figures that are not
// features (sizes, shares, revenue, model scores) are defined here, in `figures`.

const locale = "en-US";
const dash = "–";

const numberFormats = new Map();
function numberFormat(options) {
  const key = JSON.stringify(options);
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, options));
  return numberFormats.get(key);
}

const missing = (x) => x == null || Number.isNaN(x);

/** Generic formats: whole numbers, decimals, percentages of a 0–1 share, money, text. */
export const format = {
  int: (x) => (missing(x) ? dash : numberFormat({maximumFractionDigits: 0}).format(Math.round(x))),
  num: (x, digits = 1) =>
    missing(x) ? dash : numberFormat({minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x),
  pct: (x, digits = 1) =>
    missing(x) ? dash : numberFormat({style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x),
  /** Money in `currency` (an ISO 4217 code; the run's is report_settings.currency). */
  money: (x, currency = "USD", digits = 0) =>
    missing(x)
      ? dash
      : numberFormat({style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x),
  /** Money given in thousands (annual income), shown compactly: $61.2K. */
  moneyThousands: (x, currency = "USD", digits = 1) =>
    missing(x)
      ? dash
      : numberFormat({style: "currency", currency, notation: "compact", maximumFractionDigits: digits}).format(1000 * x),
  /** A signed difference: +1.25, −0.40. */
  signed: (x, digits = 2) =>
    missing(x) ? dash : numberFormat({signDisplay: "exceptZero", minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x),
  text: (x) => (x == null || x === "" ? dash : String(x))
};

/**
 * The business figures that are not features: label, unit in words and format. kind: count
 * (whole or up to `digits` decimals), money, share (a 0–1 share shown as a percentage),
 * score (a model score) or signed (a difference).
 */
export const figures = {
  net_revenue: {label: "Net revenue", unit: "net of refunds", kind: "money", digits: 0},
  customer_share: {label: "Share of customers", unit: "of segmented customers", kind: "share", digits: 1},
  revenue_share: {label: "Share of net revenue", unit: "of segmented customers' net revenue", kind: "share", digits: 1},
  n_customers: {label: "Customers", unit: "customers", kind: "count", digits: 0},
  silhouette: {label: "Silhouette", unit: "−1 to 1, higher is better", kind: "score", digits: 3},
  davies_bouldin: {label: "Davies-Bouldin", unit: "lower is better", kind: "score", digits: 3},
  calinski_harabasz: {label: "Calinski-Harabasz", unit: "higher is better", kind: "score", digits: 0},
  inertia: {label: "Inertia", unit: "lower is tighter", kind: "score", digits: 0},
  distance_to_centroid: {label: "Distance to centre", unit: "scaled units", kind: "score", digits: 2},
  z_score: {label: "Difference", unit: "standard deviations", kind: "signed", digits: 2},
  lift: {label: "Lift", unit: "× the overall share", kind: "score", digits: 2}
};

// A registry row's display_format as a figure kind.
const displayKinds = {number: "count", money: "money", money_thousands: "income", percent: "share"};

/** One feature_definitions row as a figure spec: label, description, format and summary words. */
function featureSpec(row) {
  return {
    label: row.label,
    unit: row.description,
    kind: displayKinds[row.display_format] ?? "count",
    digits: row.display_digits,
    above: row.summary_above,
    below: row.summary_below,
    profile_column: row.profile_column // its average's column in segment_profiles
  };
}

function formatter(spec, currency) {
  if (!spec) return (x) => (typeof x === "number" ? format.num(x, Math.abs(x) < 10 ? 2 : 1) : format.text(x));
  switch (spec.kind) {
    case "money":
      return (x) => format.money(x, currency, spec.digits);
    case "income":
      return (x) => format.moneyThousands(x, currency, spec.digits);
    case "share":
      return (x) => format.pct(x, spec.digits);
    case "signed":
      return (x) => format.signed(x, spec.digits);
    case "score":
      return (x) => format.num(x, spec.digits);
    default:
      // Whole values (a customer's age) without decimals, averages with up to `digits`.
      return (x) =>
        missing(x)
          ? dash
          : numberFormat({minimumFractionDigits: 0, maximumFractionDigits: spec.digits}).format(x);
  }
}

/**
 * The formats of one page: `definitions` are the rows of the feature_definitions mart (the
 * feature registry), `currency` the run's (report_settings.currency). Returns
 * - names: the features in registry order; order(rows, key): rows sorted that way;
 * - format(name): the formatter of a feature or figure; value(name, x): x in it (a share
 *   of 0.231 reads "23.1%");
 * - label(name): "Discount share"; title(name): label and what it measures, for hover text;
 * - spec(name): the whole entry (kind, digits, and for a feature the summary words above/below).
 */
export function featureFormats(definitions, {currency = "USD"} = {}) {
  const rows = [...(definitions ?? [])].sort((a, b) => a.feature_position - b.feature_position);
  const specs = new Map([...Object.entries(figures), ...rows.map((row) => [row.feature_name, featureSpec(row)])]);
  const names = rows.map((row) => row.feature_name);
  const rank = (name) => {
    const i = names.indexOf(name);
    return i < 0 ? names.length : i;
  };
  const formats = new Map();
  const formatOf = (name) => {
    if (!formats.has(name)) formats.set(name, formatter(specs.get(name), currency));
    return formats.get(name);
  };
  return {
    names,
    spec: (name) => specs.get(name),
    format: formatOf,
    value: (name, x) => formatOf(name)(x),
    label: (name) => specs.get(name)?.label,
    title: (name) => (specs.has(name) ? `${specs.get(name).label}: ${specs.get(name).unit}` : String(name)),
    /** Rows sorted by their feature column in registry order (others last, by name). */
    order: (rows, key = "feature") =>
      [...(rows ?? [])].sort((a, b) => rank(a[key]) - rank(b[key]) || String(a[key]).localeCompare(String(b[key])))
  };
}

/**
 * A mix of categories as shares, largest first: "male 52.0% · female 48.0%". A single value
 * leads ("mostly visa: ...") only when it holds at least `lead` (60%) of the group: a 50/50
 * split gets no "most common" headline, and "unknown" never leads. Beyond `max` categories
 * the rest are summed as "other".
 */
export function mixText(rows, {lead = 0.6, max = 3} = {}) {
  const sorted = [...(rows ?? [])].filter((d) => d.share != null).sort((a, b) => b.share - a.share);
  if (!sorted.length) return dash;
  if (sorted.every((d) => d.category === unknown)) return "not recorded";
  const shown = sorted.length > max ? sorted.slice(0, max - 1) : sorted;
  const rest = sorted.slice(shown.length).reduce((sum, d) => sum + d.share, 0);
  const parts = shown.map((d) => `${d.category} ${format.pct(d.share)}`);
  if (rest > 0) parts.push(`other ${format.pct(rest)}`);
  return leads(sorted[0], lead) ? `mostly ${sorted[0].category}: ${parts.join(" · ")}` : parts.join(" · ");
}

const unknown = "unknown";

/** Whether a category's share makes it the headline of its mix: 60%+ and not "unknown". */
export function leads(row, lead = 0.6) {
  return row != null && row.category !== unknown && row.share >= lead;
}

/** The order history behind frequency and the other order features: first order to as_of_date. */
export function orderWindow(firstOrder, asOfDate) {
  if (!firstOrder || !asOfDate) return null;
  const start = new Date(firstOrder);
  const end = new Date(asOfDate);
  const months = Math.round((end - start) / (1000 * 60 * 60 * 24 * 30.44));
  const day = (d) => d.toISOString().slice(0, 10);
  return `orders from ${day(start)} up to as_of_date ${day(end)} (about ${format.int(months)} months)`;
}
