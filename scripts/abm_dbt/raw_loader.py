"""Read one raw input file (Parquet or CSV) against the raw-data contract.

Pure functions, no dbt: the dbt-duckdb plugin (`abm_dbt.plugin`) calls `open_raw_table`, and the
tests call the same functions directly. Every value comes back as VARCHAR so that staging, not
the reader, decides what is a valid date or number and quarantines what is not.
"""

from __future__ import annotations

import codecs
import logging
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from abm_dbt.contract import LINEAGE_COLUMNS, RawTable, raw_table

log = logging.getLogger(__name__)

SUFFIXES: tuple[str, ...] = (".parquet", ".csv")
_PROBE_BYTES = 1 << 20


class RawInputError(RuntimeError):
    """A raw file cannot be used. The message names the table, the file and, where it applies,
    the column, and says how to fix it."""


def find_raw_file(raw_dir: Path, table: str) -> Path | None:
    """Return `<raw_dir>/<table>.parquet` or `.csv`; None when neither exists."""
    found = [raw_dir / f"{table}{suffix}" for suffix in SUFFIXES if (raw_dir / f"{table}{suffix}").exists()]
    if len(found) > 1:
        names = " and ".join(str(p) for p in found)
        raise RawInputError(f"raw table '{table}': both {names} exist; keep exactly one of them")
    return found[0] if found else None


def detect_encoding(path: Path) -> str:
    """'utf-8', 'utf-8-sig' (BOM) or 'cp932' (Shift_JIS as Windows writes it).

    The whole file is decoded incrementally, so a stray byte late in a large file is found too.
    """
    with path.open("rb") as handle:
        head = handle.read(3)
    if head == codecs.BOM_UTF8:
        return "utf-8-sig"
    for encoding in ("utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_PROBE_BYTES):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise RawInputError(
        f"{path}: neither UTF-8 nor Shift_JIS (cp932); convert it first, e.g. "
        f"`iconv -f <encoding> -t UTF-8 {path} > {path}.utf8 && mv {path}.utf8 {path}`"
    )


def as_plain_utf8(path: Path, scratch_dir: Path) -> Path:
    """Return a UTF-8 (no BOM) path with the same content: the file itself, or a transcoded copy."""
    encoding = detect_encoding(path)
    if encoding == "utf-8":
        return path
    target = scratch_dir / f"{path.stem}.utf8.csv"
    log.info("transcoding %s from %s to UTF-8 at %s", path, encoding, target)
    with path.open("r", encoding=encoding, newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_PROBE_BYTES):
            dst.write(chunk)
    return target


def _relation_for(con: duckdb.DuckDBPyConnection, path: Path, scratch_dir: Path) -> duckdb.DuckDBPyRelation:
    if path.suffix == ".parquet":
        return con.read_parquet(str(path))
    readable = as_plain_utf8(path, scratch_dir)
    return con.read_csv(str(readable), header=True, all_varchar=True)


def _check_columns(spec: RawTable, path: Path, present: list[str]) -> dict[str, str | None]:
    """Map each contract column to the file's column name (case and surrounding spaces ignored);
    None for an optional column the file does not have."""
    by_clean_name = {name.strip().lower(): name for name in present}
    missing = [col for col in spec.columns if col not in by_clean_name and col not in spec.optional_columns]
    if missing:
        raise RawInputError(
            f"raw table '{spec.name}' ({path}): missing required column(s) {', '.join(missing)}; "
            f"the file has {', '.join(present) or 'no columns'}"
        )
    return {col: by_clean_name.get(col) for col in spec.columns}


def empty_table(spec: RawTable) -> pa.Table:
    """An optional table that is absent reads as zero rows with the contract's columns."""
    fields = [pa.field(col, pa.string()) for col in spec.columns]
    fields += [pa.field("_source_row_number", pa.int64()), pa.field("_source_file", pa.string()),
               pa.field("_loaded_at", pa.timestamp("us"))]
    return pa.Table.from_pylist([], schema=pa.schema(fields))


def open_raw_table(
    con: duckdb.DuckDBPyConnection, raw_dir: Path, table: str, scratch_dir: Path | None = None
) -> duckdb.DuckDBPyRelation | pa.Table:
    """Read `table` from `raw_dir` as VARCHAR columns plus lineage columns.

    Returns a relation on `con` (keep `con` open until it is consumed) or an empty Arrow table
    for an absent optional table. Raises RawInputError naming the table, file and column.
    """
    spec = raw_table(table)
    path = find_raw_file(raw_dir, table)
    if path is None:
        if spec.required:
            raise RawInputError(
                f"raw table '{table}' is required but neither {table}.parquet nor {table}.csv "
                f"is in {raw_dir} (set ABM_RAW_DIR, or run `make data`)"
            )
        log.info("optional raw table '%s' absent in %s: read as empty", table, raw_dir)
        return empty_table(spec)
    if path.stat().st_size == 0:
        raise RawInputError(f"raw table '{table}' ({path}): the file is empty (0 bytes)")
    scratch = scratch_dir or Path(tempfile.mkdtemp(prefix="abm_raw_"))
    try:
        relation = _relation_for(con, path, scratch)
        names = _check_columns(spec, path, list(relation.columns))
        select_list = [
            f'cast("{names[col]}" as varchar) as "{col}"' if names[col] is not None
            else f'cast(null as varchar) as "{col}"'
            for col in spec.columns
        ]
        select_list.append("row_number() over () as _source_row_number")
        select_list.append(f"'{path.name}' as _source_file")
        # when the export was written (UTC): what `dbt source freshness` checks
        written = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None)
        select_list.append(f"timestamp '{written.isoformat(sep=' ')}' as _loaded_at")
        selected = relation.select(", ".join(select_list))
        # Parse the whole file now, so a truncated or malformed file fails here with its name,
        # not later inside dbt with an anonymous reader error.
        row_count = selected.aggregate("count(*)").fetchall()[0][0]
        log.info("raw table '%s': %s rows from %s", table, row_count, path)
        return selected
    except RawInputError:
        raise
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise RawInputError(f"raw table '{table}' ({path}): unreadable: {first_line}") from exc


def load_as_arrow(raw_dir: Path, table: str) -> pa.Table:
    """Whole table as Arrow: for tests and small tools (the plugin streams instead)."""
    con = duckdb.connect()
    try:
        data = open_raw_table(con, raw_dir, table)
        return data if isinstance(data, pa.Table) else data.to_arrow_table()
    finally:
        con.close()


__all__ = ["LINEAGE_COLUMNS", "RawInputError", "find_raw_file", "load_as_arrow", "open_raw_table"]
