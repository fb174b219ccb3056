"""Company-name normalization for identity resolution (名寄せ).

DuckDB has no NFKC function, and its edit distances count bytes rather than characters for
Japanese, so names are normalized here, in Python, and registered as DuckDB functions by the
project's dbt-duckdb plugin (vectorized over Arrow batches: fast enough for millions of rows).

normalize_company_name:
  1. NFKC (full/half width folded, ㈱ -> (株), ｶﾀｶﾅ -> カタカナ),
  2. 旧字体 -> 新字体 for common company kanji, and the 異体字 of seed company_name_folds that NFKC
     leaves alone (髙 -> 高, 﨑 -> 崎, 𠮷 -> 吉 …),
  3. case folded,
  4. a branch or office designation at the end removed (大阪支店, (東京本社), 名古屋営業所, 関西支社):
     a branch is the same legal entity,
  5. legal forms removed wherever they stand (before, after, in the middle, abbreviated, bracketed),
     Japanese and English,
  6. HD / ＨＤ read as ホールディングス, and the OCR look-alikes of seed company_name_folds folded where
     they stand next to a katakana (ア力シ -> アカシ, but 電力 stays),
  7. punctuation, middle dots and spaces removed,
  8. katakana spelling variants that keep the reading folded: the long-vowel mark dropped (サーバー /
     サーバ, コンピューター / コンピュータ) and small kana written large (メディカル / メデイカル,
     ソリューション / ソリユーション, ネットワーク / ネツトワーク), as old systems and hurried typists write them.
An empty result (no name, or a name that is only a legal form) is None.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cpdist

from abm_dbt.japanese import OLD_TO_NEW_KANJI

FOLDS_SEED = Path(__file__).resolve().parents[2] / "seeds" / "company_name_folds.csv"


def _read_folds(path: Path = FOLDS_SEED) -> dict[str, dict[str, str]]:
    """{kind: {variant: standard}} from the seed; the seed is part of the project, so a missing file
    is an error, not an empty table."""
    folds: dict[str, dict[str, str]] = {"itaiji": {}, "ocr_lookalike": {}}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            folds[row["kind"]][row["variant"]] = row["standard"]
    return folds


_FOLDS = _read_folds()
_OLD_TO_NEW = str.maketrans({**OLD_TO_NEW_KANJI, **_FOLDS["itaiji"]})
_OCR = _FOLDS["ocr_lookalike"]
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
# branch and office designations: 本社, 本店, 支店, 支社, 営業所, 出張所, 事業所, 工場
_BRANCH_WORDS = "本社|本店|支店|支社|営業所|出張所|事業所"
_PLACES = (
    "北海道|青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|東京|神奈川|新潟|富山|石川|福井|山梨|長野|岐阜|静岡|"
    "愛知|三重|滋賀|京都|大阪|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|香川|愛媛|高知|福岡|佐賀|長崎|熊本|大分|"
    "宮崎|鹿児島|沖縄|札幌|仙台|横浜|川崎|名古屋|神戸|北九州|浜松|堺|金沢|関東|関西|東北|東海|北陸|中部|中国|四国|九州|"
    "近畿|首都圏|東日本|西日本"
)
_BRANCH_RE = re.compile(
    # in brackets at the end: (東京本社), （大阪支店）
    rf"[(\[（【]\s*[^()（）\[\]【】]{{0,8}}?(?:{_BRANCH_WORDS}|工場)\s*[)\]）】]\s*$"
    # after a space: " 大阪支店", " 横浜事業所", " 本社"
    rf"|\s+\S{{0,8}}?(?:{_BRANCH_WORDS})\s*$"
    # written on: 東京支店, 関西支社 (a known place before the word)
    rf"|(?:{_PLACES})(?:{_BRANCH_WORDS})\s*$"
)
_HD_RE = re.compile(r"(?<![a-z0-9])hd(?![a-z0-9])")

# Japanese legal forms, longest first so 一般社団法人 wins over 社団法人. Matched after NFKC, case
# folding and 旧字体 folding, so (株), （株） and ㈱ are all "(株)" here.
_JA_FORMS = (
    "特定非営利活動法人", "地方独立行政法人", "独立行政法人", "一般社団法人", "一般財団法人", "公益社団法人",
    "公益財団法人", "社会福祉法人", "社会医療法人", "医療法人社団", "医療法人財団", "有限責任事業組合",
    "株式会社", "有限会社", "合同会社", "合名会社", "合資会社", "相互会社", "医療法人", "学校法人", "宗教法人",
    "社団法人", "財団法人", "npo法人", "協同組合",
)
_JA_ABBREVIATIONS = ("株", "有", "同", "名", "資", "一社", "一財", "公社", "公財", "医", "学", "福", "特非", "社", "財")
_JA_PATTERN = "|".join(re.escape(form) for form in _JA_FORMS)
_ABBR_PATTERN = r"\((?:" + "|".join(re.escape(a) for a in _JA_ABBREVIATIONS) + r")\)"
# English legal forms as whole words, with or without dots/commas: "Co., Ltd.", "K.K.", "Inc" …
_EN_FORMS = (
    r"co\.?\s*,?\s*ltd\.?", r"company\s+limited", r"kabushiki\s+kaisha", r"kabushikikaisha", r"godo\s+kaisha",
    r"yugen\s+kaisha", r"k\.\s?k\.?", r"g\.\s?k\.?", r"y\.\s?k\.?", r"inc\.?", r"incorporated", r"corporation",
    r"corp\.?", r"limited", r"ltd\.?", r"l\.?l\.?c\.?", r"gmbh", r"plc\.?", r"pte\.?",
    r"co\.?",
)
_EN_PATTERN = r"(?<![a-z0-9])(?:" + "|".join(_EN_FORMS) + r")(?![a-z0-9])"
_LEGAL_FORM_RE = re.compile(f"{_ABBR_PATTERN}|{_JA_PATTERN}|{_EN_PATTERN}")
# Everything that is not a letter, digit or CJK/kana character: spaces, punctuation, middle dots
# (・ ･ ·), brackets, ampersands, hyphens.
_FOLD_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def fold_width_and_kanji(text: str) -> str:
    """NFKC, 旧字体 -> 新字体, case folded; spaces kept."""
    return unicodedata.normalize("NFKC", text).translate(_OLD_TO_NEW).casefold()


def without_branch(folded: str) -> str:
    """The name without a branch or office designation at its end, unless nothing would remain."""
    stripped = _BRANCH_RE.sub("", folded)
    return stripped if _FOLD_RE.sub("", _LEGAL_FORM_RE.sub(" ", stripped)) else folded


def fold_ocr_lookalikes(text: str) -> str:
    """A look-alike standing among katakana is read as the katakana it resembles: a katakana on one
    side and a katakana or the end of the name on the other (ア力シ -> アカシ, デ一タ -> データ,
    工ンジニア -> エンジニア); next to a kanji it stays (電力, ミラクス工業). The long-vowel mark needs a
    katakana before it."""
    if not any(ch in _OCR for ch in text):
        return text
    chars = list(text)
    for i, ch in enumerate(text):
        if ch not in _OCR:
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        kana_before, kana_after = bool(_KATAKANA.match(before)), bool(_KATAKANA.match(after))
        if ch == "一":
            among_kana = kana_before and (kana_after or not after)
        else:
            among_kana = (kana_before or kana_after) and (kana_before or not before) and (kana_after or not after)
        if among_kana:
            chars[i] = _OCR[ch]
    return "".join(chars)


# reading-preserving katakana variants: small kana written large, the long-vowel mark dropped
_KANA_SPELLING = str.maketrans({**dict(zip("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")), "ー": None})


def fold_katakana_spelling(text: str) -> str:
    """メディカルサーバー -> メデイカルサバ: the spellings of one reading become one. After the OCR folds,
    which read a 一 among katakana as the long-vowel mark it resembles."""
    return text.translate(_KANA_SPELLING)


def normalize_company_name(name: str | None) -> str | None:
    """The comparable core of a company name, or None when nothing but a legal form remains."""
    if name is None:
        return None
    folded = without_branch(fold_width_and_kanji(name))
    without_forms = _LEGAL_FORM_RE.sub(" ", folded)
    core = _FOLD_RE.sub("", _HD_RE.sub("ホールディングス", without_forms))
    return fold_katakana_spelling(fold_ocr_lookalikes(core)) or None


def has_legal_form(name: str | None) -> bool:
    return name is not None and _LEGAL_FORM_RE.search(fold_width_and_kanji(name)) is not None


def nfkc(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFKC", text)


def char_similarity(left: str | None, right: str | None) -> float | None:
    """Character-level similarity 0–1 (1 − Levenshtein distance ÷ longer length), counted in Unicode
    characters, not bytes — so one wrong kana costs one character, not three bytes."""
    if left is None or right is None:
        return None
    if left == right:
        return 1.0
    if len(left) < len(right):
        left, right = right, left
    previous = list(range(len(right) + 1))
    for i, lc in enumerate(left, start=1):
        current = [i]
        for j, rc in enumerate(right, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (lc != rc)))
        previous = current
    return 1.0 - previous[-1] / len(left)


def normalizer_version() -> str:
    """A fingerprint of everything a normalized name depends on: this module, the kanji table
    (japanese.py), the folds seed and the Unicode version NFKC follows. A stored normalized name
    (model base_identity__company_names) is reused only while this is unchanged."""
    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    for path in (Path(__file__), Path(__file__).with_name("japanese.py"), FOLDS_SEED):
        content = path.read_bytes()
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()[:16]


# --- Arrow-vectorized wrappers registered as DuckDB functions by the plugin ---------------------

def normalize_company_name_arrow(names: pa.Array) -> pa.Array:
    return pa.array([normalize_company_name(n) for n in names.to_pylist()], type=pa.string())


def nfkc_arrow(texts: pa.Array) -> pa.Array:
    return pa.array([nfkc(t) for t in texts.to_pylist()], type=pa.string())


def char_similarity_arrow(left: pa.Array, right: pa.Array) -> pa.Array:
    """Same measure as char_similarity, computed by rapidfuzz (C++) for a whole batch at once; the
    batch goes in and out as arrays (no Python object per result), null when either side is null.
    Strings leave Arrow as a list (faster than a NumPy object array); the null mask is worked out only
    for a batch that has nulls — the identity models never send one."""
    if left.null_count == 0 and right.null_count == 0:
        scores = cpdist(left.to_pylist(), right.to_pylist(), scorer=Levenshtein.normalized_similarity, workers=1,
                        dtype=np.float64)
        return pa.array(scores, type=pa.float64())
    nulls = pc.or_(pc.is_null(left), pc.is_null(right)).to_numpy(zero_copy_only=False)
    lefts = pc.fill_null(left, "").to_pylist()
    rights = pc.fill_null(right, "").to_pylist()
    scores = cpdist(lefts, rights, scorer=Levenshtein.normalized_similarity, workers=1, dtype=np.float64)
    return pa.array(scores, type=pa.float64(), mask=nulls)
