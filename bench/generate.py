"""Generate a realistic synthetic knowledge base of about N passages, as record files.

Municipalities get kanji names with kana readings (from a table of name parts), cases get roles,
appointment forms, amounts, terms and duties; round-tables get speakers and turns by topic. The
records go through the real loader, schema and indexer, so a benchmark measures the real path.

    python -m bench.generate 10000 bench/out/corpus-10000/knowledge
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from hosakan.knowledge.loader import DEFAULT_DIR

PARTS = [
    ("大", "おお", "oo"), ("小", "こ", "ko"), ("山", "やま", "yama"), ("川", "かわ", "kawa"), ("田", "た", "ta"),
    ("島", "しま", "shima"), ("原", "はら", "hara"), ("松", "まつ", "matsu"), ("本", "もと", "moto"),
    ("北", "きた", "kita"), ("南", "みなみ", "minami"), ("東", "ひがし", "higashi"), ("西", "にし", "nishi"),
    ("中", "なか", "naka"), ("高", "たか", "taka"), ("新", "しん", "shin"), ("石", "いし", "ishi"),
    ("岡", "おか", "oka"), ("野", "の", "no"), ("木", "き", "ki"), ("井", "い", "i"), ("長", "なが", "naga"),
    ("宮", "みや", "miya"), ("青", "あお", "ao"), ("白", "しろ", "shiro"), ("黒", "くろ", "kuro"),
    ("浜", "はま", "hama"), ("津", "つ", "tsu"), ("崎", "さき", "saki"), ("沢", "さわ", "sawa"),
    ("森", "もり", "mori"), ("林", "はやし", "hayashi"), ("平", "ひら", "hira"), ("竹", "たけ", "take"),
    ("桜", "さくら", "sakura"), ("福", "ふく", "fuku"), ("富", "とみ", "tomi"), ("吉", "よし", "yoshi"),
    ("豊", "とよ", "toyo"), ("若", "わか", "waka"),
]
SUFFIXES = [("市", "し", "City"), ("町", "ちょう", "Town"), ("村", "むら", "Village")]
PREFECTURES = [("青森県", "あおもりけん"), ("岩手県", "いわてけん"), ("秋田県", "あきたけん"),
               ("福島県", "ふくしまけん"), ("栃木県", "とちぎけん"), ("群馬県", "ぐんまけん"),
               ("新潟県", "にいがたけん"), ("長野県", "ながのけん"), ("岐阜県", "ぎふけん"),
               ("岡山県", "おかやまけん"), ("広島県", "ひろしまけん"), ("熊本県", "くまもとけん")]
ROLES = ["CIO補佐官", "CDO補佐官", "CIO", "CDO", "CISO補佐官", "地域DXマネージャー"]
FORMS = ["任期付職員", "特別職非常勤職員", "業務委託", "公募型プロポーザル", "委嘱"]
DUTIES = ["情報システムの標準化・共通化の推進", "行政手続きのオンライン化", "情報セキュリティ対策の助言",
          "DX推進計画の策定支援", "デジタル人材の育成に関する助言", "システム調達の適正化", "RPAやAIの活用促進",
          "データ利活用の推進", "ガバメントクラウドへの移行支援", "官民共創の推進"]
TOPICS = ["業務標準化への対応", "デジタル人材の育成", "都道府県に求める役割", "ガバメントクラウド", "情報セキュリティ",
          "窓口のデジタル化", "オープンデータ", "職員研修"]
SENTENCES = [
    "{m}では{role}を{form}で置き、{duty}に取り組んでいる。",
    "{role}は週{days}日の勤務で、残りはテレワークとしている。",
    "報酬は月額{amount}万円程度で、交通費は別途支給される。",
    "任期は{term}年で、必要に応じて更新できる。",
    "{m}は令和{era}年に{department}を設置し、全庁的なDXを進めている。",
    "庁内の意識共有のため、幹部職員向けの研修を外部講師を招いて実施した。",
    "各課に兼務職員を置き、月1回の会議で課題と進捗を共有している。",
    "{duty}について、{role}が技術的な助言を行っている。",
]
DEPARTMENTS = ["デジタル推進課", "DX推進室", "情報政策課", "デジタル変革戦略室", "スマート自治体推進課"]


@dataclass
class Place:
    name: str
    reading: str
    romaji: str
    prefecture: str


def places(count: int, rng: random.Random) -> list[Place]:
    """Up to ``count`` distinct municipality names with readings."""
    found: dict[str, Place] = {}
    while len(found) < count:
        (k1, r1, a1), (k2, r2, a2) = rng.sample(PARTS, 2)
        ks, rs, as_ = rng.choice(SUFFIXES)
        name = k1 + k2 + ks
        if name not in found:
            found[name] = Place(name, r1 + r2 + rs, f"{(a1 + a2).capitalize()} {as_}", rng.choice(PREFECTURES)[0])
    return list(found.values())


def _fill(template: str, place: Place, rng: random.Random) -> str:
    return template.format(
        m=place.name, role=rng.choice(ROLES), form=rng.choice(FORMS), duty=rng.choice(DUTIES),
        days=rng.choice([1, 2, 3]), amount=rng.choice([15, 18, 20, 27, 35, 50, 60]), term=rng.choice([1, 2, 3]),
        era=rng.randint(1, 6), department=rng.choice(DEPARTMENTS),
    )


def _paragraph(place: Place, rng: random.Random, sentences: int = 3) -> str:
    return "".join(_fill(rng.choice(SENTENCES), place, rng) for _ in range(sentences))


SOURCE = "source:\n  title: 合成データ（ベンチマーク用）\n  publisher: Hosakan bench\n"


def case_file(number: int, place: Place, rng: random.Random) -> str:
    role = rng.choice(ROLES)
    form = rng.choice(FORMS)
    amount = rng.choice([150_000, 180_000, 273_800, 500_000, 600_000])
    sections = "\n\n".join(f"## {heading}\n{_paragraph(place, rng)}" for heading in rng.sample(
        ["募集の背景", "体制", "取組の概要", "今後の展望", "工夫した点"], 3))
    duties = "".join(f"\n  - {duty}" for duty in rng.sample(DUTIES, 3))
    return f"""---
id: bench-case-{number:06d}
kind: case
title: {place.name} {role}の募集（合成）
summary: {place.name}が{role}を{form}で置いた合成事例。
municipality: {place.name}
prefecture: {place.prefecture}
reading: {place.reading}
romaji: {place.romaji}
roles: [{role}]
appointment_forms: [{form}]
position: {role}（{rng.choice(["次長級", "課長級", "主幹級"])}）
department: {rng.choice(DEPARTMENTS)}
term: 任期{rng.choice([1, 2, 3])}年
compensation:
  - role: {role}
    as_written: 月額 {amount:,}円
    amount_yen: {amount}
    period: month
work_style:
  as_written: 週{rng.choice([1, 2, 3])}日程度、ほかはテレワーク
duties:{duties}
as_of: "{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}"
reviewed: 2026-11-23
{SOURCE}---
{sections}
"""


def roundtable_file(number: int, place: Place, other: Place, rng: random.Random, turns: int) -> str:
    speakers = [("首長", f"{place.name}長"), ("CIO", f"{place.name}CIO"), ("部長", f"{other.name}総務部長")]
    body = []
    for topic in rng.sample(TOPICS, min(len(TOPICS), max(1, turns // 4))):
        body.append(f"## {topic}")
        for _ in range(4):
            key, _ = rng.choice(speakers)
            body.append(f"### {key}\n{_paragraph(place, rng, 2)}")
    participants = "".join(f"\n  - key: {key}\n    name: 合成 {key}\n    role: {role}" for key, role in speakers)
    return f"""---
id: bench-roundtable-{number:06d}
kind: roundtable
title: {place.name}×{other.name} 座談会（合成）
date: 2021-10-15
forum: 合成CIOフォーラム
municipalities: [{place.name}, {other.name}]
participants:{participants}
reviewed: 2026-11-23
{SOURCE}---
""" + "\n".join(body) + "\n"


def generate(passages: int, target: Path, seed: int = 7) -> Path:
    """Write records worth about ``passages`` passages into ``target`` (a knowledge folder)."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    for folder in ("cases", "roundtables", "references"):
        (target / folder).mkdir(parents=True)
    shutil.copy(DEFAULT_DIR / "glossary.yaml", target / "glossary.yaml")
    pool = places(max(20, min(1_800, passages // 40)), rng)
    made = number = 0
    while made < passages:
        number += 1
        place = rng.choice(pool)
        if number % 10 == 0:
            (target / "roundtables" / f"bench-roundtable-{number:06d}.md").write_text(
                roundtable_file(number, place, rng.choice(pool), rng, 16), encoding="utf-8")
            made += 16
        else:
            (target / "cases" / f"bench-case-{number:06d}.md").write_text(
                case_file(number, place, rng), encoding="utf-8")
            made += 10
    return target


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
