"""Company-name normalization and character similarity (the Python functions the dbt plugin
registers in DuckDB)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from abm_dbt import normalize
from abm_dbt.domains import registrable_domain
from abm_dbt.functions import FUNCTION_VERSIONS, function_version_arrow
from abm_dbt.normalize import (
    char_similarity, char_similarity_arrow, has_legal_form, normalize_company_name, normalize_company_name_arrow,
)


@pytest.mark.parametrize("variant", [
    "株式会社ミラクスシステム", "ミラクスシステム株式会社", "ミラクスシステム(株)", "（株）ミラクスシステム",
    "㈱ミラクスシステム", "ミラクス システム 株式会社", "　ミラクス・システム　", "ﾐﾗｸｽｼｽﾃﾑ(株)",
    "株式會社ミラクスシステム", "ミラクスシステム 株式会社 ", "ミラクス株式会社システム",
])
def test_japanese_variants_share_one_normalized_name(variant: str) -> None:
    assert normalize_company_name(variant) == "ミラクスシステム"


@pytest.mark.parametrize("variant", [
    "Mirax System Co., Ltd.", "MIRAX SYSTEM CO.,LTD.", "Mirax System Inc.", "Mirax System K.K.",
    "Mirax System Corporation", "Mirax System Corp", "Mirax System LLC", "Mirax-System GmbH",
    "Ｍｉｒａｘ Ｓｙｓｔｅｍ Ｃｏ．， Ｌｔｄ．", "Mirax System Kabushiki Kaisha",
])
def test_english_variants_share_one_normalized_name(variant: str) -> None:
    assert normalize_company_name(variant) == "miraxsystem"


@pytest.mark.parametrize(("name", "expected"), [
    ("一般社団法人日本ABM協会", "日本abm協会"),
    ("特定非営利活動法人 ＡＢＣ", "abc"),
    ("医療法人社団 桜会", "桜会"),
    ("社会福祉法人 澤田福祉会", "沢田福祉会"),  # 旧字体 folded
    ("(有)萬世電機", "万世電機"),
    ("合同会社　ＤＭＭ．ｃｏｍ", "dmmcom"),
    ("ABCホールディングス株式会社", "abcホルデイングス"),  # not a legal form: kept (its katakana spelling folded)
])
def test_other_legal_forms_and_old_kanji(name: str, expected: str) -> None:
    assert normalize_company_name(name) == expected


@pytest.mark.parametrize("name", [None, "", "   ", "株式会社", "(株)", "Co., Ltd.", "株式会社 Inc."])
def test_nothing_but_a_legal_form_is_none(name: str | None) -> None:
    assert normalize_company_name(name) is None


def test_legal_form_detection() -> None:
    assert has_legal_form("ミラクス(株)") and has_legal_form("Mirax Inc.")
    assert not has_legal_form("ミラクスシステム") and not has_legal_form(None)


def test_similarity_counts_characters_not_bytes() -> None:
    # one kana of eight differs: 7/8, although each kana is three bytes in UTF-8
    assert char_similarity("ミラクスシステム", "ミラクヌシステム") == pytest.approx(0.875)
    assert char_similarity("abc", "abc") == 1.0
    assert char_similarity("abc", None) is None
    assert char_similarity("", "abc") == 0.0


def test_arrow_functions_agree_with_the_scalar_ones() -> None:
    names = ["㈱ミラクス", None, "Acme Inc.", "株式会社"]
    assert normalize_company_name_arrow(pa.array(names)).to_pylist() == [normalize_company_name(n) for n in names]
    left, right = ["ミラクス", "abc", None, "東和興産"], ["ミラクヌ", "abd", "x", "大和興産"]
    got = char_similarity_arrow(pa.array(left), pa.array(right)).to_pylist()
    want = [char_similarity(a, b) for a, b in zip(left, right)]
    assert got == pytest.approx(want)
    # a batch without nulls takes the short path: the same scores
    left, right = ["ミラクス", "abc", "", "東和興産"], ["ミラクヌ", "abd", "x", "大和興産"]
    got = char_similarity_arrow(pa.array(left), pa.array(right)).to_pylist()
    assert got == pytest.approx([char_similarity(a, b) for a, b in zip(left, right)])


@pytest.mark.parametrize(("host", "expected"), [
    ("recruit.mirax.co.jp", "mirax.co.jp"),
    ("jp.mirax.com", "mirax.com"),
    ("shop.mirax.ne.jp", "mirax.ne.jp"),
    # prefecture-type domains: each registrant under tokyo.jp is its own company
    ("aoba-seimitsu.tokyo.jp", "aoba-seimitsu.tokyo.jp"),
    ("www2.midori-foods.tokyo.jp", "midori-foods.tokyo.jp"),
    # a wildcard rule (*.kawasaki.jp) and its exception (city.kawasaki.jp)
    ("a.b.kawasaki.jp", "a.b.kawasaki.jp"),
    ("www.city.kawasaki.jp", "city.kawasaki.jp"),
    ("foo.github.io", "foo.github.io"),
    ("co.jp", None),
    ("localhost", None),
    (None, None),
])
def test_registrable_domain_follows_the_public_suffix_list(host, expected) -> None:
    assert registrable_domain(host) == expected


@pytest.mark.parametrize(("variant", "registered"), [
    # a branch or office is the same legal entity
    ("株式会社ミラクス 大阪支店", "株式会社ミラクス"), ("ミラクス(東京本社)", "ミラクス株式会社"),
    ("ミラクス株式会社 名古屋営業所", "ミラクス株式会社"), ("ミラクス 関西支社", "ミラクス株式会社"),
    ("ミラクス東京支店", "ミラクス株式会社"), ("ミラクス（大阪本社）", "ミラクス株式会社"),
    # 異体字 NFKC keeps (seed company_name_folds)
    ("株式会社髙橋製作所", "高橋製作所株式会社"), ("㈱﨑山精機", "崎山精機株式会社"), ("𠮷田商事", "吉田商事(株)"),
    # HD for ホールディングス
    ("ミラクスHD", "ミラクスホールディングス株式会社"), ("ミラクスＨＤ株式会社", "ミラクスホールディングス(株)"),
    # OCR look-alikes among katakana
    ("ア力シ工業", "アカシ工業株式会社"), ("デ一タ工房", "データ工房"), ("工ンジニアリング東和", "エンジニアリング東和"),
    ("べルテック", "ベルテック"),
    # katakana spellings of one reading
    ("ネットワークサーバー株式会社", "ネツトワクサーバ(株)"), ("メディカルサービス", "メデイカルサビス"),
    ("コンピューターソリューションズ", "コンピュータソリユーションズ"),
])
def test_export_variants_normalize_to_the_registered_name(variant: str, registered: str) -> None:
    assert normalize_company_name(variant) == normalize_company_name(registered)


@pytest.mark.parametrize(("one", "other"), [
    # near-name companies: different legal entities, never folded together
    ("ミラクス", "ミラクスホールディングス"), ("ミラクス", "ミラクス工業"), ("ミラクス工業", "ミラクス工業所"),
    ("東洋電力", "東洋電カ工業"), ("本社", "本店"),
])
def test_near_names_stay_apart(one: str, other: str) -> None:
    assert normalize_company_name(one) != normalize_company_name(other)


def test_a_name_that_is_only_a_branch_word_is_kept() -> None:
    assert normalize_company_name("株式会社 本店") == "本店"


def test_the_normalizer_version_changes_with_its_seed_and_only_then(tmp_path, monkeypatch) -> None:
    """base_identity__company_names reuses a stored normalized name while the version is unchanged: a
    change to the folds seed (or the code) must change it, and reading it twice must not."""
    today = normalize.normalizer_version()
    assert normalize.normalizer_version() == today == FUNCTION_VERSIONS["abm_normalize_company_name"]
    seed = tmp_path / "company_name_folds.csv"
    seed.write_bytes(normalize.FOLDS_SEED.read_bytes())
    monkeypatch.setattr(normalize, "FOLDS_SEED", seed)
    assert normalize.normalizer_version() == today
    seed.write_text(seed.read_text(encoding="utf-8") + "髚,高,itaiji,a fold added\n", encoding="utf-8")
    assert normalize.normalizer_version() != today
    versions = function_version_arrow(pa.array(["abm_normalize_company_name", "abm_nfkc", None]))
    assert versions.to_pylist() == [today, None, None]
