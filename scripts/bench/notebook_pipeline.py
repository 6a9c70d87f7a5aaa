"""Benchmark yardstick (a): the seed notebooks' segmentation, written the way a notebook does it.

Plain pandas and scikit-learn, no tuning: read, clean, RFM per customer, scale, K-Means (k=5).
Keep it that plain: `make bench` compares the project against it.

    python scripts/bench/notebook_pipeline.py CUSTOMERS.parquet ORDERS.parquet LABELS.parquet
"""

import sys

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

FEATURES = ["recency_days", "frequency", "monetary_total", "age", "annual_income"]

customers_path, orders_path, labels_path = sys.argv[1:4]

customers = pd.read_parquet(customers_path, columns=["customer_id", "age", "annual_income"])
orders = pd.read_parquet(orders_path, columns=["order_id", "customer_id", "ordered_at", "amount"])

# Clean the orders: readable values only, one row per order id, purchases only.
orders["ordered_at"] = pd.to_datetime(orders["ordered_at"], errors="coerce")
orders["amount"] = pd.to_numeric(orders["amount"], errors="coerce")
orders = orders.dropna()
orders = orders.drop_duplicates("order_id")
orders = orders[orders["amount"] > 0]

# Clean the customers: readable, plausible age and income, one row per customer.
customers["age"] = pd.to_numeric(customers["age"], errors="coerce")
customers["annual_income"] = pd.to_numeric(customers["annual_income"], errors="coerce")
customers = customers.dropna().drop_duplicates("customer_id")
customers = customers[customers["age"].between(16, 120) & customers["annual_income"].between(0, 10_000)]

# RFM: recency in days from the day after the latest order.
as_of = orders["ordered_at"].max().normalize() + pd.Timedelta(days=1)
rfm = orders.groupby("customer_id").agg(
    last_order=("ordered_at", "max"),
    frequency=("order_id", "count"),
    monetary_total=("amount", "sum"),
)
rfm["recency_days"] = (as_of - rfm["last_order"].dt.normalize()).dt.days
features = rfm.reset_index().merge(customers, on="customer_id").dropna()

X = StandardScaler().fit_transform(features[FEATURES])
features["label"] = KMeans(n_clusters=5, n_init=1, random_state=42).fit_predict(X)
features[["customer_id", "label"]].to_parquet(labels_path, index=False)
