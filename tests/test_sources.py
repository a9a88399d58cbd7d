"""Source documents under knowledge/sources: real PDF (printed by Chromium), Shift_JIS HTML, Word,
text and Markdown files, read, indexed beside the records, and answered from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hosakan.bot.operations.report import build_report
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.indexer.build import build
from hosakan.indexer.documents import Unreadable, read
from hosakan.indexer.store import load_snapshot, load_sources
from tests.support.browser import browser  # noqa: F401 - the fixture
from tests.support.knowledge import copy_knowledge

HOSAKAN = str(Path(sys.executable).parent / "hosakan")

MARUGAME = """<html><head><meta charset="Shift_JIS"><title>令和8年度 CIO補佐官の募集｜丸亀市</title></head><body>
<header>サイト共通ヘッダー</header><nav>くらし・手続き</nav>
<h1>CIO補佐官（特別職非常勤職員）を募集します</h1><p>掲載日：令和8年1月10日</p>
<p>丸亀市では、DXを推進するためCIO補佐官を募集します。</p><h2>募集人数</h2><p><strong>1</strong>名</p>
<h2>報酬</h2><p>月額 30万円（税込み）。通勤手当は支給しません。</p>
<h2>任期</h2><p>令和8年4月1日から令和9年3月31日まで（更新の場合あり）。</p>
<table><tr><th>勤務日数</th><td>週2日（テレワーク可）</td></tr></table>
<footer>丸亀市役所 デジタル推進課</footer></body></html>"""

OZU_PAGE = ("<p>大洲市では、地域のデジタル化を進めるため、最高デジタル責任者（CDO）の下で業務を担う人材を募集します。"
            "ページ{n}では選考の流れを説明します。応募資格は情報システムの企画または運用に5年以上従事した経験を有する者とします。"
            "</p><p>⽤語の説明：⽇本の⾃治体の場合</p><div style='page-break-after:always'></div>")


@pytest.fixture(scope="module")
def sources_home(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("sources")
    knowledge = copy_knowledge(root / "knowledge")
    folder = knowledge / "sources" / "2026"
    folder.mkdir(parents=True)
    (folder / "marugame.html").write_bytes(MARUGAME.encode("cp932"))
    (folder / "marugame.html.yaml").write_text("url: https://www.city.marugame.example/dx/cio.html\n"
                                               "published: 2026-01-15\npublisher: 丸亀市 デジタル推進課\n",
                                               encoding="utf-8")
    page = browser.new_page()  # a PDF as municipalities publish them: a running head and page numbers
    page.set_content("<html><head><title>大洲市 CDO補佐官の募集</title></head><body>"
                     + "".join(OZU_PAGE.format(n=n) for n in range(1, 5)) + "</body></html>")
    page.pdf(path=str(folder / "ozu.pdf"), display_header_footer=True, margin={"top": "60px", "bottom": "60px"},
             header_template="<div style='font-size:9px;width:100%;text-align:center'>大洲市 総務課 令和8年1月"
                             "</div>",
             footer_template="<div style='font-size:9px;width:100%;text-align:center'>"
                             "<span class='pageNumber'></span></div>")
    import docx

    word = docx.Document()
    word.add_heading("小豆島町 DX推進アドバイザー業務委託 公募型プロポーザル", 1)
    word.add_paragraph("予定価格は 4,400千円（消費税及び地方消費税を含む）とする。")
    word.add_heading("業務内容", 2)
    word.add_paragraph("庁内のDX推進計画の策定支援")
    word.save(str(folder / "shodoshima.docx"))
    (knowledge / "sources" / "notes.md").write_text("# 三豊市 DX推進監の募集\n\n三豊市ではDX推進監を募集します。\n\n"
                                                   "## 任期\n\n- 2年（更新あり）\n", encoding="utf-8")
    (knowledge / "sources" / "notes.md.yaml").write_text("published: 令和8年2月1日\n", encoding="utf-8")  # 和暦 is read
    # what cannot be read: named, left out, the rest indexed
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    import random

    noise = random.Random(1)  # bytes no Japanese encoding reads
    (folder / "garbled.html").write_bytes(b"<html><body>" + bytes(noise.randrange(128, 256) for _ in range(3000))
                                          + b"</body></html>")
    from pypdf import PdfWriter

    for name, secret in (("locked.pdf", "secret"), ("scan.pdf", None)):
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        if secret:
            writer.encrypt(secret)
        with open(folder / name, "wb") as handle:
            writer.write(handle)
    summary = build(knowledge, root / "index", semantic=False)
    return root, knowledge, summary


@pytest.fixture(scope="module")
def bot(sources_home):
    root, knowledge, _ = sources_home
    hosakan = LiveIndex(Settings(knowledge_dir=knowledge, index_dir=root / "index", semantic=False))
    yield hosakan
    hosakan.close()


def test_what_a_pdf_emits_is_normalised(sources_home):
    _, knowledge, _ = sources_home
    document = read(knowledge / "sources" / "2026" / "ozu.pdf")
    text = document.text
    assert document.title == "大洲市 CDO補佐官の募集" and [p.page for p in document.parts] == [1, 2, 3, 4]
    assert "用語の説明：日本の自治体" in text and "⽤" not in text  # Kangxi radicals folded
    assert "大洲市 総務課 令和8年1月" not in text  # the running head on every page, dropped
    assert not any(line.strip().isdigit() for line in text.splitlines())  # and the page numbers
    assert "最高デジタル責任者（CDO）の下で業務を担う人材を募集します。" in text  # lines broken inside words joined


def test_shift_jis_html_and_word_are_read_with_their_headings(sources_home):
    _, knowledge, _ = sources_home
    page = read(knowledge / "sources" / "2026" / "marugame.html")
    assert page.title == "令和8年度 CIO補佐官の募集｜丸亀市" and page.url == "https://www.city.marugame.example/dx/cio.html"
    assert [p.heading for p in page.parts] == ["CIO補佐官（特別職非常勤職員）を募集します", "募集人数", "報酬", "任期"]
    assert page.parts[1].text == "1名"  # inline markup does not break a line
    assert "勤務日数 ｜ 週2日（テレワーク可）" in page.text and "サイト共通ヘッダー" not in page.text
    word = read(knowledge / "sources" / "2026" / "shodoshima.docx")
    assert word.parts[-1].heading == "業務内容" and "4,400千円" in word.text


def test_unreadable_documents_are_named_with_why_and_the_rest_is_indexed(sources_home):
    root, knowledge, summary = sources_home
    reasons = {p.path.name: p.message for p in summary.skipped}
    assert set(reasons) == {"empty.txt", "broken.pdf", "locked.pdf", "scan.pdf", "garbled.html"}
    assert "文字コード" in reasons["garbled.html"]
    assert "空" in reasons["empty.txt"] and "PDF として読めません" in reasons["broken.pdf"]
    assert "暗号化" in reasons["locked.pdf"] and "文字を取り出せません" in reasons["scan.pdf"]
    assert summary.sources == 4 and summary.records == len(load_snapshot(summary.generation)[1])
    with pytest.raises(Unreadable, match="大きすぎます"):
        read(knowledge / "sources" / "2026" / "marugame.html", max_bytes=100)
    # `hosakan validate` names them too, and the records still validate
    env = {**os.environ, "HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(root / "index")}
    result = subprocess.run([HOSAKAN, "validate"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and "locked.pdf" in result.stderr and "暗号化" in result.stderr


def test_a_place_only_a_source_covers_is_answered_from_it_with_its_page(bot):
    answer = bot.ask("丸亀市のCIO補佐官の報酬は？")
    assert answer.answered and "月額 30万円" in answer.direct_answer and "2026年1月15日" in answer.direct_answer
    assert answer.hits[0].kind == "source" and "原資料" in answer.hits[0].source
    answer = bot.ask("大洲市の応募資格は？")  # the curated record does not say; its notice does
    assert answer.answered and "5年以上" in answer.direct_answer
    assert answer.hits[0].kind == "source" and "（p." in answer.hits[0].source
    # curated facts win where both speak
    answer = bot.ask("大洲市のCDO補佐官の報酬は？")
    assert "273,800円" in answer.direct_answer and answer.hits[0].kind == "case"
    # "not stated" holds for sources too, and a place nobody covers is still refused
    answer = bot.ask("丸亀市の守秘義務は？")
    assert not answer.answered and "記載がありません" in answer.message
    assert "見つかりませんでした" in bot.ask("高松市のCIO補佐官の任期は？").message
    # a source about 丸亀市 says nothing of 香川県's other places: the prefecture is still unknown
    assert "見つかりませんでした" in bot.ask("香川県のCDO補佐官の報酬は？").message


def test_a_source_is_quoted_only_where_it_names_the_asked_fact(bot):
    # each fact under its heading: 「募集人数：1名」, not the heading alone nor the posting date
    answer = bot.ask("丸亀市の募集人数は？")
    assert answer.answered and "募集人数：1名" in answer.direct_answer
    answer = bot.ask("丸亀市のCIO補佐官の応募締切は？")  # the page states none: its 掲載日 is no deadline
    assert not answer.answered and "原資料には" in answer.message and "令和8年1月10日" not in answer.message
    answer = bot.ask("三豊市のDX推進監の任期は？")  # a Markdown bullet under its heading, the sidecar's 和暦 date
    assert (answer.answered and "任期：2年（更新あり）" in answer.direct_answer
            and "2026年2月1日の資料" in answer.direct_answer)


def test_the_json_contract_marks_a_source_hit_and_cites_its_page(sources_home):
    root, knowledge, _ = sources_home
    env = {**os.environ, "HOSAKAN_KNOWLEDGE_DIR": str(knowledge), "HOSAKAN_INDEX_DIR": str(root / "index"),
           "HOSAKAN_SEMANTIC": "false"}
    result = subprocess.run([HOSAKAN, "ask", "--json", "大洲市の応募資格は？"], capture_output=True, text=True,
                            env=env, timeout=120)
    hit = json.loads(result.stdout)["hits"][0]
    assert hit["kind"] == "source" and "大洲市 CDO補佐官の募集" in hit["citation"] and "p." in hit["citation"]


def test_sources_are_indexed_incrementally_like_records(tmp_path, sources_home):
    _, knowledge, _ = sources_home
    copy = tmp_path / "knowledge"
    shutil.copytree(knowledge, copy)
    index = tmp_path / "index"
    build(copy, index, semantic=False)
    (copy / "sources" / "takamatsu.txt").write_text("高松市の案内\n\n"
                                                   "高松市ではDX推進監を募集します。報酬は日額3万円です。\n",
                                                   encoding="utf-8")
    added = build(copy, index, semantic=False)
    assert added.mode == "incremental" and added.added == ["sources/takamatsu.txt"]
    bot = LiveIndex(Settings(knowledge_dir=copy, index_dir=index, semantic=False))
    try:
        assert "日額3万円" in bot.ask("高松市の報酬は？").direct_answer
        (copy / "sources" / "takamatsu.txt").unlink()
        assert build(copy, index, semantic=False).removed == ["sources/takamatsu.txt"]
    finally:
        bot.close()
    bot = LiveIndex(Settings(knowledge_dir=copy, index_dir=index, semantic=False))
    try:
        assert "見つかりませんでした" in bot.ask("高松市の報酬は？").message
    finally:
        bot.close()


def test_report_lists_sources_to_curate_and_records_whose_source_changed(sources_home, tmp_path):
    from hosakan.bot.storage.history import History

    root, knowledge, summary = sources_home
    records = {r.id: r for r in load_snapshot(summary.generation)[1]}
    sources = load_sources(summary.generation)
    history = History(f"sqlite:///{tmp_path / 'h.db'}", salt="a-test-salt-of-32-characters-xyz")
    report = build_report(history, records, sources=sources)
    assert {row["source"] for row in report.uncurated_sources} >= {"sources/2026/marugame.html", "sources/2026/ozu.pdf"}
    # a record that cites the notice by its URL, reviewed before the notice changed
    marugame = next(s for s in sources if s.path.endswith("marugame.html"))
    cited = next(iter(records.values()))
    cited = cited.model_copy(update={"source": cited.source.model_copy(update={"url": marugame.url})})
    report = build_report(history, {cited.id: cited}, sources=[marugame.model_copy(update={"seen": "2099-01-01"})])
    assert [row["record"] for row in report.changed_sources] == [cited.id]
    assert "sources/2026/marugame.html" not in {row["source"] for row in report.uncurated_sources}
    history.close()
