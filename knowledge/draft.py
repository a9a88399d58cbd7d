"""`hosakan draft`: a case record drafted from a municipality's recruitment notice or proposal
(公募型プロポーザル) document, for a maintainer to check and complete.

``draft_case`` reads plain text (indexer.documents reads the PDF, HTML, Word or text file): every
value it drafts keeps the notice's sentence it came from, which ``render`` writes as a
「# 根拠: …」 comment above it; every field it cannot find is left as `hosakan new case` leaves it,
under a 「# TODO: …」 comment, and `hosakan validate` refuses the file while any TODO is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hosakan.knowledge import sentences
from hosakan.knowledge.amounts import pay_doubt
from hosakan.knowledge.dates import find_dates, parse_date
from hosakan.knowledge.draft_fields import (
    CONTACT,
    find_as_of,
    find_contact,
    find_place,
    find_roles,
    find_terms,
    reading,
    romaji,
    slug,
)
from hosakan.knowledge.draft_pay import (
    PAY_LABELS,
    TERM_LABELS,
    WORK_LABELS,
    Pay,
    find_pay,
    find_term,
    find_work,
    section_text,
)
from hosakan.knowledge.draft_text import MAX_TITLE_CHARS, URL, Line, NoticeText, clean_line, narrow, title_text
from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.loader import DEFAULT_DIR
from hosakan.knowledge.places import all_places

POSITION = ("募集職種", "募集する職", "募集職", "職名", "職種", "役職名", "募集ポスト")
DUTIES = ("職務内容", "業務内容", "主な職務", "主な業務", "仕事の内容", "仕事内容", "担当業務", "業務の内容",
          "勤務内容", "職務")
DEPARTMENT = ("配属先", "配属予定", "所属部署", "配置先", "所属", "配属")
SELECTION = ("選考方法", "選考の方法", "審査方法", "選定方法", "評価方法", "審査の方法", "選考", "審査")
PERIOD = ("募集期間", "受付期間", "応募期間", "申込期間", "応募受付期間", "申込受付期間", "応募締切", "応募期限",
          "申込締切", "申込期限", "参加表明書の提出期限", "参加申込書の提出期限", "参加申込期限", "提出期限")
WORK_NAME = ("業務名", "委託業務名", "件名")
QUALIFICATION = ("応募資格", "受験資格", "参加資格", "資格要件", "応募要件", "応募条件", "求める人材", "求める人物像",
                 "必要な経験")
PURPOSE = ("趣旨", "目的", "背景", "概要", "はじめに")
_SITE_SUFFIX = re.compile(r"\s*(?:[|｜]|\s-\s|\s–\s|\s—\s)\s*(?P<site>[^|｜]{1,24})$")
_DEADLINE = re.compile(r"(?:締切|締め切り|応募期限|提出期限|受付期間|募集期間|応募期間)\s*[:：]?\s*")
_COUNT = re.compile(r"\s*(?:[0-9０-９]+|若干)\s*名.*$")
# A header line that is not the notice's title: its number (坂デ第45号), its issuer (… 推進課, 坂井市長
# 山田太郎) or who is in charge (担当：…).
_NOT_TITLE = re.compile(r"^(?:\S{0,10}第\s*[0-9]+\s*号|\S*(?:部|局|室|課|係|班|グループ|センター)(?:長)?"
                        r"(?:\s+\S+){0,3}|[(（【]?担当.*|\S{1,8}(?:市|町|村|区|都|道|府|県)長(?:\s+\S+){0,2})$")


@dataclass
class Found:
    """One drafted value and the notice's sentence it came from."""

    value: object
    evidence: str | None = None
    note: str | None = None   # what a maintainer should know (日額, 税込み, 36か月 …), as a comment


@dataclass
class Draft:
    fields: dict[str, Found | list[Found]] = field(default_factory=dict)  # "source.title" for source's
    checks: dict[str, str] = field(default_factory=dict)  # drafted, but to be checked: a TODO beside the value
    overview: list[str] = field(default_factory=list)     # the notice's main paragraphs, for the body
    term_months: int | None = None
    renewal: bool | None = None
    qualification: Found | None = None                    # 応募資格: the schema has no field, the body holds it

    def value(self, name: str) -> object:
        found = self.fields.get(name)
        if isinstance(found, list):
            return [item.value for item in found]
        return found.value if found else None

    def render(self) -> str:
        from hosakan.knowledge.draft_render import render

        return render(self)


MAX_NOTICE_CHARS = 100_000  # a notice is a few pages; drafting reads no more of a longer document


def notice_text(document) -> str:
    """A read document's text with each heading on a ``## `` line of its own, the shape draft_case
    reads: a heading (「任期」「報酬」) is what labels the lines under it."""
    parts = getattr(document, "parts", None)
    if not parts:
        return document.text
    out, heading = [], None
    for part in parts:
        if part.heading and part.heading != heading and not part.text.startswith(part.heading):
            out.append(f"## {part.heading}")
        heading = part.heading or heading
        out.append(part.text)
    return "\n".join(out)


def _glossary(glossary: Glossary | None) -> Glossary:
    return glossary or Glossary.load(DEFAULT_DIR / "glossary.yaml")


def _clean_title(title: str, place_names: set[str]) -> str:
    """A page's title without its site's name (「… - 鳥取県」「…｜丸亀市」)."""
    match = _SITE_SUFFIX.search(title)
    if match and (match.group("site").strip() in place_names
                  or re.search(r"ホームページ|公式|サイト", match.group("site"))):
        return title[:match.start()].strip()
    return title.lstrip("#").strip()


def _not_title(text: str | None) -> bool:
    """A header line (a date alone, a number, an issuer) read as the title: 「令和8年6月1日」."""
    flat = narrow(clean_line(text or "")).strip()
    return bool(flat) and (parse_date(flat) is not None or bool(_NOT_TITLE.match(flat)))


def _title_line(notice: NoticeText) -> None:
    """The notice's title: its first header line that is neither a date nor a number nor its issuer."""
    if _not_title(notice.title):
        line = next((ln for ln in notice.head(8) if ln.body and not _not_title(ln.body)), None)
        if line is not None:
            notice.title = title_text(line.body)


def _found(line: Line | None, value: object, needle: str | None = None, note: str | None = None) -> Found:
    return Found(value, line.sentence(needle) if line else None, note)


def _first(section) -> tuple[str, Line] | None:
    if not section:
        return None
    if section.head.value:
        return section.head.value, section.head
    line = next((ln for ln in section.lines if ln.body), None)
    return (line.body, line) if line else None


def draft_case(text: str, *, title: str | None = None, url: str | None = None, glossary: Glossary | None = None,
               published: str | None = None) -> Draft:
    """A case record drafted from a notice's plain text (its headings on lines of their own);
    ``title``, ``url`` and ``published`` are the document's own, where it has them."""
    glossary = _glossary(glossary)
    title = title[:MAX_TITLE_CHARS].strip() if title else title  # a page's <title>, bounded as the notice's is
    if title and not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", title):  # a file name, not a title
        title = None
    if _not_title(title):  # a text file's first line: 「令和8年6月1日」
        title = None
    labels = (POSITION + DUTIES + DEPARTMENT + SELECTION + PERIOD + TERM_LABELS + WORK_LABELS + PAY_LABELS + WORK_NAME
              + QUALIFICATION)
    notice = NoticeText(text, title, labels)
    notice.bare_headings(labels + CONTACT)
    _title_line(notice)
    draft, fields = Draft(), {}
    place, place_line, guessed = find_place(notice)
    if place:
        fields["municipality"] = _found(place_line, place.name, place.name)
        fields["prefecture"] = _found(place_line, place.prefecture, place.name)
        fields["reading"] = Found(reading(place), None, sentences.reading_from_places(place.name, place.prefecture))
        fields["romaji"] = Found(romaji(place), None, sentences.ROMAJI_GUESSED)
        if guessed:
            draft.checks["prefecture"] = sentences.prefecture_guessed(place.name, place.prefecture)
    position = _first(notice.section(POSITION))
    if position:
        fields["position"] = _found(position[1], _COUNT.sub("", position[0]).strip(" 　：:"), position[0])
    roles, unknown = find_roles(notice, glossary, position[1] if position else None)
    fields["roles"] = [_found(line, name, said) for name, line, said in roles]
    if unknown:
        draft.checks["roles"] = sentences.role_not_in_glossary(unknown)
    forms = find_terms(notice.lines, glossary, "appointment_forms")
    fields["appointment_forms"] = [_found(line, name, said) for name, line, said in forms]
    department = _first(notice.section(DEPARTMENT))
    if department:
        fields["department"] = _found(department[1], department[0])
    term = find_term(notice)
    if term:
        months = sentences.term_months(term.months) if term.months else sentences.TERM_MONTHS_UNREAD
        renewal = sentences.TERM_RENEWAL[term.renewal]
        fields["term"] = Found(term.as_written, " / ".join(ln.sentence() for ln in term.lines), months + renewal)
        draft.term_months, draft.renewal = term.months, term.renewal
        if term.doubt:
            draft.checks["term"] = sentences.term_not_months(term.doubt)
    role_names = [name for name, _, _ in roles]
    pays = find_pay(notice, role_names)
    fields["compensation"] = _compensation(pays)
    doubts = _pay_doubts(pays)
    if doubts:
        draft.checks["compensation"] = sentences.pay_not_yearly(doubts)
    work = find_work(notice)
    if work:
        value = {"as_written": work.as_written, "onsite_days_per_week": work.onsite_days_per_week,
                 "remote": work.remote}
        fields["work_style"] = Found({k: v for k, v in value.items() if v is not None}, work.evidence)
    fields["duties"] = _duties(notice)
    selection = notice.section(SELECTION, exclude=("日程", "期限", "会場", "日時", "結果"))
    if selection and section_text(selection):
        fields["selection"] = Found(section_text(selection), selection.evidence())
    qualification = notice.section(QUALIFICATION)
    if qualification and section_text(qualification, 6):
        draft.qualification = Found(section_text(qualification, 6), qualification.evidence())
    period = _recruitment_period(notice)
    if period:
        fields["recruitment_period"] = _found(period[1], period[0], period[0])
    as_of, as_of_line = find_as_of(notice, published)
    if as_of:
        fields["as_of"] = Found(as_of, as_of_line.sentence() if as_of_line else None,
                                None if as_of_line else sentences.AS_OF_FROM_METADATA)
    source_title = _clean_title(title or notice.title, {p.name for p in all_places()})
    if source_title:
        fields["source.title"] = Found(source_title, None, sentences.TITLE_FROM_DOCUMENT)
    contact, contact_line = find_contact(notice, place.name if place else None)
    if place:
        fields["source.publisher"] = _found(contact_line or place_line,
                                            f"{place.name} {contact}" if contact else place.name)
    link = url or next((m.group() for ln in notice.lines for m in URL.finditer(ln.text)), None)
    if link:
        fields["source.url"] = (Found(link, None, sentences.URL_FROM_DOCUMENT) if url else
                                _found(next(ln for ln in notice.lines if link in ln.text), link, link))
    _identity(draft, fields, notice, place, role_names, [name for name, _, _ in forms])
    draft.fields = fields
    draft.overview = _overview(notice)
    return draft


def _identity(draft: Draft, fields: dict, notice: NoticeText, place, roles: list[str], forms: list[str]) -> None:
    """The id and the title, composed from the place, the roles and whether it is a 委託."""
    if place and roles:
        record_id = slug(place, roles, forms)
        if record_id:
            fields["id"] = Found(record_id, None, sentences.id_guessed(place.name, roles[0], record_id))
        where = place.name if place.is_prefecture else f"{place.name}（{place.prefecture}）"
        spacer = " " if place.is_prefecture else ""
        if "業務委託" in forms or "公募型プロポーザル" in forms:
            named = _first(notice.section(WORK_NAME))
            work = named[0].removeprefix(place.name).strip() if named else f"{roles[0]}業務"
            fields["title"] = Found(f"{where}{spacer}{work}の委託", notice.title)
        else:
            fields["title"] = Found(f"{where}{spacer}{'・'.join(roles)}の募集", notice.title)


def _compensation(pays: list[Pay]) -> list[Found]:
    """Each amount of pay, with what the schema cannot hold (日額, 税込み) said in a comment."""
    found = []
    for pay in pays:
        value = {"role": pay.role, "as_written": pay.as_written, "amount_yen": pay.amount_yen,
                 "period": pay.period if pay.period in ("year", "month", "contract", "total") else None}
        notes = [sentences.PAY_PERIOD_NOTES.get(pay.period or "", "")]
        notes += [sentences.PAY_TAX_NOTES.get(pay.tax or "", "")]
        notes += [sentences.PAY_RANGE_NO_AMOUNT if pay.amount_yen is None else ""]
        found.append(_found(pay.line, {k: v for k, v in value.items() if v is not None}, pay.as_written,
                            "、".join(n for n in notes if n) or None))
    return found


def _pay_doubts(pays: list[Pay]) -> list[str]:
    """Why a drafted pay would not be compared as a yearly figure (amounts.pay_doubt)."""
    found = []
    for pay in pays:
        if pay.period in ("day", "hour"):
            found.append(sentences.PAY_BY_DAY)
        elif pay.period in (None, "year", "month"):
            found.append(pay_doubt(pay.as_written, pay.amount_yen, pay.period))
    return list(dict.fromkeys(d for d in found if d))


def _duties(notice: NoticeText) -> list[Found]:
    """The duties section's items; one line of 、-separated phrases is split into them."""
    duties = notice.section(DUTIES)
    if not duties:
        return []
    items = [ln for ln in duties.items() if ln.body and not re.search(r"次のとおり|別紙|仕様書のとおり", ln.body)]
    if not items and duties.head.value:
        items = [duties.head]
    texts = [(ln, (ln.value if ln is duties.head else ln.body).rstrip("。")) for ln in items[:12]]
    if len(texts) == 1 and "。" not in texts[0][1] and all(len(p) >= 6 for p in texts[0][1].split("、")):
        texts = [(texts[0][0], part) for part in texts[0][1].split("、")]  # 「相談対応、教室の企画運営」
    return [_found(ln, text, text) for ln, text in texts]


def _recruitment_period(notice: NoticeText) -> tuple[str, Line] | None:
    """The 募集期間 as written; a deadline's label is kept (「参加表明書の提出期限 令和7年6月6日」)."""
    period = notice.section(PERIOD)
    first = _first(period)
    if first:
        generic = "期間" in narrow(period.head.label) or (first[1] is not period.head and not period.head.value)
        return (first[0] if generic else f"{period.head.label} {first[0]}"), first[1]
    return _deadline(notice)


def _deadline(notice: NoticeText) -> tuple[str, Line] | None:
    """A deadline written in a sentence (「…受け付けます（締切：2026年3月31日（火））」)."""
    for line in notice.lines:
        flat = narrow(line.text)
        for match in _DEADLINE.finditer(flat):
            written = next((w for w, _ in find_dates(flat[match.end():match.end() + 40])
                            if flat[match.end():].startswith(w)), None)
            if written:
                return line.text[match.start():match.end() + len(written)], line
    return None


def _overview(notice: NoticeText) -> list[str]:
    """The notice's main paragraphs: its 趣旨・目的 section, else its first paragraphs of prose."""
    section = notice.section(PURPOSE, exclude=("業務", "募集の概要"))
    lines = section.texts() if section else [ln.text for ln in notice.head(12)]
    prose = [text for text in lines if len(text) >= 30 and "。" in text]
    return prose[:2]
