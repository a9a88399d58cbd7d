"""例規 (設置要綱) read by their structure: each article its own passage under 「第5条（任期）」 with its
項 and 号, 附則 a section, the date the 例規 took effect as the document's date, and no caption or
title quoted on its own. The 要綱 here are made up for the tests (fictional towns), as text, HTML
and Word, indexed beside the real records through the real build and asked through `hosakan ask`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hosakan.bot.answering.decision import of_places
from hosakan.indexer.build import build
from hosakan.indexer.documents import read
from hosakan.indexer.gazetteer import Gazetteer
from hosakan.indexer.rules import read_rules
from hosakan.indexer.sources import PASSAGE_CHARS, info_of, passages_of_source
from hosakan.indexer.store import load_sources
from tests.support.knowledge import copy_knowledge

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
TITLE = "架空町最高情報統括責任者補佐官設置要綱"

# a 要綱 as a town's 例規集 prints it: title, the date line, a chapter, captions on the line before,
# 項 (２) and 号 (（１）), an article whose caption follows its number, the first 附則 and an amendment's
KAKU = f"""{TITLE}
令和4年3月25日告示第12号
第1章 総則
（目的）
第1条 この要綱は、架空町最高情報統括責任者補佐官（以下「補佐官」という。）の設置に関し必要な事項を定める。
（設置）
第２条 町に、補佐官1人を置く。
２ 補佐官は、町長が任命する。
第2章 職務等
（職務）
第3条 補佐官は、最高情報統括責任者を補佐し、次に掲げる職務を行う。
（１）情報化施策の企画及び立案に関する助言
（２）情報システムの調達及び運用の最適化に関する助言
（３）職員の情報リテラシーの向上に関すること。
第4条（身分） 補佐官は、地方公務員法第3条第3項第3号に規定する特別職の非常勤職員とする。
（任期）
第5条 補佐官の任期は、委嘱の日から起算して2年とする。ただし、再任を妨げない。
２ 補佐官が欠けた場合における補欠の補佐官の任期は、前任者の残任期間とする。
（報酬）
第6条 補佐官の報酬は、日額35,000円とし、勤務した日数に応じて支給する。
（補則）
第7条 この要綱に定めるもののほか、補佐官に関し必要な事項は、町長が別に定める。
附 則
この要綱は、令和4年4月1日から施行する。
附 則（令和6年3月29日告示第20号）
この要綱は、令和6年4月1日から施行する。
"""

# the same shape as a web page: the caption in its own block, the date line under the title, a
# 附則 that takes effect on the day it is made known, and one article too long for one passage
LONG_ITEMS = "".join(f"<p>（{n}）地域の情報化に関する第{n}分野の計画について、関係する部局と連携し、"
                     "その進捗を確認して町長に対し必要な助言を行うこと。</p>" for n in "１２３４")
KUSO = f"""<html><head><meta charset="utf-8"><title>空想村デジタル推進監設置規程｜空想村例規集</title></head>
<body><nav>トップ ＞ 例規集</nav><h1>空想村デジタル推進監設置規程</h1>
<p>令和3年3月25日訓令第3号</p>
<p>（趣旨）</p><p>第1条 この規程は、空想村デジタル推進監（以下「推進監」という。）の設置に関し必要な事項を定める。</p>
<p>（職務）</p><p>第2条 推進監は、村長の命を受け、次に掲げる事務をつかさどる。</p>{LONG_ITEMS}
<p>２ 推進監は、前項の事務を行うため、必要に応じて各課の職員に資料の提出を求めることができる。</p>
<p>３ 推進監は、その職務の遂行状況を毎年度村長に報告しなければならない。</p>
<p>（任期）</p><p>第3条 推進監の任期は、1年とし、再任されることができる。</p>
<p>附　則</p><p>この規程は、公布の日から施行する。</p>
<footer>空想村役場 総務課</footer></body></html>"""

# the notice next to the 要綱: cites an article but is none, and is read as before
NOTICE = """夢見町 DX推進アドバイザーの募集
掲載日：令和7年5月1日
夢見町では、夢見町DX推進アドバイザー設置要綱第3条の規定により、アドバイザーを募集します。
募集人数
1名
報酬
月額20万円
"""
# a committee's 要綱: who chairs it is said by 「…をもって充てる」, beside other sentences about the chair
MABOROSHI = """幻村DX推進委員会設置要綱
令和5年4月1日告示第8号
（設置）
第1条 村のデジタル化を進めるため、幻村DX推進委員会（以下「委員会」という。）を置く。
（組織）
第2条 委員会は、委員長及び委員をもって組織する。
２ 委員長は、副村長をもって充てる。
３ 委員は、各課の長をもって充てる。
４ 委員長に事故があるときは、総務課長がその職務を代理する。
（会議）
第3条 委員会の会議は、委員長が招集し、委員長がその議長となる。
附 則
この要綱は、令和5年4月1日から施行する。
"""
# a 規程 whose posts are named with 「（以下「CDO」という。）」 inside the sentence, one filled with
# 「あてる」 in kana, and a list of 所掌事務 after 「次のとおりとする」
SHINKIRO = """蜃気楼町デジタル推進本部規程
令和4年6月1日訓令第9号
（最高デジタル責任者）
第1条 最高デジタル責任者（以下「CDO」という。）は、副町長をもってあてる。
（最高デジタル責任者補佐官）
第2条 最高デジタル責任者補佐官（以下「CDO補佐官」という。）は、デジタル推進課長をもって充てる。
２ CDO補佐官は、CDOを補佐する。
（所掌事務）
第3条 本部の所掌事務は、次のとおりとする。
（１）デジタル化の方針の策定に関すること。
（２）業務の見直しに関すること。
（３）職員の研修に関すること。
（組織）
第4条 本部は、本部長、副本部長及び本部員をもって組織する。
２ 本部長は町長を、副本部長は総務課長をもって充てる。
３ 本部員は、各課の長のうちから本部長が指名する。
（会議）
第5条 本部の会議は、本部長が必要に応じて招集し、その議長となる。
（設置）
第6条 蜃気楼町に、蜃気楼町デジタル推進本部を置く。
附 則
この規程は、令和4年6月1日から施行する。
令和5年3月1日 訓令第2号
"""
# made up for the tests: a 要綱 of a place whose curated case says nothing of when any 要綱 was made
INZAI = """テスト用情報化推進会議設置要綱
令和2年4月1日告示第77号
（設置）
第1条 市の情報化を推進するため、テスト用情報化推進会議を置く。
（組織）
第2条 推進会議は、副市長及び各部長をもって組織する。
附 則
この要綱は、令和2年4月1日から施行する。
"""
# a 規程 in 章 with a 目次 before its first article; the 目次 ends with 附則 as 例規集 print it
OBORO = """朧町情報システム管理規程
平成20年4月1日訓令第5号
目次
第1章 総則(第1条・第2条)
第2章 管理体制(第3条―第5条)
第3章 システム監査(第6条)
附則
第1章 総則
(目的)
第1条 この規程は、町の情報システムの管理に関し必要な事項を定める。
(定義)
第2条 この規程において「情報システム」とは、町が管理する電子計算機をいう。
第2章 管理体制
(統括管理者)
第3条 統括管理者は、副町長をもって充てる。
(管理者)
第4条 管理者は、各課の長をもって充てる。
(委員会)
第5条 町に、情報システム委員会を置く。
第3章 システム監査
(監査)
第6条 統括管理者は、毎年度、システム監査を行う。
附 則
この規程は、平成20年4月1日から施行する。
"""
CAPTION_ALONE = re.compile(r"^\s*[（(][^（）()]{1,24}[）)]\s*$")


def _word_rules(path: Path) -> None:
    """A 要綱 as a Word file: the title in the Title style, captions after the article numbers."""
    import docx

    word = docx.Document()
    word.add_heading("夢見町DX推進アドバイザー設置要綱", 0)
    word.add_paragraph("令和5年9月1日告示第40号")
    for line in ("（目的）", "第1条 この要綱は、夢見町DX推進アドバイザーの設置について定める。",
                 "第2条（委嘱） アドバイザーは、デジタル技術に関し識見を有する者のうちから、町長が委嘱する。",
                 "第3条（任期） アドバイザーの任期は、委嘱の日の属する年度の末日までとする。",
                 "２ アドバイザーは、再任されることができる。", "附 則",
                 "この要綱は、令和5年10月1日から施行する。"):
        word.add_paragraph(line)
    word.save(str(path))


@pytest.fixture(scope="module")
def rules_home(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules")
    knowledge = copy_knowledge(root / "knowledge")
    folder = knowledge / "sources" / "reiki"
    folder.mkdir(parents=True)
    (folder / "kaku.txt").write_text(KAKU, encoding="utf-8")
    (folder / "kaku.txt.yaml").write_text("municipality: 架空町\nurl: https://www.town.kaku.example/reiki/cio.html\n",
                                          encoding="utf-8")  # no published: the 要綱 dates itself
    (folder / "kuso.html").write_text(KUSO, encoding="utf-8")
    (folder / "kuso.html.yaml").write_text("municipality: 空想村\n", encoding="utf-8")
    _word_rules(folder / "yumemi.docx")
    (folder / "yumemi.docx.yaml").write_text("municipality: 夢見町\n", encoding="utf-8")
    (folder / "yumemi-notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "maboroshi.txt").write_text(MABOROSHI, encoding="utf-8")
    (folder / "maboroshi.txt.yaml").write_text("municipality: 幻村\n", encoding="utf-8")
    (folder / "oboro.txt").write_text(OBORO, encoding="utf-8")
    (folder / "oboro.txt.yaml").write_text("municipality: 朧町\n", encoding="utf-8")
    (folder / "shinkiro.txt").write_text(SHINKIRO, encoding="utf-8")
    (folder / "shinkiro.txt.yaml").write_text("municipality: 蜃気楼町\n", encoding="utf-8")
    (folder / "yumemi-notice.txt.yaml").write_text("municipality: 夢見町\n", encoding="utf-8")
    # a made-up 要綱 for a place that also has a curated case (印西市), to ask it by name
    (folder / "inzai.txt").write_text(INZAI, encoding="utf-8")
    (folder / "inzai.txt.yaml").write_text("municipality: 印西市\n", encoding="utf-8")
    summary = build(knowledge, root / "index", semantic=False)
    return root, knowledge, summary


def _ask(rules_home, *questions: str, conversation: str | None = None) -> list[dict]:
    """The answers of `hosakan ask`, each question on its own (one conversation: ``conversation``)."""
    root, knowledge, _ = rules_home
    env = {**os.environ, "HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(root / "index"),
           "HOSAKAN_SEMANTIC": "false", "HOSAKAN_HOME": str(root / "home")}
    talk = ["--conversation", conversation] if conversation else []
    result = subprocess.run([HOSAKAN, "ask", "--json", *talk, "-"], input="\n".join(questions) + "\n",
                            capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _passages(path: Path):
    document = read(path)
    return document, passages_of_source(info_of(document, path.name), document, Gazetteer())


def test_the_term_is_answered_from_its_article_cited_by_its_number_and_caption(rules_home):
    asked = _ask(rules_home, "架空町の補佐官の任期は？", "空想村のデジタル推進監の任期は？",
                 "夢見町のDX推進アドバイザーの任期は？")
    expected = ((f"{TITLE} 第5条（任期）", "第5条（任期）", "補佐官の任期は、委嘱の日から起算して2年とする。"),
                ("空想村デジタル推進監設置規程 第3条（任期）", "第3条（任期）", "推進監の任期は、1年とし"),
                ("夢見町DX推進アドバイザー設置要綱 第3条（任期）", "第3条（任期）",
                 "アドバイザーの任期は、委嘱の日の属する年度の末日までとする。"))
    for answer, (citation, section, sentence) in zip(asked, expected):
        hit = next((h for h in answer["hits"] if h["kind"] == "source" and citation in h["citation"]), None)
        assert hit is not None, (answer["question"], [h["citation"] for h in answer["hits"]])
        assert hit["section"] == section and section in hit["source"]
        assert sentence in hit["text"]
    # the article's second 項 stays in the article's passage
    hit = next(h for h in asked[0]["hits"] if f"{TITLE} 第5条（任期）" in h["citation"])
    assert "前任者の残任期間" in hit["text"] or len(hit["text"]) < len(KAKU)


def test_a_rules_document_is_dated_by_when_it_took_effect(rules_home):
    _, _, summary = rules_home
    sources = {Path(s.path).name: s for s in load_sources(summary.generation)}
    assert sources["kaku.txt"].published == "2024-04-01"  # the amendment's 附則 wins over the first one
    assert sources["kaku.txt"].as_of_label() == "2024年4月1日施行"
    assert sources["kuso.html"].published == "2021-03-25"  # 公布の日から施行: the date line under the title
    assert sources["yumemi.docx"].published == "2023-10-01"
    assert sources["yumemi-notice.txt"].published == "2025-05-01"  # a notice keeps its 掲載日
    assert sources["yumemi-notice.txt"].as_of_label() == "2025年5月1日の資料"
    answer = _ask(rules_home, "架空町の補佐官の報酬は？")[0]
    hit = next(h for h in answer["hits"] if h["kind"] == "source")
    assert hit["section"] == "第6条（報酬）" and "2024年4月1日施行" in hit["citation"]
    assert hit["as_of"] == "2024年4月1日施行"


def test_the_sidecars_date_still_wins(rules_home, tmp_path):
    _, knowledge, _ = rules_home
    (tmp_path / "kaku.txt").write_text(KAKU, encoding="utf-8")
    (tmp_path / "kaku.txt.yaml").write_text("published: 2025-02-01\n", encoding="utf-8")
    document = read(tmp_path / "kaku.txt")
    assert document.published == "2025-02-01"
    assert info_of(document, "kaku.txt").as_of_label() == "2025年2月1日の資料"


def test_articles_are_sections_with_their_paragraphs_and_items(rules_home):
    _, knowledge, _ = rules_home
    folder = knowledge / "sources" / "reiki"
    document, passages = _passages(folder / "kaku.txt")
    by_section = {p.section: p.text for p in passages}
    assert list(by_section) == ["第1条（目的）", "第2条（設置）", "第3条（職務）", "第4条（身分）", "第5条（任期）",
                                "第6条（報酬）", "第7条（補則）", "附則", "附則（令和6年3月29日告示第20号）"]
    assert by_section["第5条（任期）"] == ("補佐官の任期は、委嘱の日から起算して2年とする。ただし、再任を妨げない。\n"
                                       "２ 補佐官が欠けた場合における補欠の補佐官の任期は、前任者の残任期間とする。")
    assert by_section["第3条（職務）"].splitlines()[1:] == ["（１）情報化施策の企画及び立案に関する助言",
                                                      "（２）情報システムの調達及び運用の最適化に関する助言",
                                                      "（３）職員の情報リテラシーの向上に関すること。"]
    assert by_section["第2条（設置）"] == "町に、補佐官1人を置く。\n２ 補佐官は、町長が任命する。"  # 第２条: 第2条
    assert "施行する" in by_section["附則"]
    # the chapters, the title and the date line are no text of any passage
    every = "\n".join(p.text for p in passages)
    assert "総則" not in every and "職務等" not in every and "告示第12号" not in every and TITLE not in every
    passage = next(p for p in passages if p.section == "第5条（任期）")
    assert passage.citation.startswith(f"{TITLE} 第5条（任期） — 出典：")
    assert passage.source == f"「{TITLE}」第5条（任期）（原資料）"
    # the Word file: the caption after the number
    _, word = _passages(folder / "yumemi.docx")
    assert [p.section for p in word] == ["第1条（目的）", "第2条（委嘱）", "第3条（任期）", "附則"]


def test_a_long_article_is_cut_at_its_paragraphs_each_part_keeping_its_article(rules_home):
    _, knowledge, _ = rules_home
    _, passages = _passages(knowledge / "sources" / "reiki" / "kuso.html")
    second = [p for p in passages if p.section == "第2条（職務）"]
    assert len(second) >= 2 and all(len(p.text) <= PASSAGE_CHARS for p in second)
    texts = [p.text for p in second]
    # each 項 whole in one part: the 号 stay with their 項, 「２ …」 and 「３ …」 start a part or follow one
    assert texts[0].startswith("推進監は、村長の命を受け、次に掲げる事務をつかさどる。")
    assert any(t.startswith("２ 推進監は") or "\n２ 推進監は" in t for t in texts)
    whole = "\n".join(texts)
    assert all(f"（{n}）地域の情報化" in whole for n in "１２３４")
    assert [p.section for p in passages if p.section != "第2条（職務）"] == ["第1条（趣旨）", "第3条（任期）", "附則"]


def test_no_caption_or_title_is_a_passage_or_a_hit_on_its_own(rules_home):
    _, knowledge, _ = rules_home
    titles = {TITLE, "空想村デジタル推進監設置規程", "夢見町DX推進アドバイザー設置要綱"}
    for name in ("kaku.txt", "kuso.html", "yumemi.docx"):
        _, passages = _passages(knowledge / "sources" / "reiki" / name)
        for passage in passages:
            for line in passage.text.splitlines():
                assert not CAPTION_ALONE.match(line) and line.strip() not in titles, (name, line)
    asked = _ask(rules_home, "架空町の補佐官の身分は？", "架空町の補佐官の目的は？", "空想村の推進監の職務は？",
                 "夢見町のアドバイザーの委嘱は？")
    for answer in asked:
        sources = [h for h in answer["hits"] if h["kind"] == "source"]
        assert sources, answer["question"]
        for hit in sources:
            assert not CAPTION_ALONE.match(hit["text"]) and hit["text"].strip() not in titles
            if answer["direct_answer"]:
                assert not CAPTION_ALONE.match(answer["direct_answer"].split("「")[-1].split("」")[0])
    status = next(h for h in asked[0]["hits"] if h["kind"] == "source")
    assert status["section"] == "第4条（身分）" and "特別職の非常勤職員" in status["text"]


def test_a_notice_that_cites_an_article_is_read_as_before(rules_home):
    _, knowledge, _ = rules_home
    path = knowledge / "sources" / "reiki" / "yumemi-notice.txt"
    document, passages = _passages(path)
    assert read_rules(document.parts) is None
    assert all(p.section == "本文" for p in passages) and "報酬：月額20万円" in "\n".join(p.text for p in passages)


def test_article_numbers_as_written_and_what_a_pdf_does_to_them():
    from hosakan.indexer.documents import Part

    # kanji numbers, 第3条の2, a caption on the article's own line before its number
    rules = read_rules([Part("甲町情報化推進本部設置規程\n（目的）第一条 この規程は、本部の設置について定める。\n"
                             "第二条 本部長は、町長をもって充てる。\n（副本部長）\n"
                             "第二条の二 副本部長は、副町長をもって充てる。\n"
                             "第十条 第二条の規定にかかわらず、町長は別に定めることができる。\n"
                             "附 則\nこの規程は、公布の日から施行する。")])
    assert [s.label for s in rules.sections] == ["第一条（目的）", "第二条", "第二条の二（副本部長）", "第十条", "附則"]
    assert rules.title == "甲町情報化推進本部設置規程" and rules.enacted() is None  # no date anywhere: none made up
    # a PDF: spaces dropped beside the numbers, a caption run onto the 号 before it, an article cut by a page
    pages = [Part("乙村補佐官設置要綱\n令和5年2月1日訓令第2号\n第1条補佐官は、次の職務を行う。\n"
                  "（1）情報化の助言（任期）\n第2条補佐官の任期は、", page=1),
             Part("2年とする。\n2補佐官は、再任されることができる。\n附則\nこの要綱は、公布の日から施行する。", page=2)]
    rules = read_rules(pages, joined=True)
    assert [(s.label, s.page) for s in rules.sections] == [("第1条", 1), ("第2条（任期）", 1), ("附則", 2)]
    assert rules.sections[1].text == "補佐官の任期は、2年とする。\n2補佐官は、再任されることができる。"
    assert rules.sections[0].text == "補佐官は、次の職務を行う。\n（1）情報化の助言"
    assert rules.enacted() == "2023-02-01"  # 公布の日から施行: the date under the title


def test_a_rules_document_answers_what_is_asked_from_the_article_that_says_it(rules_home):
    """The direct answer quotes the article's sentence (without its 項 number) and cites the
    article; words of the document's title are never "the fact it lacks"; a fact no article
    states is named as not stated, never with an empty word."""
    term, pay, appointer, who, missing = _ask(
        rules_home, "架空町の補佐官の任期は？", "かくう町の補佐官、日当はいくら？", "架空町の補佐官は誰が任命するの？",
        "空想村のデジタル推進監って誰の命を受けるの？", "架空町の補佐官の定年は？")
    assert term["answered"] and "補佐官の任期は、委嘱の日から起算して2年とする。" in term["direct_answer"]
    assert term["facts"][0]["source"] == f"「{TITLE}」第5条（任期）（原資料）"
    # 日当 is the official's word for the 日額 of 第6条: the sentence is given, said to be in other words
    assert pay["answered"] and "日額35,000円" in pay["direct_answer"] and pay["unmatched"] == ["日当"]
    assert pay["direct_answer"].startswith(
        "ご質問の「日当」という記載はありません。近い記載：\n【架空町・第6条（報酬）】「")
    assert appointer["answered"] and "「補佐官は、町長が任命する。」" in appointer["direct_answer"]  # no 「２ 」
    assert who["answered"] and "村長の命を受け" in who["direct_answer"]
    assert not missing["answered"] and missing["refusal"] == "not_stated"
    assert "「定年」" in missing["message"] and "「」" not in missing["message"] and "には の" not in missing["message"]


def test_a_rules_document_is_asked_by_article_and_for_its_own_date(rules_home):
    """「第６条って何？」 quotes that article, 「第何条？」 is answered with the article named, and the
    document's date is given as the 例規 writes it (和暦) with the Western date."""
    sixth, second, which, since = _ask(
        rules_home, "架空町の要綱の第６条って何が書いてある？", "架空町の要綱、第二条は？",
        "空想村の規程で任期を定めてるのは第何条？", "架空町の補佐官の要綱、いつから施行？")
    assert sixth["direct_answer"].startswith("【架空町・第6条（報酬）】「補佐官の報酬は、日額35,000円")
    assert second["direct_answer"].startswith("【架空町・第2条（設置）】「町に、補佐官1人を置く。」")
    assert which["direct_answer"].startswith("【空想村・第3条（任期）】「推進監の任期は、1年とし")
    assert since["direct_answer"].startswith(f"【架空町】「{TITLE}」の施行日：令和6年4月1日（2024年4月1日）")


def test_who_holds_a_post_is_the_sentence_that_says_who_fills_it(rules_home):
    """「委員長は誰？」 is answered by 「委員長は、副村長をもって充てる。」, not by another sentence
    about the chair (who stands in for it, who calls the meetings)."""
    chair, = _ask(rules_home, "幻村の委員会の委員長は誰？")
    assert chair["answered"] and "「委員長は、副村長をもって充てる。」" in chair["direct_answer"]
    assert chair["facts"][0]["source"].endswith("第2条（組織）（原資料）")


def test_a_sentence_that_introduces_a_list_is_quoted_with_its_items(rules_home):
    """「所掌事務は？」 is answered by 「次のとおりとする。」 with the 号 that follow it, as the 規程 lists them."""
    duties, = _ask(rules_home, "蜃気楼町のデジタル推進本部の所掌事務は何がある？")
    assert duties["answered"] and duties["facts"][0]["source"].endswith("第3条（所掌事務）（原資料）")
    assert "本部の所掌事務は、次のとおりとする。\n（１）デジタル化の方針の策定に関すること。" in duties["direct_answer"]
    assert "（３）職員の研修に関すること。" in duties["direct_answer"]


def test_who_holds_a_post_named_in_brackets_and_the_follow_up_about_the_next_post(rules_home):
    """A 。 inside （以下「CDO」という。） ends no sentence: the quote is whole; 「もってあてる」 in kana
    says who holds the post as 「充てる」 does; 「補佐官のほうは？」 next asks who again."""
    cdo, deputy = _ask(rules_home, "蜃気楼町のCDOは誰が務める決まり？", "補佐官のほうは？", conversation="posts")
    whole = "「最高デジタル責任者（以下「CDO」という。）は、副町長をもってあてる。」"
    assert cdo["answered"] and whole in cdo["direct_answer"]
    assert deputy["answered"] and "デジタル推進課長をもって充てる" in deputy["direct_answer"], deputy["direct_answer"]
    assert "「）は" not in deputy["direct_answer"]


def test_a_how_question_about_a_post_of_the_document_is_answered_not_the_document_named(rules_home):
    """Words of the document's title (本部) do not make 「本部員はどうやって決まるの？」 a question about
    the document as a whole."""
    members, = _ask(rules_home, "蜃気楼町のデジタル推進本部の本部員はどうやって決まるの？")
    assert members["answered"] and "本部員は、各課の長のうちから本部長が指名する。" in members["direct_answer"]


def test_the_notice_or_amendment_date_of_a_rules_document_is_its_own_date(rules_home):
    """「いつの訓令？」「最近の改正はいつ？」 ask the document's own date: its 施行 as the 例規 writes it."""
    order, amended, english = _ask(rules_home, "空想村の推進監の規程はいつの訓令？",
                                   "架空町の補佐官の要綱、最近の改正はいつ？",
                                   "Kaku town CIO adviser guideline: when did it take effect?")
    assert order["answered"] and "令和3年3月25日" in order["direct_answer"]
    assert amended["answered"] and "令和6年4月1日" in amended["direct_answer"]
    assert english["answered"] and "令和6年4月1日" in english["direct_answer"]


def test_a_date_line_is_never_quoted_as_an_answer(rules_home):
    """The line that records when a 例規 was amended (「令和5年3月1日 訓令第2号」) states nothing:
    a question the 規程 does not answer is not answered with it."""
    from hosakan.indexer.rules import is_date_line

    assert is_date_line("令和5年3月1日 訓令第2号") and is_date_line("2022年11月24日")
    assert not is_date_line("この規程は、令和4年6月1日から施行する。")
    assert not is_date_line("採用決定 令和6年3月1日") and not is_date_line("施行 令和6年4月1日")  # a notice's facts
    term, = _ask(rules_home, "蜃気楼町の本部長の任期はいつまで？")
    said = term["direct_answer"] or ""
    assert "訓令第2号" not in said and "令和4年6月1日から施行" not in said


def test_chapters_are_read_from_the_table_of_contents_and_asked_by_name(rules_home):
    """A 規程 in 章: the 目次's closing 附則 does not make every article a 附則's; each 章 keeps its
    articles, and 「…は第何章？」「全部で何章？」「…の章は何条から？」 are answered from them."""
    _, knowledge, _ = rules_home
    document, passages = _passages(knowledge / "sources" / "reiki" / "oboro.txt")
    assert [p.section for p in passages] == ["第1条（目的）", "第2条（定義）", "第3条（統括管理者）", "第4条（管理者）",
                                             "第5条（委員会）", "第6条（監査）", "附則"]
    assert document.meta["chapters"] == [["第1章", "総則", "第1条", "第2条"], ["第2章", "管理体制", "第3条", "第5条"],
                                         ["第3章", "システム監査", "第6条", "第6条"]]
    audit, whole, span = _ask(rules_home, "朧町の情報システム管理規程で、システム監査は第何章？",
                              "朧町の情報システム管理規程は全部で何章立て？",
                              "朧町の規程の管理体制の章は何条から何条？")
    assert audit["answered"] and "第3章 システム監査（第6条）" in audit["direct_answer"]
    assert whole["answered"] and "全3章" in whole["direct_answer"]
    assert "第2章 管理体制（第3条―第5条）" in whole["direct_answer"]
    assert span["answered"] and "第2章 管理体制（第3条―第5条）" in span["direct_answer"]
    assert "第1章" not in span["direct_answer"]
    third, badge = _ask(rules_home, "朧町の情報システム管理規程の第３章には何が書いてある？",
                        "朧町の規程で、記章の着用は？")
    assert "第3章 システム監査（第6条）" in third["direct_answer"] and "第1章" not in third["direct_answer"]
    assert "全3章" not in (badge["direct_answer"] or "")  # 記章 is no 章 of the 規程


def test_a_post_named_with_the_document_still_names_the_document(rules_home):
    cdo_rules, = _ask(rules_home, "蜃気楼町のCDOの規程")
    assert cdo_rules["direct_answer"].startswith("・原資料「蜃気楼町デジタル推進本部規程」")


def test_which_article_says_something_is_answered_by_that_article_not_by_the_place_named(rules_home):
    """The town's name (蜃気楼 and 町 to word analysis) says which document, not what it says:
    「会議の招集は第何条？」 is 第5条's sentence, not the first article naming the town."""
    meeting, = _ask(rules_home, "蜃気楼町の規程で、会議の招集を定めているのは第何条？")
    assert "第5条（会議）" in meeting["direct_answer"] and "招集" in meeting["direct_answer"]
    # a real town's name is one word to the dictionary in a title, two in a question
    assert of_places(["新島", "村", "会議", "招集"], ["新島村"]) == {"新島", "村"}


def test_a_document_named_with_a_place_that_has_a_case_is_answered_from_the_document(rules_home):
    """印西市 has a curated case, but 「要綱の制定日」 is the 要綱's own date, not a sentence of the case."""
    made, = _ask(rules_home, "印西市の情報化推進会議の要綱、制定日は？")
    assert "令和2年4月1日" in made["direct_answer"] and "設置要綱" in made["direct_answer"]
