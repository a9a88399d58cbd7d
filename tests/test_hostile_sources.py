"""What a maintainer (or a zip unpacked as it is) drops into knowledge/sources, made to hurt or just
wrong: links to the server's secrets, a hard link, a FIFO, names that are not UTF-8 or carry a
terminal's escape sequences, a page that declares a codec that is no character set, one line of
megabytes, a Word file that inflates to gigabytes, HTML nested 100,000 deep, a full disk. Each is
named in Japanese by the real `hosakan index` and `hosakan validate`, left out, and the rest is
indexed and answered; nothing is followed, nothing hangs, nothing ends in a traceback."""

from __future__ import annotations

import io
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from hosakan.bot.chat.conversation import Conversation
from hosakan.bot.events import Asker, Question
from hosakan.bot.service import LiveIndex
from hosakan.bot.settings import Settings
from hosakan.indexer.build import unreadable_sources
from hosakan.indexer.documents import read
from hosakan.indexer.fields import open_index
from hosakan.indexer.sources import PASSAGE_CHARS
from hosakan.indexer.store import current_generation
from hosakan.knowledge import files
from tests.support.cli import clean_env
from tests.support.knowledge import copy_knowledge

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
SECRET = "HOSAKAN_API_TOKENS=leak-me-0123456789abcdef"
GOOD = "高松市では、デジタル推進監の勤務日数を週3日と定めています。応募は郵送に限ります。"
SJIS_NAME = "募集要項.txt".encode("cp932")


def hosakan(home: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([HOSAKAN, *args], capture_output=True, text=True, timeout=timeout,
                          env=clean_env(HOSAKAN_HOME=str(home), HOSAKAN_SEMANTIC="false", COLUMNS="400", **env))


def _docx_bomb() -> bytes:
    """A 70 KB Word file whose document.xml inflates to 64 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-sources")
    (root / ".env").write_text(SECRET + "\n", encoding="utf-8")
    os.chmod(root / ".env", 0o600)
    knowledge = copy_knowledge(root / "knowledge")
    sources = knowledge / "sources"
    sources.mkdir()
    (sources / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(root / ".env", sources / "leak.txt")
    os.symlink("../../.env", sources / "relative-leak.md")
    os.symlink("/etc/passwd", sources / "passwd.txt")
    os.symlink("/etc", sources / "etc")
    os.link(root / ".env", sources / "hard.txt")
    os.mkfifo(sources / "pipe.txt")
    with open(os.path.join(os.fsencode(sources), SJIS_NAME), "wb") as named:
        named.write(GOOD.replace("高松市", "観音寺市").encode("utf-8"))
    (sources / "esc\x1b[2Jname.txt").write_text(GOOD, encoding="utf-8")
    (sources / "punycode.html").write_text(
        '<html><head><meta charset="punycode"><title>坂出市の募集</title></head><body>'
        "<p>坂出市では、情報政策監の報酬を月額41万円としています。</p></body></html>", encoding="utf-8")
    (sources / "oneline.html").write_text(
        "<html><body><p>" + "、".join(f"架空郡{i}番の項目は公開" for i in range(60_000)) + "</p></body></html>",
        encoding="utf-8")
    (sources / "bomb.docx").write_bytes(_docx_bomb())
    (sources / "deep.html").write_text("<html><body>" + "<div>" * 100_000
                                       + "善通寺市では、デジタル支援員を2名置いています。"
                                       + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def indexed(home) -> subprocess.CompletedProcess:
    result = hosakan(home, "index")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _said(result) -> str:
    return result.stdout + result.stderr


def _lines_naming(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line]


def test_a_link_is_never_followed_and_the_secret_is_never_answered(home, indexed):
    output = _said(indexed)
    for name in ("leak.txt", "relative-leak.md", "passwd.txt", "etc"):
        lines = _lines_naming(output, f"sources/{name}")
        assert lines and files.LINK in lines[0], (name, output)
    asked = hosakan(home, "ask", "--json", "HOSAKAN_API_TOKENS leak-me の値は？")
    assert asked.returncode == 0, asked.stderr
    hits = json.dumps(json.loads(asked.stdout)["hits"], ensure_ascii=False)
    assert "0123456789abcdef" not in hits and "root:x:0" not in hits
    generation = current_generation(home / "index")
    stored = (generation / "sources.json").read_text(encoding="utf-8")
    assert "leak" not in stored and "passwd" not in stored and "hard.txt" not in stored


def test_a_hard_link_and_a_fifo_are_named_and_nothing_hangs(indexed):
    output = _said(indexed)
    assert files.HARD_LINK in _lines_naming(output, "sources/hard.txt")[0]
    assert files.NOT_A_FILE in _lines_naming(output, "sources/pipe.txt")[0]


def test_bad_names_are_named_readably_and_never_reach_the_terminal_raw(indexed):
    output = _said(indexed)
    assert "\x1b" not in output and "Traceback" not in output
    assert _lines_naming(output, "esc\\x1b[2Jname.txt"), output
    sjis = _lines_naming(output, "募集要項.txt")  # shown as the Shift_JIS it is
    assert sjis and "UTF-8 ではありません" in sjis[0]


def test_every_other_file_is_indexed_and_answered(home, indexed):
    asked = hosakan(home, "ask", "--json", "高松市のデジタル推進監の勤務日数は？")
    answer = json.loads(asked.stdout)
    assert any("週3日" in hit["text"] for hit in answer["hits"]), answer
    punycode = json.loads(hosakan(home, "ask", "--json", "坂出市の情報政策監の報酬は？").stdout)
    assert any("41万円" in hit["text"] for hit in punycode["hits"]), punycode
    deep = json.loads(hosakan(home, "ask", "--json", "善通寺市のデジタル支援員は何名？").stdout)
    assert any("2名" in hit["text"] for hit in deep["hits"]), deep


def test_one_line_of_megabytes_is_cut_into_passages_of_bounded_length(home, indexed):
    with open_index(current_generation(home / "index")).searcher() as searcher:
        texts = [fields["data"]["text"] for fields in searcher.documents(record_id="source:oneline.html")]
    assert len(texts) > 100
    assert max(len(text) for text in texts) <= PASSAGE_CHARS


def test_a_word_file_that_inflates_to_gigabytes_is_refused_unread(indexed):
    lines = _lines_naming(_said(indexed), "sources/bomb.docx")
    assert lines and "展開すると大きすぎます" in lines[0]


def test_validate_names_every_file_index_leaves_out(home, indexed):
    result = hosakan(home, "validate")
    output = _said(result)
    for name in ("leak.txt", "passwd.txt", "etc", "hard.txt", "pipe.txt", "bomb.docx", "募集要項.txt"):
        assert _lines_naming(output, f"sources/{name}"), (name, output)
    assert "\x1b" not in output and "Traceback" not in output


def test_a_file_the_service_user_cannot_read_is_named_not_fatal(tmp_path):
    """A file copied in by root with mode 0600: the service user (here nobody) gets the reason, and
    the other files are still read."""
    top = Path(tempfile.mkdtemp(prefix="hosakan-perm-"))
    try:
        os.chmod(top, 0o755)
        sources = top / "knowledge" / "sources"
        sources.mkdir(parents=True)
        os.chmod(top / "knowledge", 0o755)
        os.chmod(sources, 0o755)
        (sources / "root-only.txt").write_text(GOOD, encoding="utf-8")
        os.chmod(sources / "root-only.txt", 0o600)
        (sources / "open.txt").write_text(GOOD, encoding="utf-8")
        os.chmod(sources / "open.txt", 0o644)
        found = _as_nobody(lambda: [[p.path.name, p.message] for p in unreadable_sources(top / "knowledge")])
        assert found == {"result": [["root-only.txt", files.NO_PERMISSION]]}, found
    finally:
        shutil.rmtree(top)


def test_a_link_swapped_in_after_listing_is_still_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    swapped = tmp_path / "notice.txt"
    os.symlink(secret, swapped)
    with pytest.raises(Exception) as refused:
        read(swapped)
    assert getattr(refused.value, "reason", None) == files.LINK


@pytest.fixture
def full_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine cannot mount a small tmpfs (not root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_during_index_gets_one_line_and_the_live_index_keeps_serving(tmp_path, full_disk):
    home = tmp_path / "home"
    knowledge = copy_knowledge(home / "knowledge")
    index = full_disk / "index"
    first = hosakan(home, "index", HOSAKAN_INDEX_DIR=str(index))
    assert first.returncode == 0, _said(first)
    filler = full_disk / "filler"
    free = shutil.disk_usage(full_disk).free
    filler.write_bytes(b"\0" * max(0, free - 64 * 1024))  # leave less than a generation needs
    (knowledge / "sources").mkdir()
    (knowledge / "sources" / "new.txt").write_text(GOOD, encoding="utf-8")
    second = hosakan(home, "index", "--full", HOSAKAN_INDEX_DIR=str(index))
    output = _said(second)
    assert second.returncode == 1 and "Traceback" not in output
    assert "ディスクの空きが足りません" in output and "これまでのインデックス" in output
    assert not list(index.glob(".building-*"))
    asked = hosakan(home, "ask", "--json", "大洲市のCDO補佐官の報酬は？", HOSAKAN_INDEX_DIR=str(index))
    assert asked.returncode == 0 and json.loads(asked.stdout)["answered"]
    # the same from the chat's admin command: one sentence, and the live index answers on
    talk = Conversation(LiveIndex(Settings(knowledge_dir=knowledge, index_dir=index, semantic=False)))
    try:
        said = talk.ask(Question("reindex", Asker("slack", "U0ADMIN", is_admin=True), "thread-1"))
        assert "ディスクの空きが足りません" in said.text
        assert talk.ask(Question("大洲市のCDO補佐官の報酬は？", Asker("slack", "U0ONE"), "thread-2")).answer.answered
    finally:
        talk.close()


def test_a_record_that_is_a_link_is_named_and_never_indexed(tmp_path):
    home = tmp_path / "home"
    knowledge = copy_knowledge(home / "knowledge")
    outside = tmp_path / "outside.md"
    outside.write_text((knowledge / "cases" / "ozu-city-cdo-hosakan.md").read_text(encoding="utf-8"), encoding="utf-8")
    (knowledge / "cases" / "ozu-city-cdo-hosakan.md").unlink()
    os.symlink(outside, knowledge / "cases" / "ozu-city-cdo-hosakan.md")
    for command in ("validate", "index"):
        result = hosakan(home, command)
        lines = _lines_naming(_said(result), "cases/ozu-city-cdo-hosakan.md")
        assert result.returncode == 1 and lines and files.LINK in lines[0], _said(result)


def test_draft_is_bounded_on_the_same_files(home, tmp_path):
    sources = home / "knowledge" / "sources"
    bomb = hosakan(home, "draft", str(sources / "bomb.docx"))
    assert bomb.returncode == 1 and "展開すると大きすぎます" in bomb.stderr and "Traceback" not in bomb.stderr
    link = hosakan(home, "draft", str(sources / "leak.txt"))
    assert link.returncode == 1 and files.LINK in link.stderr and "leak-me" not in _said(link)
    long = tmp_path / "long.txt"
    long.write_text("\n".join(f"第{i}条 高松市のデジタル推進監の報酬は月額{i}円とする。" for i in range(20_000)),
                    encoding="utf-8")
    drafted = hosakan(home, "draft", str(long))
    assert drafted.returncode == 0, drafted.stderr
    assert "先頭の100,000文字" in drafted.stderr and "kind: case" in drafted.stdout


def _as_nobody(work) -> object:
    """``work()`` run in a forked child as the user nobody (every module loaded already), its
    result or the name of what it raised."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            nobody = pwd.getpwnam("nobody")
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                said = {"result": work()}
            except BaseException as error:  # noqa: BLE001 - reported to the parent, which fails the test
                said = {"raised": f"{type(error).__name__}: {error}"}
            os.write(writing, json.dumps(said, ensure_ascii=False, default=str).encode())
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as said:
        found = json.loads(said.read() or b"{}")
    os.waitpid(child, 0)
    return found


def test_folders_and_sidecars_the_service_user_cannot_read_are_named_never_raised():
    from hosakan.indexer.store import file_hashes
    from hosakan.knowledge.loader import load

    top = Path(tempfile.mkdtemp(prefix="hosakan-perm-"))
    try:
        os.chmod(top, 0o755)
        knowledge = copy_knowledge(top / "knowledge")
        for folder in [knowledge, *[p for p in knowledge.rglob("*") if p.is_dir()]]:
            os.chmod(folder, 0o755)
        for record in knowledge.rglob("*.*"):
            os.chmod(record, 0o644)
        os.chmod(knowledge / "roundtables", 0o700)  # copied in by root
        sources = knowledge / "sources"
        sources.mkdir(mode=0o755)
        (sources / "side.txt").write_text(GOOD, encoding="utf-8")
        os.chmod(sources / "side.txt", 0o644)
        (sources / "side.txt.yaml").write_text("title: 募集\n", encoding="utf-8")
        os.chmod(sources / "side.txt.yaml", 0o600)
        found = _as_nobody(lambda: {
            "sources": [[p.path.name, p.message] for p in unreadable_sources(knowledge)],
            "records": [[p.path.name, p.message] for p in load(knowledge).problems],
            "hashed": len(file_hashes(knowledge)),
        })
        assert "raised" not in found, found
        said = found["result"]
        assert said["sources"] == [["side.txt", f"説明ファイル side.txt.yaml：{files.NO_PERMISSION}"]]
        assert said["records"] == [["roundtables", files.NO_PERMISSION_FOLDER]]
        assert said["hashed"] > 0
    finally:
        shutil.rmtree(top)


def test_a_glossary_that_is_a_link_or_a_fifo_is_named_and_nothing_hangs(tmp_path):
    home = tmp_path / "home"
    knowledge = copy_knowledge(home / "knowledge")
    (knowledge / "glossary.yaml").unlink()
    os.symlink(tmp_path / "elsewhere.yaml", knowledge / "glossary.yaml")
    (tmp_path / "elsewhere.yaml").write_text(SECRET + "\n", encoding="utf-8")
    linked = hosakan(home, "validate", timeout=60)
    assert linked.returncode == 1 and files.LINK in _said(linked) and "leak-me" not in _said(linked)
    (knowledge / "glossary.yaml").unlink()
    os.mkfifo(knowledge / "glossary.yaml")
    for command in ("validate", "index"):
        result = hosakan(home, command, timeout=60)  # a FIFO read would wait for a writer for ever
        assert result.returncode == 1 and files.NOT_A_FILE in _said(result), _said(result)


def test_what_one_file_may_cost_is_bounded_before_it_is_read(tmp_path):
    from pypdf import PdfWriter

    from hosakan.indexer.documents import MAX_HTML_TAGS, MAX_PDF_PAGES, Unreadable

    pages = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        pages.add_blank_page(100, 100)
    pdf = tmp_path / "pages.pdf"
    with pdf.open("wb") as out:
        pages.write(out)
    tags = tmp_path / "tags.html"
    tags.write_text("<html><body>" + "<i>a</i>" * (MAX_HTML_TAGS // 2 + 1) + "</body></html>", encoding="utf-8")
    lying = tmp_path / "lying.docx"  # its directory says 5,000 bytes; the member inflates to 64 MB
    with zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b" " * (64 << 20))
        package.filelist[-1].file_size = 5_000
    for path, said in ((pdf, "ページが多すぎます"), (tags, "タグが多すぎます"), (lying, "BadZipFile")):
        with pytest.raises(Unreadable) as refused:
            read(path)
        assert said in refused.value.reason, (path, refused.value.reason)


def test_an_unchanged_build_still_names_what_it_leaves_out(home, indexed):
    again = hosakan(home, "index")
    output = _said(again)
    assert again.returncode == 0 and "変更はありません" in output
    for name in ("leak.txt", "bomb.docx", "pipe.txt"):
        assert _lines_naming(output, f"sources/{name}"), (name, output)


def test_updating_bundled_records_never_writes_through_a_link(tmp_path):
    from hosakan.bot.operations.home import bundled_updates, copy_bundled, copy_bundled_records

    target = tmp_path / "knowledge"
    copy_bundled_records(target)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (target / "glossary.yaml").unlink()
    os.symlink(victim, target / "glossary.yaml")
    assert "glossary.yaml" in bundled_updates(target)
    copy_bundled(target, ["glossary.yaml"])
    assert victim.read_text(encoding="utf-8") == "untouched" and not (target / "glossary.yaml").is_symlink()
    record = next((target / "cases").glob("*.md"))
    record.unlink()
    os.symlink(tmp_path / "dangling.md", record)
    copy_bundled_records(target)
    assert not (tmp_path / "dangling.md").exists()
