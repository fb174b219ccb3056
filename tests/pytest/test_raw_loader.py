"""The raw-data contract as the loader enforces it: formats, column order, optional tables, encodings,
and clear errors that name the table, the file and the column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from abm_dbt.contract import LINEAGE_COLUMNS, RAW_TABLES, raw_table
from abm_dbt.raw_loader import RawInputError, detect_encoding, load_as_arrow

CONTACT_ROW = {
    "source_system": "sansan", "source_contact_id": "SAC-1", "source_account_id": "",
    "company_name": "㈱ヴィジョン・データ", "email": "taro.yamada@vision.co.jp", "full_name": "山田　太郎",
    "department": "情報システム部", "job_title": "部長", "consent_email": "true", "consent_ads": "false",
    "created_at": "2026/01/05 10:00", "updated_at": "2026-01-06 00:00:00", "is_deleted": "false",
    "address": "〒100-0005 東京都千代田区丸の内１－２－３",
}


def rows(table: pa.Table) -> list[tuple]:
    contract = raw_table_columns(table)
    values = (tuple(r[c] or None for c in contract) for r in table.to_pylist())  # "" and null alike
    return sorted(values, key=lambda t: tuple(v or "" for v in t))


def raw_table_columns(table: pa.Table) -> list[str]:
    return [c for c in table.column_names if c not in LINEAGE_COLUMNS]


def write_csv(path: Path, header: list[str], values: list[list[str]], encoding: str = "utf-8") -> None:
    lines = [",".join(header)] + [",".join(v) for v in values]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)


def test_csv_and_parquet_read_the_same(parquet_raw: Path, csv_raw: Path) -> None:
    for table in RAW_TABLES:
        from_parquet, from_csv = load_as_arrow(parquet_raw, table.name), load_as_arrow(csv_raw, table.name)
        assert raw_table_columns(from_parquet) == list(table.columns)
        assert from_parquet.num_rows == from_csv.num_rows
        # CSV cannot tell an empty string from a missing value; both read as null
        assert rows(from_parquet) == rows(from_csv), table.name


def test_every_row_gets_a_row_number(parquet_raw: Path) -> None:
    data = load_as_arrow(parquet_raw, "contacts")
    numbers = data.column("_source_row_number").to_pylist()
    assert sorted(numbers) == list(range(1, data.num_rows + 1))
    assert set(data.column("_source_file").to_pylist()) == {"contacts.parquet"}


def test_column_order_case_and_extra_columns_do_not_matter(tmp_path: Path) -> None:
    header = list(reversed(CONTACT_ROW)) + ["favourite_colour"]
    write_csv(tmp_path / "contacts.csv", [h.upper() if h == "email" else h for h in header],
              [[CONTACT_ROW.get(h, "blue") for h in header]])
    data = load_as_arrow(tmp_path, "contacts")
    assert raw_table_columns(data) == list(raw_table("contacts").columns)
    assert data.to_pylist()[0]["email"] == "taro.yamada@vision.co.jp"


def test_absent_optional_table_reads_as_empty_with_its_columns(tmp_path: Path) -> None:
    data = load_as_arrow(tmp_path, "intent_signals")
    assert data.num_rows == 0
    assert raw_table_columns(data) == list(raw_table("intent_signals").columns)


def test_absent_required_table_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(RawInputError, match="raw table 'crm_accounts' is required"):
        load_as_arrow(tmp_path, "crm_accounts")


def test_missing_column_is_an_error_naming_table_and_column(tmp_path: Path) -> None:
    header = [h for h in CONTACT_ROW if h != "email"]
    write_csv(tmp_path / "contacts.csv", header, [[CONTACT_ROW[h] for h in header]])
    with pytest.raises(RawInputError, match=r"raw table 'contacts' \(.*contacts.csv\): missing required column\(s\) email"):
        load_as_arrow(tmp_path, "contacts")


def test_absent_optional_column_reads_as_null(tmp_path: Path) -> None:
    # an export from before the office address was part of the contract still loads
    header = [h for h in CONTACT_ROW if h != "address"]
    write_csv(tmp_path / "contacts.csv", header, [[CONTACT_ROW[h] for h in header]])
    data = load_as_arrow(tmp_path, "contacts")
    assert raw_table_columns(data) == list(raw_table("contacts").columns)
    assert data.to_pylist()[0]["address"] is None
    assert data.to_pylist()[0]["email"] == "taro.yamada@vision.co.jp"


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "activities.csv").write_bytes(b"")
    with pytest.raises(RawInputError, match="raw table 'activities' .* empty"):
        load_as_arrow(tmp_path, "activities")


def test_truncated_parquet_is_an_error_naming_the_table(parquet_raw: Path, tmp_path: Path) -> None:
    data = (parquet_raw / "activities.parquet").read_bytes()
    (tmp_path / "activities.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(RawInputError, match=r"raw table 'activities' \(.*activities.parquet\): unreadable"):
        load_as_arrow(tmp_path, "activities")


def test_two_files_for_one_table_is_an_error(parquet_raw: Path, tmp_path: Path) -> None:
    shutil.copy(parquet_raw / "activities.parquet", tmp_path)
    pacsv.write_csv(pq.read_table(parquet_raw / "activities.parquet"), tmp_path / "activities.csv")
    with pytest.raises(RawInputError, match="both"):
        load_as_arrow(tmp_path, "activities")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_shift_jis_and_bom_csv_are_read(tmp_path: Path, encoding: str) -> None:
    header = list(CONTACT_ROW)
    write_csv(tmp_path / "contacts.csv", header, [[CONTACT_ROW[h] for h in header]], encoding=encoding)
    assert detect_encoding(tmp_path / "contacts.csv") == encoding
    row = load_as_arrow(tmp_path, "contacts").to_pylist()[0]
    assert row["source_system"] == "sansan"  # the first header survives a BOM
    assert row["company_name"] == "㈱ヴィジョン・データ"
    assert row["full_name"] == "山田　太郎"


def test_undecodable_csv_says_how_to_convert(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_bytes(b"source_system\n\xff\xfe\xfa\n")
    with pytest.raises(RawInputError, match="iconv"):
        load_as_arrow(tmp_path, "contacts")
