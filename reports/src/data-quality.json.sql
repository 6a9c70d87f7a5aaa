-- Data quality page data: what the cleaning kept and what it quarantined, and why.

-- name: summary
select
    source_name,
    grain,
    raw_rows,
    clean_rows,
    quarantined_rows,
    after_as_of_date_rows,
    identical_rows_kept,
    is_reconciled
from data_quality_summary
order by source_name;

-- name: reasons
select
    source_name,
    rejection_reason,
    count(*) as n_rows
from stg_shop__quarantined_rows
group by source_name, rejection_reason
order by source_name asc, n_rows desc, rejection_reason asc;

-- name: meanings
select
    rejection_reasons.reason_code,
    rejection_reasons.meaning
from rejection_reasons
where rejection_reasons.reason_code in (select distinct rejection_reason from stg_shop__quarantined_rows)
order by rejection_reasons.reason_code;

-- name: segmentation
select
    clean_rows,
    segmented_rows,
    not_segmented_rows
from data_quality_summary
where source_name = 'raw_customers';

-- name: not_segmented
select
    customers_not_segmented.reason,
    count(*) as n_customers,
    any_value(not_segmented_reasons.meaning) as meaning
from customers_not_segmented
left join not_segmented_reasons on customers_not_segmented.reason = not_segmented_reasons.reason_code
group by customers_not_segmented.reason
order by n_customers desc, customers_not_segmented.reason asc;
