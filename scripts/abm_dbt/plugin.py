"""dbt-duckdb plugin: loads the raw files of the contract as dbt sources.

Declared in profiles.yml (`plugins: - module: abm_dbt.plugin`, config `raw_dir`) and used by
sources whose config says `plugin: plugin` (the module's last name). For every source the plugin
reads `<raw_dir>/<identifier>.parquet|csv`, checks the contract, and hands dbt-duckdb a stream of
VARCHAR columns that it materializes as a table in the `raw` schema.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt.adapters.duckdb.utils import SourceConfig

from abm_dbt.build_plan import raw_file_landing_key
from abm_dbt.functions import SQL_FUNCTIONS
from abm_dbt.raw_loader import open_raw_table

_BATCH_ROWS = 100_000


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        raw_dir = plugin_config.get("raw_dir") or os.environ.get("ABM_RAW_DIR", "data/raw")
        self.raw_dir = Path(raw_dir)
        # Readers stay open until dbt-duckdb has consumed the stream they feed.
        self._connections: list[duckdb.DuckDBPyConnection] = []
        self._scratch = Path(tempfile.mkdtemp(prefix="abm_raw_"))

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        """Register the Python functions SQL cannot do well: NFKC, character-level similarity and the
        Public Suffix List.
        Models that call them are tables, never views, so BI tools never need the functions."""
        types = {"string": duckdb.sqltypes.VARCHAR, "double": duckdb.sqltypes.DOUBLE}
        for sql_function in SQL_FUNCTIONS:
            conn.create_function(sql_function.name, sql_function.function,
                                 [types["string"]] * sql_function.arguments, types[sql_function.returns],
                                 type="arrow", null_handling="special", side_effects=False)
        # what a raw table would hold if landed now (file bytes, loader version, the file's write time): the
        # landing hook reloads a table only when this differs from what it landed last time
        conn.create_function("abm_raw_file_landing_key", lambda table: raw_file_landing_key(self.raw_dir, table),
                             [types["string"]], types["string"], side_effects=True)

    def load(self, source_config: SourceConfig, cursor: Any = None) -> pa.RecordBatchReader | pa.Table:
        con = duckdb.connect()
        self._connections.append(con)
        # the contract's table name (the file's name), whatever identifier the warehouse table has
        data = open_raw_table(con, self.raw_dir, source_config.name, self._scratch)
        if isinstance(data, pa.Table):
            return data
        return data.fetch_record_batch(_BATCH_ROWS)

    def default_materialization(self) -> str:
        return "table"
