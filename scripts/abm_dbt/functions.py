"""The SQL functions the models call, in one list for every engine: the dbt-duckdb plugin registers them
on each DuckDB connection, scripts/spark_build.py on the Spark session. Each takes and returns Arrow
arrays (text in; text or double out), so both engines hand them whole batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from abm_dbt.domains import registrable_domain_arrow
from abm_dbt.normalize import char_similarity_arrow, nfkc_arrow, normalize_company_name_arrow, normalizer_version


@dataclass(frozen=True)
class SqlFunction:
    name: str
    function: Callable[..., pa.Array]
    arguments: int  # all text
    returns: str  # "string" or "double"


# The version of a function whose results a model stores and reuses across runs (a fingerprint of its
# code and data): when it changes, the stored results are computed again.
FUNCTION_VERSIONS: dict[str, str] = {"abm_normalize_company_name": normalizer_version()}


def function_version_arrow(names: pa.Array) -> pa.Array:
    """abm_function_version('abm_normalize_company_name'): the function's version; null for a function
    without one."""
    return pa.array([FUNCTION_VERSIONS.get(name) for name in names.to_pylist()], type=pa.string())


SQL_FUNCTIONS: tuple[SqlFunction, ...] = (
    SqlFunction("abm_normalize_company_name", normalize_company_name_arrow, 1, "string"),
    SqlFunction("abm_nfkc", nfkc_arrow, 1, "string"),
    SqlFunction("abm_char_similarity", char_similarity_arrow, 2, "double"),
    SqlFunction("abm_registrable_domain", registrable_domain_arrow, 1, "string"),
    SqlFunction("abm_function_version", function_version_arrow, 1, "string"),
)
