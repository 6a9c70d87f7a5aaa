// Every technical term the site uses, defined once: the glossary page lists them all and the
// other pages wrap a term in <abbr title="definition"> with `term(key)`, so a reader can hover
// it where it appears.
import {html} from "htl";

export const glossary = {
  segment: {term: "Segment", definition: "A group of customers K-Means put together because their features are alike. Each customer belongs to exactly one segment."},
  k: {term: "k", definition: "The number of segments. Chosen automatically by the k-selection rule unless the n_clusters var forces it."},
  "k-rule": {term: "k-selection rule", definition: "How k was chosen: fixed_n_clusters (forced by the n_clusters var), elbow_and_silhouette_agree (the elbow also has the best silhouette), best_silhouette_near_elbow (the best silhouette among the elbow and its two neighbours), or best_silhouette (fewer than three k tried, so no elbow)."},
  fixed_n_clusters: {term: "fixed_n_clusters", definition: "k-selection rule: the number of segments was set with the n_clusters var, so only that k was fitted."},
  elbow_and_silhouette_agree: {term: "elbow_and_silhouette_agree", definition: "k-selection rule: the elbow of the inertia curve also has the best silhouette, so both measures pick the same k."},
  best_silhouette_near_elbow: {term: "best_silhouette_near_elbow", definition: "k-selection rule: of the elbow and the k on either side of it, the one with the best silhouette (the most clearly separated segments)."},
  best_silhouette: {term: "best_silhouette", definition: "k-selection rule: with fewer than three k tried there is no elbow, so the k with the best silhouette wins."},
  elbow: {term: "Elbow", definition: "The k where adding segments stops paying off: the point of the inertia curve farthest from the straight line joining its first and last points."},
  inertia: {term: "Inertia", definition: "The sum of squared distances of customers to their segment's centre, in scaled units. Lower means tighter segments; it always falls as k grows."},
  silhouette: {term: "Silhouette", definition: "How well separated the segments are, from −1 to 1: for each customer, how much closer it is to its own segment than to the next one, averaged. Above 0.5 is a clear structure; near 0, segments overlap."},
  "davies-bouldin": {term: "Davies-Bouldin", definition: "Average similarity of each segment to its most similar other segment. Lower is better (more distinct segments)."},
  "calinski-harabasz": {term: "Calinski-Harabasz", definition: "Ratio of the spread between segments to the spread within them. Higher is better."},
  centroid: {term: "Centre (centroid)", definition: "A segment's average customer: the mean of each clustering feature over its members."},
  "distance-to-centre": {term: "Distance to centre", definition: "How far a customer lies from the centre of its segment, in scaled units (with the standard scaler, standard deviations of each feature; see Scaling). Small means typical of the segment."},
  sd: {term: "Standard deviation (SD)", definition: "The typical distance of a value from the average. “+1.0 SDs” means one standard deviation above the average of all customers: a large difference."},
  "z-score": {term: "z-score", definition: "A value as standard deviations from the average of all customers: (value − average) / standard deviation. 0 is average; ±1 is far from it."},
  scaling: {term: "Scaling", definition: "Before clustering, each feature is put on a common scale (standard: minus the mean, divided by the standard deviation; robust: minus the median, divided by the IQR), so that no feature dominates by its unit."},
  log1p: {term: "log1p", definition: "log(1 + x), applied (with the sign kept) to skewed count and money features before scaling, so a few very large values do not dominate."},
  pca: {term: "PC1 / PC2", definition: "Principal components: the two directions in which the scaled customers differ most. Plotting them gives a flat picture of many features; each axis mixes several features."},
  lift: {term: "Lift", definition: "A category's share of this segment's purchases divided by its share of all purchases. Above 1 the segment buys it more than customers overall; 2 means twice as much."},
  rfm: {term: "RFM", definition: "Recency, frequency, monetary: how recently a customer bought, how often, and how much they spent. The classic features of purchase behaviour."},
  recency: {term: "Recency", definition: "Days from the customer's last purchase to as_of_date. Lower is more recent."},
  frequency: {term: "Frequency", definition: "Number of purchases in the order history, from the earliest order in the data up to as_of_date. Refunds do not count."},
  monetary: {term: "Net spend (monetary)", definition: "The sum of a customer's order amounts before as_of_date, net of refunds, in the run's currency."},
  "net-revenue": {term: "Net revenue", definition: "The sum of the members' net spend (monetary_total): every order amount before as_of_date, net of refunds, in the run's currency (the currency var)."},
  "revenue-share": {term: "Share of net revenue", definition: "A segment's net revenue divided by the net revenue of all segmented customers. Compare it with the share of customers: a segment with a larger revenue share brings more than its size."},
  "customer-share": {term: "Share of customers", definition: "A segment's customers divided by all segmented customers."},
  "discount-share": {term: "Discount share", definition: "The share of a customer's purchases that used a discount, shown as a percentage."},
  "spending-score": {term: "Spending score", definition: "A 1 to 100 score of how much a customer spends compared with the others (a percentile of net spend, or the input's own score)."},
  quartiles: {term: "Quartiles", definition: "The values that cut the customers, sorted, into four equal groups: the lower quartile (25%), the median (50%) and the upper quartile (75%)."},
  iqr: {term: "IQR", definition: "Interquartile range: the upper minus the lower quartile, the spread of the middle half of the customers."},
  "box-plot": {term: "Box plot", definition: "The box spans the middle half of the customers (lower to upper quartile), the tick is the median, and the whiskers reach the furthest value within 1.5 IQR of the box."},
  "as-of-date": {term: "as_of_date", definition: "The date the features are measured at: only orders before it count. By default the day after the last clean order (the as_of_date var sets it)."},
  "order-window": {term: "Order history", definition: "The orders behind frequency, recency and net spend: from the earliest clean order in the data up to (not including) as_of_date."},
  "model-version": {term: "model_version", definition: "A fingerprint of the data, features and settings of a run: two builds with the same model_version assign the same segments."},
  migration: {term: "Migration", definition: "A customer's move from one segment to another between two runs (builds), for example after next month's data. Segment ids carry over between runs where the segments match, so a customer with the same id in both runs stayed."},
  "segment-match": {term: "Segment match", definition: "How a retrained model's segments keep their ids and names: each is paired one to one with a segment of the previous model by the distance between their centres; within segment_match_max_distance it keeps that segment's id and name, otherwise it is a new segment with a new id."},
  "segmentation-mode": {term: "Segmentation mode", definition: "What a build did: train (fit a new model on the current customers) or score (assign the current customers with a stored model, fitting nothing)."},
  "not-segmented": {term: "Not segmented", definition: "Clean customers left out of the segmentation because a selected feature has no value for them (for example, no orders and no signup date)."},
  quarantine: {term: "Quarantined rows", definition: "Input rows rejected by the checks (bad values, duplicates, impossible dates), kept with their reason instead of being used. An order on or after as_of_date is not quarantined: it is outside the order history and counted apart."}
};

/** A term with its definition on hover; `text` is what the page shows (default: the term). */
export function term(key, text) {
  const entry = glossary[key];
  if (!entry) throw new Error(`no glossary entry "${key}"`);
  return html`<abbr class="term" data-term=${key} title=${entry.definition}>${text ?? entry.term}</abbr>`;
}
