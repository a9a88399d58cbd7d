"""Source documents (``knowledge/sources/`` of the data directory): the PDF, HTML, Word, text and
Markdown files municipalities publish, read into text parts with where they stand (page, heading).

Libraries do the reading: pypdf for PDF, Beautiful Soup for HTML (its declared charset, else
charset-normalizer's guess, so Shift_JIS and EUC-JP pages read), python-docx for Word. What PDFs
emit is normalised here: Kangxi radicals and compatibility ideographs (⽤ ⽇ ⿃) become the ideographs
they stand for, a line break inside a sentence is joined, and a header or footer repeated on most
pages is dropped, as are page numbers.

A file that cannot be read raises ``Unreadable`` with the reason in Japanese (empty, too large,
encrypted, corrupt, no text layer, unknown encoding): the build names it and goes on without it.
Metadata (title, publisher, URL, published date) comes from an optional sidecar ``FILE.yaml``
beside the file, else from the document itself (PDF info, <title>, Word's core properties), else
from its first heading or the file name; a 例規 (indexer/rules.py) is dated by when it took effect
(its 附則's 施行 date) unless the sidecar gives a date.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hosakan.indexer import sentences
from hosakan.indexer.rules import read_rules
from hosakan.knowledge.dates import find_dates, parse_date
from hosakan.knowledge.files import NO_PERMISSION, Refused, listing, not_plain, read_bytes, shown
from hosakan.knowledge.problems import Problem
from hosakan.knowledge.sidecar import read_sidecar, sidecar_of

log = logging.getLogger(__name__)
SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx", ".txt": "text", ".md": "text"}
MAX_SOURCE_BYTES = 30_000_000
MIN_TEXT = 20  # characters a document must yield to count as having text (a scan has none)
# a Word file (a zip) unpacked: at most this many members, this many bytes in all, and this many
# bytes besides its pictures (the XML python-docx parses)
MAX_PACKAGE_MEMBERS = 2_000
MAX_PACKAGE_BYTES = 200_000_000
MAX_PACKAGE_XML_BYTES = 50_000_000
MAX_PDF_PAGES = 3_000  # a 1,000-page plan is long; pages are read until the text passes MAX_TEXT_CHARS
MAX_HTML_TAGS = 400_000  # tags (each < counted, opening and closing): a municipal page has a few thousand
MAX_TEXT_CHARS = 3_000_000  # characters one document may yield: a 1,000-page plan holds about 1.5 million
_COMPATIBLE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")  # radicals and compatibility ideographs
# CJK Radicals Supplement characters have no compatibility mapping, but some PDFs emit them for
# the ideographs (⻑野県, 市⺠): the ones seen in municipal documents, and a hyphenation point for ・
_RADICALS = str.maketrans("⺠⻑⻄⻘⻝⻤⻩⻲⻭⻯⺟⻨⻫⻬⻁‧", "民長西青食鬼黄亀歯竜母麦斉斎虎・")
_PAGE_NUMBER = re.compile(r"^[\s\-－—‐]*(?:p\.?\s*)?[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?[\s\-－—‐]*$", re.I)
_SENTENCE_END = "。．.！？!?」』）)：:"
_ITEM_START = re.compile(r"^(?:[・●○■□◆◇※＊*\-–—]"
                         r"|[（(]?[0-9０-９一二三四五六七八九十]+[）).．、]"
                         r"|第[0-9０-９一二三四五六七八九十]+)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff19\uff21-\uff5a]")
# pypdf puts a space where a PDF switches fonts (「（ CDO ）」「に 5 年」): none belongs beside Japanese
_PDF_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]) (?=\S)"
                        r"|(?<=\S) (?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])")


class Unreadable(Exception):
    """A source document that cannot be read; ``reason`` says why in Japanese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Part:
    text: str
    page: int | None = None
    heading: str | None = None


@dataclass
class Document:
    path: Path
    kind: str                     # pdf | html | docx | text
    title: str
    parts: list[Part]
    sha256: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # as the sidecar or the document gives it
    municipality: str | None = None  # from the sidecar; else found by the indexer in the text
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole text, each part under its heading."""
        return "\n\n".join((f"{part.heading}\n" if part.heading else "") + part.text for part in self.parts)


def is_source(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def source_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Every source document under ``folder`` (subfolders too), sidecars excluded, and a problem
    for each one left out unread (a link, not a plain file, a name that is not UTF-8)."""
    return listing(folder, is_source)


def read(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> Document:
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise Unreadable(sentences.UNSUPPORTED_FORMAT)
    try:
        raw = read_bytes(path, max_bytes,
                         lambda size: sentences.file_too_large(size, max_bytes))
    except Refused as refused:
        raise Unreadable(refused.reason) from None
    if not raw:
        raise Unreadable(sentences.EMPTY_FILE)
    side = _sidecar(path)  # a broken sidecar leaves the document out before any reading is spent on it
    title, parts, meta = _extract(kind, raw, path)
    parts = [Part(clean(p.text, joined=kind == "pdf"), p.page, _plain(p.heading)) for p in parts]
    parts = [p for p in parts if p.text]
    length = sum(len(p.text) for p in parts)
    if length < MIN_TEXT:
        raise Unreadable(sentences.NO_TEXT_IN_PDF if kind == "pdf" else sentences.NO_BODY)
    if length > MAX_TEXT_CHARS:
        raise Unreadable(_too_long(length))
    publisher = side.get("publisher") or _plain(meta.get("publisher"))
    if publisher in GENERATORS:  # what wrote the file, not who published it
        publisher = None
    rules = read_rules(parts, joined=kind == "pdf")  # a 例規 is dated by when it took effect
    enacted = None if side.get("published") or rules is None else rules.enacted()
    if enacted:
        meta = {**meta, "enacted": True}
    if rules is not None and (contents := rules.contents()):
        meta = {**meta, "chapters": contents}
    published = side.get("published") or enacted or _date(meta.get("published")) or _stated_date(parts)
    if rules is not None and rules.title:  # the 例規's own title line, not the page's 「…｜○○村例規集」
        title = rules.title
    return Document(path, kind, side.get("title") or _plain(title) or _first_heading(parts) or shown(path.stem),
                    parts, hashlib.sha256(raw).hexdigest(), publisher, side.get("url") or meta.get("url"), published,
                    side.get("municipality"), meta)


def _too_long(length: int, more: bool = False) -> str:
    return sentences.text_too_long(length, more, MAX_TEXT_CHARS)


def _extract(kind: str, raw: bytes, path: Path):
    """(title, parts, metadata) by the reader for ``kind``; whatever a reader library raises on a
    hostile or broken file becomes ``Unreadable``, so that one file never stops the others."""
    reader = {"pdf": _pdf, "html": _html, "docx": _docx, "text": _text}[kind]
    try:
        return reader(raw, path)
    except Unreadable:
        raise
    except MemoryError:
        raise Unreadable(sentences.OUT_OF_MEMORY) from None
    except RecursionError:
        raise Unreadable(sentences.NESTED_TOO_DEEP) from None
    except Exception as error:  # a reader library can raise anything on a hostile file
        log.warning("a source document could not be read (%s)", type(error).__name__, exc_info=True)
        raise Unreadable(sentences.unreadable(type(error).__name__)) from None


def _plain(text: str | None, limit: int = 200) -> str | None:
    """A title or heading as it may be shown: control characters dropped, spaces collapsed, cut
    to ``limit`` characters."""
    if text is None:
        return None
    return " ".join("".join(c for c in str(text) if unicodedata.category(c)[0] != "C").split())[:limit] or None


def _date(value) -> str | None:
    """A date in a document's own metadata, or None where it is not one that exists."""
    try:
        return parse_date(value)
    except ValueError:
        return None


GENERATORS = {"python-docx", "Microsoft Office User", "Microsoft Word", "Administrator", "user", "User"}
_DATED_AS = re.compile(r"(?:掲載日|公開日|公表日|発行日|作成日|更新日|最終更新)[\s:：]*")


def _stated_date(parts: list[Part]) -> str | None:
    """The date a document says it was published (「掲載日：令和8年1月15日」), in its first lines."""
    head = "\n".join(p.text for p in parts)[:2000]
    for label in _DATED_AS.finditer(head):
        found = next(find_dates(head[label.end(): label.end() + 40]), None)
        if found:
            return found[1]
    return None


def _sidecar(path: Path) -> dict:
    """The sidecar's fields (title, publisher, url, published, municipality), checked; a sidecar
    that is not a plain file or has a problem leaves the document out (``Unreadable``, naming it)."""
    side = sidecar_of(path)
    if not (side.exists() or side.is_symlink()):
        return {}
    refused = not_plain(side)
    if refused:
        raise Unreadable(f"説明ファイル {shown(side.name)}：{refused}")
    try:
        data, problems = read_sidecar(side)
    except OSError:
        raise Unreadable(f"説明ファイル {shown(side.name)}：{NO_PERMISSION}") from None
    if problems:
        said = "；".join(f"{p.field}：{p.message}" + (f"（{p.line}行目）" if p.line else "") for p in problems)
        raise Unreadable(sentences.broken_sidecar(shown(side.name), said))
    return data


def _first_heading(parts: list[Part]) -> str | None:
    return next((p.heading for p in parts if p.heading), None)


# -- normalising what the readers emit ------------------------------------------------------
def clean(text: str, *, joined: bool = False) -> str:
    """Compatibility ideographs folded, control characters dropped, runs of blank lines cut to one;
    ``joined`` (a PDF, whose line ends are the layout's): a line break inside a sentence joined."""
    text = _COMPATIBLE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text.translate(_RADICALS))
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if joined:
        lines = [_PDF_SPACE.sub("", line) for line in lines]
    full = 0.8 * max((len(line) for line in lines), default=0)  # a line this long ran to the margin
    out: list[list[str]] = []  # each line in pieces, so that joining many is linear
    for line in lines:
        last = out[-1] if out else None
        if not line:
            if last:
                out.append([])
            continue
        if joined and last and (len(last) > 1 or len(last[0]) >= full) and _continues(last[-1], line):
            last.append((" " if last[-1][-1].isascii() and line[0].isascii() else "") + line)
        else:
            out.append([line])
    return "\n".join("".join(pieces) for pieces in out).strip()


def _continues(before: str, line: str) -> bool:
    """Whether ``line`` goes on the sentence ``before`` broke off (a PDF's line end)."""
    return (before[-1] not in _SENTENCE_END and not _ITEM_START.match(line)
            and bool(_CJK.match(before[-1]) or _CJK.match(line[0])))


def _shape(line: str) -> str:
    """A line with its digits ignored, so 「- 3 -」 on every page counts as one line."""
    return re.sub(r"[0-9０-９]+", "#", line.strip())


def _repeated(pages: list[list[str]]) -> set[str]:
    """Header and footer lines: short first or last two lines that recur on most pages (digits
    ignored, so 「- 3 -」 and 「令和8年1月 ○○市 3」 count as one)."""
    if len(pages) < 3:
        return set()
    seen = Counter(_shape(line) for lines in pages for line in {*lines[:2], *lines[-2:]}
                   if line.strip() and len(line.strip()) <= 40)  # a running head is short; body lines are not
    return {line for line, count in seen.items() if count >= max(3, 0.6 * len(pages))}


# -- the readers: (title, parts, metadata) --------------------------------------------------
def _pdf(raw: bytes, path: Path):
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(sentences.ENCRYPTED)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable(sentences.too_many_pages(len(reader.pages), MAX_PDF_PAGES))
        pages, extracted = [], 0
        for page in reader.pages:  # stopped as soon as the text is more than a document may hold
            text = page.extract_text() or ""
            extracted += len(text)
            if extracted > MAX_TEXT_CHARS:
                raise Unreadable(_too_long(extracted, more=True))
            pages.append(text.splitlines())
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip() or None
    except Unreadable:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, NotImplementedError) as error:
        raise Unreadable(sentences.not_a_pdf(type(error).__name__)) from None
    if pages and all(reader_page_is_empty(lines) for lines in pages):
        raise Unreadable(sentences.NO_TEXT_IN_PDF)
    repeated = _repeated(pages)
    parts = []
    for number, lines in enumerate(pages, 1):
        kept = [line for line in lines if _shape(line) not in repeated and not _PAGE_NUMBER.match(line)]
        parts.append(Part("\n".join(kept), page=number))
    return title if title and not title.lower().startswith(("microsoft word", "untitled")) else None, parts, {}


def reader_page_is_empty(lines: list[str]) -> bool:
    return not "".join(lines).strip()


# what a page may declare and be decoded with; anything else (punycode, rot13, a codec that is not
# a character set) is ignored and the bytes are read as UTF-8 or guessed
_CHARSETS = frozenset(("utf_8", "utf_8_sig", "utf_16", "utf_16_le", "utf_16_be", "ascii", "latin_1", "cp1252",
                       "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004",
                       "euc_jisx0213", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004",
                       "iso2022_jp_3", "iso2022_jp_ext"))


def _charset(declared: str | None) -> str | None:
    """The codec a declared charset names, when it is a character set we read."""
    if not declared:
        return None
    try:
        name = codecs.lookup(_codec(declared)).name.replace("-", "_")
    except (LookupError, ValueError, TypeError):
        return None
    return name if name in _CHARSETS else None


def _decode(raw: bytes, declared: str | None = None) -> str:
    """Text from bytes: a BOM or the declared charset, else UTF-8, else charset-normalizer's guess."""
    for encoding in [e for e in (_charset(declared), "utf-8") if e]:
        try:
            return raw.decode(encoding)
        except (UnicodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp932", "shift_jis", "euc_jp", "iso2022_jp", "utf_8"]).best()
    if best is None:
        raise Unreadable(sentences.UNKNOWN_ENCODING)
    return str(best)


def _codec(name: str) -> str:
    """Pages that say Shift_JIS are written in Windows' cp932 (①, ㈱, 髙)."""
    return "cp932" if name.lower().replace("-", "_") in ("shift_jis", "sjis", "x_sjis", "ms_kanji") else name


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_DROPPED = frozenset(("script", "style", "noscript", "nav", "header", "footer", "template", "svg", "form", "iframe"))
_BLOCKS = frozenset(("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "section", "article", "main", "aside",
                     "pre", "blockquote", "address", "figure", "figcaption", "caption", "hr"))
_BLOCK_END = object()


def _html(raw: bytes, path: Path):
    from bs4 import BeautifulSoup
    from bs4.dammit import EncodingDetector

    tags = raw.count(b"<")  # every element is an object in the parsed tree: bound them before parsing
    if tags > MAX_HTML_TAGS:
        raise Unreadable(sentences.too_many_tags(tags, MAX_HTML_TAGS))
    declared = EncodingDetector.find_declared_encoding(raw, is_html=True, search_entire_document=False)
    soup = BeautifulSoup(_decode(raw, declared), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta = {}
    for name, key in (("author", "publisher"), ("date", "published"), ("dc.date", "published")):
        tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)})
        if tag and tag.get("content"):
            meta[key] = str(tag["content"]).strip()
    canonical = soup.find("link", rel="canonical")
    if canonical and str(canonical.get("href", "")).startswith(("http://", "https://")):
        meta["url"] = str(canonical["href"])
    parts, heading, lines = [], None, []
    for kind, text in _html_lines(soup.body or soup):
        if kind == "heading":
            if lines:
                parts.append(Part("\n".join(lines), heading=heading))
            heading, lines = text or None, []
        else:
            lines.extend(line.strip() for line in text.split("\n"))
    if lines:
        parts.append(Part("\n".join(lines), heading=heading))
    return title, parts, meta


def _html_lines(body):
    """("heading", text) and ("text", lines) in the page's order, in one walk over the tree that
    takes time linear in its size however deep it nests (never recursing, never changing it):
    lines end at blocks only (<strong>1</strong>名 stays one line), a table row is one line
    (勤務日数 ｜ 週2日), what is not content (scripts, navigation, forms) is left out."""
    from bs4.element import CData, NavigableString, Tag

    pending: list[str] = []
    stack: list = [body]
    while stack:
        node = stack.pop()
        if node is _BLOCK_END:  # queued after a block's children
            pending.append("\n")
            continue
        if not isinstance(node, Tag):
            if type(node) in (NavigableString, CData):
                pending.append(str(node))
            continue
        name = node.name
        if name in _DROPPED and node is not body:
            continue
        if name in _HEADINGS:
            yield "text", "".join(pending)
            pending = []
            yield "heading", node.get_text(" ", strip=True)
            continue
        if name == "tr":
            cells = node.find_all(["th", "td"])
            pending.append("\n" + " ｜ ".join(cell.get_text(" ", strip=True) for cell in cells) + "\n")
            continue
        if name == "br":
            pending.append("\n")
            continue
        block = name in _BLOCKS
        if block:
            pending.append("\n")
            stack.append(_BLOCK_END)
        stack.extend(reversed(node.contents))
    yield "text", "".join(pending)


def _docx(raw: bytes, path: Path):
    import io
    import zipfile

    _check_package(raw)
    try:
        import docx

        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Unreadable(sentences.not_a_docx(type(error).__name__)) from None
    except Exception as error:  # noqa: BLE001 - python-docx raises its own for a broken package
        raise Unreadable(sentences.not_a_docx(type(error).__name__)) from None
    from docx.table import Table

    parts, heading, lines = [], None, []
    for block in document.iter_inner_content():  # paragraphs and tables in the document's order
        if isinstance(block, Table):
            lines += [" ｜ ".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")) or style.startswith(("見出し", "表題")):
            if lines:
                parts.append(Part("\n".join(lines), heading=heading))
            heading, lines = block.text.strip() or heading, []
        else:
            lines.append(block.text)
    if lines:
        parts.append(Part("\n".join(lines), heading=heading))
    props = document.core_properties
    meta = {"publisher": props.author} if props.author else {}
    return (props.title or "").strip() or None, parts, meta


def _check_package(raw: bytes) -> None:
    """A Word file is a zip: its members are counted and their sizes added up from the zip's own
    directory before python-docx reads anything (which reads every member into memory), so a small
    file that would inflate to gigabytes is refused at once; a member can never inflate past the
    size its entry declares (each is inflated here in 1 MB steps first: the zip's own CRC and size
    checks refuse a member that says less than it holds)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Unreadable(sentences.not_a_docx(type(error).__name__)) from None
    if len(members) > MAX_PACKAGE_MEMBERS:
        raise Unreadable(sentences.too_many_members(len(members), MAX_PACKAGE_MEMBERS))
    inflated = sum(member.file_size for member in members)
    markup = sum(member.file_size for member in members if not member.filename.startswith("word/media/"))
    if inflated > MAX_PACKAGE_BYTES or markup > MAX_PACKAGE_XML_BYTES:
        raise Unreadable(sentences.inflates_too_large(inflated, MAX_PACKAGE_BYTES, MAX_PACKAGE_XML_BYTES))
    try:  # a directory can lie about sizes: every member inflated in small steps, never past what it says
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            for member in members:
                with package.open(member) as data:
                    while data.read(1 << 20):
                        pass
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise Unreadable(sentences.not_a_docx(type(error).__name__)) from None


def _text(raw: bytes, path: Path):
    text = _decode(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    parts, heading, lines = [], None, []
    markdown = path.suffix.lower() == ".md"
    for line in text.splitlines():
        found = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line) if markdown else None
        if found:
            if lines:
                parts.append(Part("\n".join(lines), heading=heading))
            heading, lines = found.group(1), []
        else:
            lines.append(line)
    if lines:
        parts.append(Part("\n".join(lines), heading=heading))
    first = next((line.strip() for line in text.splitlines() if line.strip()), None)
    title = next((p.heading for p in parts if p.heading), None) if markdown else None
    return title or (first[:80] if first else None), parts, {}
