import unicodedata

import pytest

from abm_dbt.japanese import (
    OLD_TO_NEW_KANJI, corporate_number_check_digit, is_valid_corporate_number, make_corporate_number,
    to_half_width_katakana,
)


@pytest.mark.parametrize("number", ["7000012050002", "1180301018771"])  # 国税庁, トヨタ自動車 (published)
def test_published_corporate_numbers_are_valid(number: str) -> None:
    assert corporate_number_check_digit(number[1:]) == int(number[0])
    assert is_valid_corporate_number(number)


def test_formatted_and_full_width_corporate_numbers_are_valid() -> None:
    assert is_valid_corporate_number("7-0000-1205-0002")
    assert is_valid_corporate_number("７００００１２０５０００２")


@pytest.mark.parametrize("number", ["8000012050002", "700001205000", "70000120500021", "A000012050002"])
def test_wrong_corporate_numbers_are_invalid(number: str) -> None:
    assert not is_valid_corporate_number(number)


def test_make_corporate_number_round_trips() -> None:
    for base in ("000000000001", "999999999999", "180301018771"):
        assert is_valid_corporate_number(make_corporate_number(base))


def test_half_width_katakana_normalizes_back_under_nfkc() -> None:
    name = "株式会社ヴィジョンデータ・ソリューションズ"
    half = to_half_width_katakana(name)
    assert half != name
    assert unicodedata.normalize("NFKC", half) == name


def test_old_kanji_table_maps_to_distinct_new_forms() -> None:
    assert OLD_TO_NEW_KANJI["會"] == "会"
    assert all(old != new for old, new in OLD_TO_NEW_KANJI.items())
