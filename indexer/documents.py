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
from its first heading or the file name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hosakan.knowledge.dates import find_dates, parse_date

SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx", ".txt": "text", ".md": "text"}
SIDECAR = ".yaml"
MAX_SOURCE_BYTES = 30_000_000
MIN_TEXT = 20  # characters a document must yield to count as having text (a scan has none)
_COMPATIBLE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")  # radicals and compatibility ideographs
# CJK Radicals Supplement characters have no compatibility mapping, but some PDFs emit them for
# the ideographs (⻑野県, 市⺠): the ones seen in municipal documents, and a hyphenation point for ・
_RADICALS = str.maketrans("⺠⻑⻄⻘⻝⻤⻩⻲⻭⻯⺟⻨⻫⻬⻁‧", "民長西青食鬼黄亀歯竜母麦斉斎虎・")
_PAGE_NUMBER = re.compile(r"^[\s\-－—‐]*(?:p\.?\s*)?[0-9０-９]{1,4}(?:\s*[/／]\s*[0-9０-９]{1,4})?[\s\-－—‐]*$", re.I)
_SENTENCE_END = "。．.！？!?」』）)：:"
_ITEM_START = re.compile(r"^(?:[・●○■□◆◇※＊*\-–—]|[（(]?[0-9０-９一二三四五六七八九十]+[）).．、]|第[0-9０-９一二三四五六七八九十]+)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff19\uff21-\uff5a]")
# pypdf puts a space where a PDF switches fonts (「（ CDO ）」「に 5 年」): none belongs beside Japanese
_PDF_SPACE = re.compile(r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]) (?=\S)|(?<=\S) (?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])")


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


def source_files(folder: Path) -> list[Path]:
    """Every source document under ``folder`` (subfolders too), sidecars excluded."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and is_source(p))


def read(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> Document:
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise Unreadable("対応していない形式です（PDF・HTML・Word（.docx）・テキスト・Markdown に対応）")
    size = path.stat().st_size
    if size == 0:
        raise Unreadable("空のファイルです")
    if size > max_bytes:
        raise Unreadable(f"ファイルが大きすぎます（{size:,}バイト、上限 {max_bytes:,}バイト）")
    raw = path.read_bytes()
    reader = {"pdf": _pdf, "html": _html, "docx": _docx, "text": _text}[kind]
    title, parts, meta = reader(raw, path)
    parts = [Part(clean(p.text, joined=kind == "pdf"), p.page, p.heading) for p in parts]
    parts = [p for p in parts if p.text]
    if sum(len(p.text) for p in parts) < MIN_TEXT:
        raise Unreadable("文字を取り出せません（画像だけの PDF などは、文字の入った版を置いてください）"
                         if kind == "pdf" else "本文がありません")
    side = _sidecar(path)
    publisher = side.get("publisher") or meta.get("publisher")
    if publisher in GENERATORS:  # what wrote the file, not who published it
        publisher = None
    published = parse_date(side.get("published")) or parse_date(meta.get("published")) or _stated_date(parts)
    return Document(path, kind, side.get("title") or title or _first_heading(parts) or path.stem, parts,
                    hashlib.sha256(raw).hexdigest(), publisher, side.get("url") or meta.get("url"), published,
                    side.get("municipality"), meta)


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
    side = path.with_name(path.name + SIDECAR)
    if not side.is_file():
        return {}
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise Unreadable(f"説明ファイル {side.name} を読めません（{type(error).__name__}）") from None
    if not isinstance(data, dict):
        raise Unreadable(f"説明ファイル {side.name} は「項目: 値」の形で書いてください")
    return {k: v for k, v in data.items() if k in ("title", "publisher", "url", "published", "municipality")}


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
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if joined and out and out[-1] and len(out[-1]) >= full and _continues(out[-1], line):
            joiner = " " if out[-1][-1].isascii() and line[0].isascii() else ""
            out[-1] += joiner + line
        else:
            out.append(line)
    return "\n".join(out).strip()


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
            raise Unreadable("暗号化（パスワード保護）されています。保護のない版を置いてください")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip() or None
    except Unreadable:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, NotImplementedError) as error:
        raise Unreadable(f"PDF として読めません（壊れているか、PDF ではありません：{type(error).__name__}）") from None
    if pages and all(reader_page_is_empty(lines) for lines in pages):
        raise Unreadable("文字を取り出せません（画像だけの PDF などは、文字の入った版を置いてください）")
    repeated = _repeated(pages)
    parts = []
    for number, lines in enumerate(pages, 1):
        kept = [line for line in lines if _shape(line) not in repeated and not _PAGE_NUMBER.match(line)]
        parts.append(Part("\n".join(kept), page=number))
    return title if title and not title.lower().startswith(("microsoft word", "untitled")) else None, parts, {}


def reader_page_is_empty(lines: list[str]) -> bool:
    return not "".join(lines).strip()


def _decode(raw: bytes, declared: str | None = None) -> str:
    """Text from bytes: a BOM or the declared charset, else UTF-8, else charset-normalizer's guess."""
    for encoding in ([declared] if declared else []) + ["utf-8"]:
        try:
            return raw.decode(_codec(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp932", "shift_jis", "euc_jp", "iso2022_jp", "utf_8"]).best()
    if best is None:
        raise Unreadable("文字コードがわかりません（UTF-8 か Shift_JIS で保存し直してください）")
    return str(best)


def _codec(name: str) -> str:
    """Pages that say Shift_JIS are written in Windows' cp932 (①, ㈱, 髙)."""
    return "cp932" if name.lower().replace("-", "_") in ("shift_jis", "sjis", "x_sjis", "ms_kanji") else name


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_DROPPED = ("script", "style", "noscript", "nav", "header", "footer", "template", "svg", "form", "iframe")
_MARK = "\u0000"
_BLOCKS = ("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "section", "article", "main", "aside", "pre",
           "blockquote", "address", "figure", "figcaption", "caption", "hr")


def _html(raw: bytes, path: Path):
    from bs4 import BeautifulSoup
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(raw, is_html=True, search_entire_document=False)
    soup = BeautifulSoup(_decode(raw, declared), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta = {}
    for name, key in (("author", "publisher"), ("date", "published"), ("dc.date", "published")):
        tag = soup.find("meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.I)})
        if tag and tag.get("content"):
            meta[key] = tag["content"].strip()
    canonical = soup.find("link", rel="canonical")
    if canonical and str(canonical.get("href", "")).startswith(("http://", "https://")):
        meta["url"] = canonical["href"]
    body = soup.body or soup
    for tag in body.find_all(_DROPPED):
        tag.decompose()
    for heading in body.find_all(_HEADINGS):
        heading.replace_with(f"\n{_MARK}{heading.get_text(' ', strip=True)}\n")
    for row in body.find_all("tr"):  # a table row is one line: 勤務日数 ｜ 週2日
        row.replace_with("\n" + " ｜ ".join(c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])) + "\n")
    for br in body.find_all("br"):
        br.replace_with("\n")
    for block in body.find_all(_BLOCKS):  # lines end at blocks only: <strong>1</strong>名 stays one line
        block.insert_before("\n")
        block.insert_after("\n")
    text = body.get_text("")
    parts, heading, lines = [], None, []
    for line in text.split("\n"):
        if line.startswith(_MARK):
            if lines:
                parts.append(Part("\n".join(lines), heading=heading))
            heading, lines = line[1:].strip() or None, []
        else:
            lines.append(line.strip())
    if lines:
        parts.append(Part("\n".join(lines), heading=heading))
    return title, parts, meta


def _docx(raw: bytes, path: Path):
    import io
    import zipfile

    try:
        import docx

        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Unreadable(f"Word（.docx）として読めません（{type(error).__name__}）") from None
    except Exception as error:  # noqa: BLE001 - python-docx raises its own for a broken package
        raise Unreadable(f"Word（.docx）として読めません（{type(error).__name__}）") from None
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
