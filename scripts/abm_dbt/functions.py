"""The SQL functions the models call, in one list for every engine: the dbt-duckdb plugin registers them
on each DuckDB connection, scripts/spark_build.py on the Spark session. Each takes and returns Arrow
arrays (text in; text or double out), so both engines hand them whole batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from abm_dbt.domains import registrable_domain_arrow
from abm_dbt.normalize import char_similarity_arrow, nfkc_arrow, normalize_company_name_arrow


@dataclass(frozen=True)
class SqlFunction:
    name: str
    function: Callable[..., pa.Array]
    arguments: int  # all text
    returns: str  # "string" or "double"


SQL_FUNCTIONS: tuple[SqlFunction, ...] = (
    SqlFunction("abm_normalize_company_name", normalize_company_name_arrow, 1, "string"),
    SqlFunction("abm_nfkc", nfkc_arrow, 1, "string"),
    SqlFunction("abm_char_similarity", char_similarity_arrow, 2, "double"),
    SqlFunction("abm_registrable_domain", registrable_domain_arrow, 1, "string"),
)
