"""Entity resolution: every way an official types a name finds its record; unknown places don't."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from hosakan.indexer.gazetteer import Gazetteer
from hosakan.indexer.near_names import MIN_SCORE
from hosakan.indexer.normalize import fold
from hosakan.knowledge.loader import load
from tests.support.knowledge import KNOWLEDGE


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    base = load(KNOWLEDGE)
    return Gazetteer.build(base.records, base.glossary)


@pytest.mark.parametrize("question, expected", [
    ("ならけんのCIO", "municipality:奈良県"),
    ("みえけん", "municipality:三重県"),
    ("サカタシ", "municipality:酒田市"),
    ("ｺﾏﾂｼﾏ市の予定価格", "municipality:小松島市"),
    ("ｲﾝｻﾞｲ市", "municipality:印西市"),
    ("伊豆之国市", "municipality:伊豆の国市"),
    ("大州市", "municipality:大洲市"),
    ("大洲のCDO", "municipality:大洲市"),
    ("Nara prefecture", "municipality:奈良県"),
    ("Sakata DX office", "municipality:酒田市"),
    ("Mie prefecture CDO selection", "municipality:三重県"),
    ("Izunokuni city", "municipality:伊豆の国市"),
    ("まいばらし", "municipality:米原市"),
    ("CIO保佐官", "role:CIO補佐官"),
    ("CDO補差官", "role:CDO補佐官"),
    ("ＣＤＯ", "role:CDO"),
    ("情報化統括責任者補佐官", "role:CIO補佐官"),
    ("CIO assistant", "role:CIO補佐官"),
    ("業務委託", "form:業務委託"),
    ("南沢部長", "person:南澤"),
    ("宮坂さん", "person:宮坂"),
    ("千葉県のCIO補佐官", "region:千葉県"),
])
def test_variant_spellings_resolve(gazetteer, question, expected):
    resolution = gazetteer.resolve(question)
    assert expected in {m.entity.key for m in resolution.mentions}
    assert resolution.unknown_places == []


@pytest.mark.parametrize("question, expected", [
    ("みなみいず町のCIOは誰？", "municipality:南伊豆町"),  # 町 typed as the kanji is read マチ, the town チョウ
    ("たけとみ町のフェローは？", "municipality:竹富町"),
    ("ミナミイズチョウの補佐官", "municipality:南伊豆町"),
])
def test_a_town_typed_in_kana_is_found_by_the_reading_japan_post_gives_it(question, expected):
    """A place only a source document names has no curated reading: Japan Post's is used, with its
    町 read either way (the analyser reads 南伊豆町 ミナミズチョ, and 町 alone マチ)."""
    base = load(KNOWLEDGE)
    gazetteer = Gazetteer.build(base.records, base.glossary)
    for town in ("南伊豆町", "竹富町", "綾町"):
        gazetteer.add_place("municipality", town, None, None, (f"source-{town}",))
    resolution = gazetteer.resolve(question)
    assert expected in {m.entity.key for m in resolution.mentions}
    assert resolution.unknown_places == []
    assert not gazetteer.resolve("同じ過ちを防ぐには？").mentions  # 綾町's stem is short: アヤマチ is 過ち


def test_the_longest_reading_wins_over_a_shorter_name_inside_it(gazetteer):
    keys = {m.entity.key for m in gazetteer.resolve("CIO補佐官").mentions}
    assert keys == {"role:CIO補佐官"}
    keys = {m.entity.key for m in gazetteer.resolve("奈良県のCIO").mentions}
    assert "municipality:奈良市" not in keys


@pytest.mark.parametrize("question, place", [
    ("横浜市のCIO補佐官", "横浜市"),
    ("大津市のCIO", "大津市"),  # one kanji from 大洲市, but a real other city
    ("北海道のDX", "北海道"),
    ("ヨコハマ市", "ヨコハマ市"),
])
def test_places_we_do_not_know_are_reported(gazetteer, question, place):
    resolution = gazetteer.resolve(question)
    assert resolution.unknown_places == [place]
    assert not resolution.of_kind("municipality")


def test_a_surname_that_is_also_a_place_is_a_person_before_a_title(gazetteer):
    """高浜 and 横山 are places too; before 課長 or さん they are the people a record quotes, not a
    municipality the knowledge base lacks. A place's own head (横浜市長) is still the place."""
    for question in ("横山課長が挙げた攻めのDXの例は？", "高浜課長が求める経験は？", "高浜さんは何と言った？"):
        assert gazetteer.resolve(question).unknown_places == [], question
    assert gazetteer.resolve("横浜市長は？").unknown_places == ["横浜市"]
    assert gazetteer.resolve("高浜の課長は？").unknown_places == ["高浜"]


def test_a_person_of_the_knowledge_base_named_like_a_place_is_that_person(gazetteer):
    """瀬谷 is a ward of Yokohama too; 清瀬の瀬谷副市長 is the round-table's 瀬谷 真, while 瀬谷区 is
    still a place the knowledge base lacks."""
    resolution = gazetteer.resolve("清瀬の瀬谷副市長は都に何を求めた？")
    assert resolution.unknown_places == []
    assert [e.name for e in resolution.of_kind("person")] == ["瀬谷 真"]
    assert gazetteer.resolve("瀬谷区のCIOは？").unknown_places == ["瀬谷区"]


def test_generic_words_with_city_suffixes_are_not_places(gazetteer):
    for question in ("一般市Eの報酬", "政令市・特別区Aの業務", "区市町村の温度差", "都道府県のアンケート"):
        assert gazetteer.resolve(question).unknown_places == []


def test_the_approximate_match_scores_every_alias_that_could_reach_its_cutoff(generated):
    """Aliases are scored only when they can reach the cutoff: none that would have matched is lost
    (over the generated corpus's thousands of municipalities, people and roles)."""
    near = generated.index.gazetteer._near
    names = [name for name, latin in zip(near._names, near._latin) if not latin]
    words = [name for name, latin in zip(near._names, near._latin) if latin]
    for word in words[::len(words) // 50]:
        text = fold(f"{word[:-1]}x city cio")  # the last letter mistyped
        scored = process.extract(text, [w for w in words if len(w) <= len(text)], scorer=fuzz.partial_ratio,
                                 score_cutoff=MIN_SCORE, limit=None)
        assert {name for name, _, _ in scored} <= set(near.candidates(text))
    tried = 0
    for alias in names[::len(names) // 100]:
        typed = alias[:-2] + ("亜" if alias[-2] != "亜" else "阿") + alias[-1]  # one character wrong
        text = fold(f"{typed}のCIO補佐官の任期は？")
        scored = process.extract(text, [n for n in names if len(n) <= len(text)], scorer=fuzz.partial_ratio,
                                 score_cutoff=MIN_SCORE, limit=None)
        sharing = {name for name, _, _ in scored if set(name) & (set(text) - near._common)}
        candidates = near.candidates(text)
        assert sharing <= set(candidates) and alias in candidates
        assert len(candidates) < len(sharing) + 1000
        tried += 1
    assert tried >= 100
