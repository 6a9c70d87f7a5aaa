-- A segment-size table with no rows: sum() over it is null, which the test must treat as 0.
select
    cast(null as varchar) as segment_id,
    cast(null as integer) as customer_count
where false
