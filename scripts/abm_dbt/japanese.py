"""Japanese company-data helpers shared by the generator and the tests.

法人番号 check digit, legal forms, width conversion and the vocabulary the demo data is made of.
"""

from __future__ import annotations

import random
import unicodedata


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号: 9 - (sum(Pn * Qn) mod 9), Pn the n-th digit from the right,
    Qn = 1 for odd n and 2 for even n (国税庁's rule)."""
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError(f"expected 12 digits, got {base12!r}")
    total = sum(int(d) * (1 if n % 2 == 1 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - (total % 9)


def make_corporate_number(base12: str) -> str:
    """The 13-digit 法人番号: the check digit in front of the 12-digit base."""
    return f"{corporate_number_check_digit(base12)}{base12}"


def is_valid_corporate_number(value: str) -> bool:
    digits = unicodedata.normalize("NFKC", value).replace("-", "").replace(" ", "")
    return len(digits) == 13 and digits.isdigit() and int(digits[0]) == corporate_number_check_digit(digits[1:])


_HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-() ."
_FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－（）　．"
TO_FULL_WIDTH = str.maketrans(_HALF, _FULL)

# Full-width katakana -> half-width (ｶﾀｶﾅ) as old systems and business-card OCR write it.
_KATA_FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー"
_KATA_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ"
_DAKUTEN = {"ガ": "ｶﾞ", "ギ": "ｷﾞ", "グ": "ｸﾞ", "ゲ": "ｹﾞ", "ゴ": "ｺﾞ", "ザ": "ｻﾞ", "ジ": "ｼﾞ", "ズ": "ｽﾞ",
            "ゼ": "ｾﾞ", "ゾ": "ｿﾞ", "ダ": "ﾀﾞ", "デ": "ﾃﾞ", "ド": "ﾄﾞ", "バ": "ﾊﾞ", "ビ": "ﾋﾞ", "ブ": "ﾌﾞ",
            "ベ": "ﾍﾞ", "ボ": "ﾎﾞ", "パ": "ﾊﾟ", "ピ": "ﾋﾟ", "プ": "ﾌﾟ", "ペ": "ﾍﾟ", "ポ": "ﾎﾟ", "ヴ": "ｳﾞ"}
_KATA_TABLE = {ord(f): h for f, h in zip(_KATA_FULL, _KATA_HALF)} | {ord(k): v for k, v in _DAKUTEN.items()}


def to_half_width_katakana(text: str) -> str:
    return text.translate(_KATA_TABLE)


# Legal forms: (official, abbreviations seen in exports, English equivalents)
LEGAL_FORMS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("株式会社", ("(株)", "㈱", "（株）", "株式會社"), ("Co., Ltd.", "Inc.", "K.K.", "Corporation", "Corp.")),
    ("有限会社", ("(有)", "㈲", "（有）"), ("Ltd.", "Co., Ltd.")),
    ("合同会社", ("(同)", "（同）"), ("LLC", "G.K.")),
    ("合資会社", ("(資)",), ("Limited Partnership",)),
    ("合名会社", ("(名)",), ("General Partnership",)),
    ("一般社団法人", ("(一社)",), ("General Incorporated Association",)),
    ("一般財団法人", ("(一財)",), ("General Incorporated Foundation",)),
    ("公益社団法人", ("(公社)",), ("Public Interest Incorporated Association",)),
    ("特定非営利活動法人", ("NPO法人",), ("NPO",)),
    ("医療法人", ("(医)",), ("Medical Corporation",)),
    ("学校法人", ("(学)",), ("Educational Foundation",)),
    ("社会福祉法人", ("(福)",), ("Social Welfare Corporation",)),
)
LEGAL_FORM_WEIGHTS = (80, 6, 6, 0.5, 0.3, 2, 0.5, 0.5, 1, 1.5, 1, 0.7)

# (kanji, romaji) prefixes, katakana morae with romaji, and business cores.
KANJI_PREFIXES: tuple[tuple[str, str], ...] = (
    ("東和", "towa"), ("大和", "daiwa"), ("日本", "nihon"), ("新日本", "shinnihon"), ("北斗", "hokuto"),
    ("三栄", "san-ei"), ("富士", "fuji"), ("中央", "chuo"), ("関東", "kanto"), ("昭和", "showa"),
    ("明治", "meiji"), ("旭", "asahi"), ("青葉", "aoba"), ("桜", "sakura"), ("朝日", "asahi"),
    ("太陽", "taiyo"), ("東洋", "toyo"), ("西日本", "nishinihon"), ("九州", "kyushu"), ("北海", "hokkai"),
    ("瑞穂", "mizuho"), ("大洋", "taiyo"), ("松風", "matsukaze"), ("光陽", "koyo"), ("国際", "kokusai"),
    ("浜松", "hamamatsu"), ("横浜", "yokohama"), ("名古屋", "nagoya"), ("京都", "kyoto"), ("神戸", "kobe"),
    ("萬世", "bansei"), ("澤田", "sawada"), ("髙橋", "takahashi"), ("廣瀬", "hirose"), ("濱田", "hamada"),
)
# Second words that make kanji names as varied as real ones (東和興産システム is not 東和システム).
KANJI_MIDDLES: tuple[tuple[str, str], ...] = (
    ("", ""), ("興産", "kosan"), ("技研", "giken"), ("通商", "tsusho"), ("総業", "sogyo"), ("産業", "sangyo"),
    ("電子", "denshi"), ("工機", "koki"), ("化成", "kasei"), ("開発", "kaihatsu"), ("計器", "keiki"),
    ("商会", "shokai"), ("物流", "butsuryu"), ("精工", "seiko"), ("製薬", "seiyaku"), ("建材", "kenzai"),
    ("倉庫", "soko"), ("印刷", "insatsu"), ("交易", "koeki"), ("設備", "setsubi"), ("綜合", "sogo"),
    ("光学", "kogaku"), ("機工", "kiko"), ("鋼業", "kogyo"), ("電装", "denso"), ("測量", "sokuryo"),
    ("紙業", "shigyo"), ("繊維", "seni"), ("木材", "mokuzai"), ("石油", "sekiyu"), ("ガス", "gas"),
    ("メディア", "media"), ("テック", "tec"), ("ワークス", "works"), ("ラボ", "labo"), ("アーツ", "arts"),
)
MORAE: tuple[tuple[str, str], ...] = (
    ("ア", "a"), ("イ", "i"), ("エ", "e"), ("オ", "o"), ("カ", "ka"), ("キ", "ki"), ("ク", "ku"), ("コ", "ko"),
    ("サ", "sa"), ("シ", "shi"), ("ス", "su"), ("セ", "se"), ("タ", "ta"), ("テ", "te"), ("ト", "to"),
    ("ナ", "na"), ("ニ", "ni"), ("ノ", "no"), ("ハ", "ha"), ("フ", "fu"), ("マ", "ma"), ("ミ", "mi"),
    ("メ", "me"), ("モ", "mo"), ("ラ", "ra"), ("リ", "ri"), ("ル", "ru"), ("レ", "re"), ("ロ", "ro"),
    ("ガ", "ga"), ("ジ", "ji"), ("ダ", "da"), ("デ", "de"), ("バ", "ba"), ("ビ", "bi"), ("ベ", "be"),
    ("パ", "pa"), ("ピ", "pi"), ("ヴ", "vu"), ("ン", "n"), ("ゼ", "ze"), ("ネ", "ne"), ("ユ", "yu"),
)
CORES: tuple[tuple[str, str, str], ...] = (
    ("システム", "system", "System"), ("ソフト", "soft", "Soft"), ("テクノロジー", "tech", "Technology"),
    ("電機", "denki", "Electric"), ("製作所", "ss", "Manufacturing"), ("工業", "kogyo", "Industries"),
    ("商事", "shoji", "Trading"), ("物産", "bussan", "Bussan"), ("精機", "seiki", "Precision"),
    ("化学", "chem", "Chemical"), ("情報サービス", "is", "Information Services"), ("データ", "data", "Data"),
    ("ネットワークス", "net", "Networks"), ("ソリューションズ", "sol", "Solutions"), ("建設", "kensetsu", "Construction"),
    ("運輸", "unyu", "Transport"), ("食品", "foods", "Foods"), ("薬品", "pharma", "Pharmaceutical"),
    ("メディカル", "medical", "Medical"), ("エンジニアリング", "eng", "Engineering"), ("ホールディングス", "hd", "Holdings"),
    ("コンサルティング", "consulting", "Consulting"), ("ロジスティクス", "logi", "Logistics"), ("不動産", "realty", "Realty"),
    ("銀行", "bank", "Bank"), ("証券", "sec", "Securities"), ("保険サービス", "ins", "Insurance Services"),
    ("マテリアル", "material", "Materials"), ("デジタル", "digital", "Digital"), ("クリエイト", "create", "Create"),
)
SUBSIDIARY_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    ("ソリューションズ", "sol", "Solutions"), ("テクノサービス", "ts", "Techno Service"),
    ("ビジネスサポート", "bs", "Business Support"), ("ロジスティクス", "logi", "Logistics"),
    ("販売", "sales", "Sales"), ("システムズ", "sys", "Systems"),
)

# 旧字体 used in company names and their 新字体 (variants that exports and OCR mix up).
OLD_TO_NEW_KANJI: dict[str, str] = {
    "會": "会", "萬": "万", "澤": "沢", "髙": "高", "廣": "広", "濱": "浜", "國": "国", "學": "学",
    "實": "実", "藝": "芸", "櫻": "桜", "與": "与", "齋": "斎", "邊": "辺", "邉": "辺", "﨑": "崎",
    "榮": "栄", "壽": "寿", "豐": "豊", "德": "徳", "鐵": "鉄", "氣": "気", "寳": "宝", "圓": "円",
    "舘": "館", "嶋": "島", "縣": "県", "惠": "恵", "淺": "浅", "黑": "黒", "關": "関",
}
NEW_TO_OLD_KANJI: dict[str, str] = {new: old for old, new in OLD_TO_NEW_KANJI.items()}

INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    # (JSIC code, Japanese label, English label)
    ("E", "製造業", "Manufacturing"), ("G", "情報通信業", "Information and Communications"),
    ("I", "卸売業・小売業", "Wholesale and Retail"), ("J", "金融業・保険業", "Finance and Insurance"),
    ("D", "建設業", "Construction"), ("H", "運輸業・郵便業", "Transport and Postal"),
    ("P", "医療・福祉", "Medical and Welfare"), ("O", "教育・学習支援業", "Education"),
    ("K", "不動産業・物品賃貸業", "Real Estate"), ("L", "学術研究・専門・技術サービス業", "Professional Services"),
    ("R", "サービス業（他に分類されないもの）", "Other Services"), ("F", "電気・ガス・熱供給・水道業", "Utilities"),
)
INDUSTRY_WEIGHTS = (22, 18, 14, 6, 8, 6, 5, 3, 4, 7, 5, 2)

PREFECTURES: tuple[tuple[str, float], ...] = (
    ("東京都", 38), ("大阪府", 12), ("愛知県", 8), ("神奈川県", 7), ("福岡県", 4), ("埼玉県", 3.5),
    ("北海道", 3), ("兵庫県", 3), ("千葉県", 3), ("京都府", 2.5), ("静岡県", 2.5), ("広島県", 2),
    ("宮城県", 2), ("茨城県", 1.5), ("新潟県", 1.5), ("長野県", 1.2), ("岡山県", 1.2), ("熊本県", 1),
    ("沖縄県", 0.8), ("石川県", 0.8),
)

# wards, towns and districts for office addresses (the prefecture is what identity matching reads)
ADDRESS_PLACES: tuple[str, ...] = (
    "中央区", "北区", "港区", "中区", "西区", "東区", "南区", "千代田区", "本町", "駅前", "栄町", "緑区",
)

SURNAMES: tuple[tuple[str, str], ...] = (
    ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"), ("伊藤", "Ito"),
    ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"), ("小林", "Kobayashi"), ("加藤", "Kato"),
    ("吉田", "Yoshida"), ("山田", "Yamada"), ("佐々木", "Sasaki"), ("山口", "Yamaguchi"), ("松本", "Matsumoto"),
    ("井上", "Inoue"), ("木村", "Kimura"), ("林", "Hayashi"), ("斎藤", "Saito"), ("清水", "Shimizu"),
)
GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("翔太", "Shota"), ("美咲", "Misaki"), ("大輔", "Daisuke"), ("陽子", "Yoko"), ("健一", "Kenichi"),
    ("由美", "Yumi"), ("拓也", "Takuya"), ("愛", "Ai"), ("直樹", "Naoki"), ("さくら", "Sakura"),
    ("誠", "Makoto"), ("恵", "Megumi"), ("亮", "Ryo"), ("真由美", "Mayumi"), ("浩", "Hiroshi"),
)
# (Japanese department, English department)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("情報システム部", "IT Department"), ("経営企画部", "Corporate Planning"), ("営業部", "Sales"),
    ("マーケティング部", "Marketing"), ("人事部", "Human Resources"), ("総務部", "General Affairs"),
    ("経理部", "Accounting"), ("DX推進室", "Digital Transformation Office"), ("購買部", "Procurement"),
    ("法務部", "Legal"), ("開発本部", "R&D"), ("カスタマーサクセス部", "Customer Success"),
)
# (Japanese title, English title, weight)
TITLES: tuple[tuple[str, str, float], ...] = (
    ("代表取締役社長", "CEO", 1), ("取締役", "Director (Board)", 2), ("執行役員", "Executive Officer", 2),
    ("CIO", "CIO", 1), ("本部長", "General Manager", 4), ("部長", "Head of Department", 10),
    ("次長", "Deputy Manager", 4), ("課長", "Manager", 14), ("係長", "Assistant Manager", 10),
    ("主任", "Supervisor", 12), ("担当", "Staff", 25), ("エンジニア", "Engineer", 10), ("", "", 5),
)
FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "yahoo.co.jp", "outlook.jp", "outlook.com", "hotmail.co.jp", "icloud.com",
    "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "nifty.com", "biglobe.ne.jp",
)
# prefecture-type domains (aoba-seimitsu.tokyo.jp) are rare but real: tokyo.jp is a public suffix, so
# two companies under it are two domains
DOMAIN_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("co.jp", 70), ("jp", 10), ("com", 12), ("ne.jp", 2), ("or.jp", 3), ("net", 3), ("tokyo.jp", 1), ("osaka.jp", 0.5),
)

PRODUCT_LINES: tuple[str, ...] = ("ABM Platform", "MA Connector", "Intent Data", "Data Cleansing", "Consulting")
INTENT_TOPICS: tuple[str, ...] = (
    "ABM", "マーケティングオートメーション", "CRM", "SFA", "データ統合", "名寄せ", "インテントデータ",
    "営業DX", "セキュリティ", "クラウド移行", "CDP", "BIツール",
)


def weighted_choice(rng: random.Random, items: tuple, weights: tuple) -> object:
    return rng.choices(items, weights=weights, k=1)[0]
