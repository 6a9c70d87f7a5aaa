-- Data quality page data: what the cleaning kept and what it quarantined, and why.

-- name: summary
select source_name, raw_rows, clean_rows, quarantined_rows, is_reconciled
from data_quality_summary
order by source_name;

-- name: reasons
select source_name, rejection_reason, count(*) as n_rows
from stg_shop__quarantined_rows
group by source_name, rejection_reason
order by source_name, n_rows desc, rejection_reason;
