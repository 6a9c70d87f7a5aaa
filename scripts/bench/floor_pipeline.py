"""Benchmark yardstick (b), the floor: one DuckDB query for the features, then (a)'s scaling and K-Means.

The least work the segmentation can be done with: the same cleaning and features as
notebook_pipeline.py in a single SQL query, handed to scikit-learn as numpy arrays.

    python scripts/bench/floor_pipeline.py CUSTOMERS.parquet ORDERS.parquet LABELS.parquet
"""

import sys

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

FEATURES = ["recency_days", "frequency", "monetary_total", "age", "annual_income"]

customers_path, orders_path, labels_path = sys.argv[1:4]

QUERY = """
with orders as (
    select distinct on (order_id) order_id, customer_id,
        try_cast(ordered_at as timestamp) as ordered_at, try_cast(amount as double) as amount
    from read_parquet($orders)
    where order_id is not null and customer_id is not null
        and try_cast(ordered_at as timestamp) is not null and try_cast(amount as double) is not null
),
purchases as (
    select * from orders where amount > 0
),
customers as (
    select distinct on (customer_id) customer_id,
        try_cast(age as double) as age, try_cast(annual_income as double) as annual_income
    from read_parquet($customers)
    where customer_id is not null
),
rfm as (
    select customer_id,
        (select cast(max(ordered_at) as date) + 1 from purchases) - cast(max(ordered_at) as date) as recency_days,
        count(*) as frequency,
        sum(amount) as monetary_total
    from purchases
    group by customer_id
)
select rfm.customer_id, recency_days, frequency, monetary_total, age, annual_income
from rfm
join customers using (customer_id)
where age between 16 and 120 and annual_income between 0 and 10000
order by rfm.customer_id
"""

table = duckdb.sql(QUERY, params={"customers": customers_path, "orders": orders_path}).to_arrow_table()

X = StandardScaler().fit_transform(np.column_stack([table[name].to_numpy() for name in FEATURES]).astype(float))
labels = KMeans(n_clusters=5, n_init=1, random_state=42).fit_predict(X)
pq.write_table(pa.table({"customer_id": table["customer_id"], "label": labels}), labels_path)
