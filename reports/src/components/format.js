// The one number format of the site. Every page formats a feature's value through
// `features` below (label, unit, format), so a value reads the same wherever it appears:
// discount share is always a percentage, money always carries the run's currency.
// (Until the feature registry of the lifecycle work replaces it, this is the single source.)

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
  moneyThousands: (x, currency = "USD") =>
    missing(x)
      ? dash
      : numberFormat({style: "currency", currency, notation: "compact", maximumFractionDigits: 1}).format(1000 * x),
  /** A signed difference: +1.25, −0.40. */
  signed: (x, digits = 2) =>
    missing(x) ? dash : numberFormat({signDisplay: "exceptZero", minimumFractionDigits: digits, maximumFractionDigits: digits}).format(x),
  text: (x) => (x == null || x === "" ? dash : String(x))
};

/**
 * One entry per feature and per business figure: its label, its unit in words, how its
 * values are written, and the words for "above / below everyone" used by the segment
 * summaries. kind: count (whole or up to `digits` decimals), money, share (a 0–1 share shown
 * as a percentage), score (a model score).
 */
export const features = {
  age: {label: "Age", unit: "years", kind: "count", digits: 1, above: "older", below: "younger"},
  annual_income: {label: "Annual income (k)", unit: "thousands per year", kind: "income", above: "higher income", below: "lower income"},
  credit_score: {label: "Credit score", unit: "points", kind: "count", digits: 0, above: "higher credit score", below: "lower credit score"},
  spending_score: {label: "Spending score", unit: "1 to 100", kind: "count", digits: 1, above: "higher spending score", below: "lower spending score"},
  recency_days: {label: "Recency (days)", unit: "days since the last purchase", kind: "count", digits: 1, above: "bought longer ago", below: "bought more recently"},
  frequency: {label: "Frequency (purchases)", unit: "purchases", kind: "count", digits: 2, above: "buy more often", below: "buy less often"},
  monetary_total: {label: "Net spend (monetary)", unit: "net of refunds", kind: "money", digits: 0, above: "spend more", below: "spend less"},
  avg_order_value: {label: "Average order value", unit: "per purchase", kind: "money", digits: 2, above: "bigger baskets", below: "smaller baskets"},
  tenure_days: {label: "Tenure (days)", unit: "days as a customer", kind: "count", digits: 0, above: "longer-standing", below: "newer customers"},
  discount_share: {label: "Discount share", unit: "of purchases", kind: "share", digits: 1, above: "use discounts more", below: "use discounts less"},
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

/** The formatter of one feature (or business figure); `currency` for money. */
export function featureFormat(name, {currency = "USD"} = {}) {
  const spec = features[name];
  if (!spec) return (x) => (typeof x === "number" ? format.num(x, Math.abs(x) < 10 ? 2 : 1) : format.text(x));
  switch (spec.kind) {
    case "money":
      return (x) => format.money(x, currency, spec.digits);
    case "income":
      return (x) => format.moneyThousands(x, currency);
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

/** A feature's value in its format: formatFeature("discount_share", 0.231) is "23.1%". */
export function formatFeature(name, value, options) {
  return featureFormat(name, options)(value);
}

/** A feature's label, e.g. "Discount share". */
export function featureLabel(name) {
  return features[name]?.label;
}

/** A feature's label and unit in words, for hover titles: "Recency (days): days since the last purchase". */
export function featureTitle(name) {
  const spec = features[name];
  return spec ? `${spec.label}: ${spec.unit}` : String(name);
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
