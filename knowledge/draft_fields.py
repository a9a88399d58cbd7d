"""Who and when, drafted from a notice: the municipality (from the real place list), the roles and
appointment forms (as the glossary names them), the 担当課, the notice's date, and the id."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

from hosakan.knowledge.dates import find_dates
from hosakan.knowledge.draft_text import URL, Line, NoticeText, narrow
from hosakan.knowledge.glossary import Glossary
from hosakan.knowledge.places import Place, all_places

# Ways notices write a form that the glossary's variants do not spell (地方公務員法第3条第3項第3号
# の特別職、非常勤の特別職), and surfaces too loose to trust alone (常勤 in 非常勤, 会計年度 of a budget).
_EXTRA_FORMS = {"特別職非常勤職員": ["特別職の非常勤職員", "非常勤の特別職", "特別職の非常勤", "第3条第3項第3号"],
                "会計年度任用職員": ["会計年度任用"]}
_LOOSE = {"常勤": r"(?<!非)常勤(?!の特別職)", "会計年度": r"会計年度(?=任用)", "委託": r"(?<!再)委託",
          "プロポーザル": r"(?<!指名型)(?<!指名)プロポーザル"}
_ROLE_LIKE = re.compile(r"[A-Za-zァ-ヴー一-龥]*"
                        r"(?:アドバイザー|補佐官|責任者|推進監|統括監|専門官|マネージャー|フェロー)")
_ORG = re.compile(r"[^\s、。（）()：:]*?(?:部|局|室|課|係|班|グループ|センター)"
                  r"(?:\s*[^\s、。（）()：:]*?(?:部|局|室|課|係|班|グループ|センター))*")
_DATED = re.compile(r"(?:掲載|公表|公告|更新|発行|作成|公開|最終更新)日?")
CONTACT = ("問合せ先", "問い合わせ先", "お問い合わせ", "お問合せ", "問合せ", "問い合わせ", "連絡先", "担当課",
           "担当部署", "事務局", "提出先", "申込先")
_SUFFIX = {"市": ("シ", "City"), "区": ("ク", "City"), "町": ("チョウ", "Town"), "村": ("ムラ", "Village"),
           "県": ("ケン", "Prefecture"), "府": ("フ", "Prefecture"), "都": ("ト", "Metropolis")}
_ROLE_SLUG = {"CIO": "cio", "CIO補佐官": "cio-hosakan", "CDO": "cdo", "CDO補佐官": "cdo-hosakan",
              "CISO補佐官": "ciso-hosakan", "地域DXマネージャー": "dx-manager", "情報化推進支援員": "it-supporter",
              "デジタル専門人材": "digital-talent"}


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, list[Place]], re.Pattern]:
    by_name: dict[str, list[Place]] = {}
    for place in all_places():
        by_name.setdefault(place.name, []).append(place)
    names = sorted(by_name, key=len, reverse=True)
    return by_name, re.compile("|".join(map(re.escape, names)))


def find_place(notice: NoticeText) -> tuple[Place | None, Line | None, bool]:
    """(the place the notice is from, the line naming it, whether its prefecture was a guess): the
    title first, then the first lines, the 担当課, the whole text; a municipality before a prefecture."""
    by_name, pattern = _places()
    contact = notice.under(CONTACT)
    title = Line(-1, notice.title, body=notice.title)
    for lines in ([title], notice.head(6), [ln for ln in notice.lines if ln.index in contact], notice.lines):
        found = [(m.group(), line) for line in lines for m in pattern.finditer(line.text)]
        towns = [(name, line) for name, line in found if not by_name[name][0].is_prefecture]
        name, line = (towns or found or [(None, None)])[0]
        if name is None:
            continue
        candidates = by_name[name]
        if len(candidates) == 1:
            return candidates[0], line, False
        text = "\n".join(ln.text for ln in notice.lines) + notice.title
        for place in candidates:  # 広島県府中市 written somewhere
            if place.prefecture + name in text or re.search(re.escape(place.prefecture) + r"\S{1,6}郡" + name, text):
                return place, line, False
        named = [p for p in candidates if p.prefecture in text]
        return (named or candidates)[0], line, len(named) != 1
    return None, None, False


def reading(place: Place) -> str:
    return jaconv.kata2hira(place.kana)


def _stem_romaji(place: Place) -> tuple[str, str]:
    kana, word = place.kana, ""
    suffix = _SUFFIX.get(place.name[-1])
    if place.name == "北海道":
        kana = "ホッカイドウ"
    elif suffix:
        word = suffix[1]
        for ending in (suffix[0], "マチ", "ソン"):
            if kana.endswith(ending) and len(kana) > len(ending):
                kana = kana[:-len(ending)]
                break
    latin = jaconv.kana2alphabet(jaconv.kata2hira(kana)).lower()
    latin = re.sub(r"ou|oo", "o", re.sub(r"uu", "u", latin))
    return latin, word


def romaji(place: Place) -> str:
    latin, word = _stem_romaji(place)
    return f"{latin.capitalize()} {word}".strip()


def slug(place: Place, roles: list[str], forms: list[str]) -> str | None:
    latin, word = _stem_romaji(place)
    kind = {"City": "city", "Town": "town", "Village": "village", "Prefecture": "pref", "Metropolis": "metro"}.get(word)
    role = _ROLE_SLUG.get(roles[0]) if roles else None
    if not role:
        return None
    if "業務委託" in forms and role.endswith("-hosakan"):
        role = role.replace("-hosakan", "-support")
    slug_text = "-".join(x for x in (re.sub(r"[^a-z0-9]", "", latin), kind, role) if x)
    return slug_text if re.match(r"^[a-z0-9][a-z0-9-]*$", slug_text) else None


def _vocabulary(glossary: Glossary, field: str) -> list[tuple[str, str]]:
    """(regex, canonical name) for every name and variant, longest first."""
    table = getattr(glossary, field)
    pairs = [(name, name) for name in table] + [(v, name) for name, variants in table.items() for v in variants]
    pairs += [(v, name) for name, variants in (_EXTRA_FORMS if field == "appointment_forms" else {}).items()
              for v in variants if name in table]
    out = []
    for surface, name in sorted(pairs, key=lambda p: len(p[0]), reverse=True):
        regex = _LOOSE.get(surface) or re.escape(surface)
        if re.search(r"[A-Za-z]$", surface):
            regex = rf"(?<![A-Za-z]){regex}(?![A-Za-z])"
        out.append((regex, name))
    return out


def find_terms(lines: list[Line], glossary: Glossary, field: str) -> list[tuple[str, Line, str]]:
    """(canonical name, the first line naming it, the words written) in order of first mention;
    a role's base (CIO) is dropped where its 補佐官 is named too."""
    compiled = re.compile("|".join(f"(?P<g{i}>{regex})" for i, (regex, _) in enumerate(_vocabulary(glossary, field))),
                          re.IGNORECASE)
    names = [name for _, name in _vocabulary(glossary, field)]
    found: dict[str, tuple[Line, str]] = {}
    for line in lines:
        for match in compiled.finditer(URL.sub(" ", narrow(line.text))):
            found.setdefault(names[int(match.lastgroup[1:])], (line, match.group()))
    return [(name, line, said) for name, (line, said) in found.items() if f"{name}補佐官" not in found]


def find_roles(notice: NoticeText, glossary: Glossary,
               position: Line | None) -> tuple[list[tuple[str, Line, str]], str | None]:
    """The roles the notice recruits for: those its title names, else its 募集職種, its first lines
    or its whole text; and a role-like title word the glossary lacks (DX推進アドバイザー), if any."""
    title = Line(-1, notice.title, body=notice.title)
    for lines in ([title], [position] if position else [], notice.head(6), notice.lines):
        roles = find_terms(lines, glossary, "roles")
        if roles:
            break
    words = [_places()[1].sub("", w) for w in _ROLE_LIKE.findall(narrow(notice.title))]
    unknown = [w for w in words if w and not find_terms([Line(-1, w)], glossary, "roles")]
    return roles, unknown[0] if unknown else None


_IN_CHARGE = re.compile(r"(?:^|[\s(（【［\[])担当(?:課|部署|部局|部課|所属)?(?:名)?\s*(?:[:：】］\]]|\s)\s*(?P<org>.+)")
_NOT_ORG = re.compile(r"[（(〒]|電話|TEL|FAX|メール|内線|℡")
_HEAD_OF = re.compile(r"(?<=[部局室課係班])長(?:\s+\S{1,10})?$")  # 坂井市総務部デジタル推進課長 山田太郎
_ENQUIRY = ("問合せ先", "問い合わせ先", "お問い合わせ", "お問合せ", "問合せ", "問い合わせ", "連絡先", "担当課",
            "担当部署", "事務局")


def _org(text: str, municipality: str | None) -> str | None:
    """``text`` as a department (総務部 情報政策課), the municipality, a 長 and contact details set aside."""
    text = _NOT_ORG.split(text)[0].strip(" 　：:】）)")
    if municipality and text.startswith(municipality):
        text = re.sub(r"^(?:役所|役場|庁)", "", text[len(municipality):]).strip()
    text = _HEAD_OF.sub("", text).strip()
    return text if text and _ORG.fullmatch(text) and not re.search(r"[0-9]", text) else None


def _header(notice: NoticeText) -> list[Line]:
    """The lines above the notice's first item: its title, date, number and issuing department."""
    out = []
    for line in notice.head(6):
        if line.kind and line.kind not in ("plain", "md1") and out:
            break
        out.append(line)
    return out


def find_contact(notice: NoticeText, municipality: str | None) -> tuple[str | None, Line | None]:
    """The 担当課 as written (総務部 情報政策課): one named as 担当 anywhere (担当：デジタル推進課,
    （担当：総務部デジタル推進課）); else the issuing department in the header (the lines above the
    first item: 「令和8年6月1日 / 坂井市総務部デジタル推進課」), or the enquiries section's when that
    one is the same department more precisely (… 人事課 人事係); else the enquiries and submission
    sections; else a line where the municipality is followed by a department (つくば市 政策イノベーション部 …)."""
    for line in notice.lines:
        match = _IN_CHARGE.search(narrow(line.text))
        org = _org(line.text[match.start("org"):], municipality) if match else None
        if org:
            return org, line
    named = re.compile(re.escape(municipality) + r"(?:役所|役場|庁)?\s*(?P<org>" + _ORG.pattern +
                       r")(?=$|[\s（(、。：:]|電話|TEL|長)") if municipality else None

    def department(line: Line) -> str | None:
        match = named.search(line.text) if named else None
        if match and not re.search(r"[0-9]", match.group("org")):
            return match.group("org").strip()
        labelled = line.label and any(c in line.label for c in CONTACT)
        return _org(line.value if labelled else line.body, municipality)

    enquiries = [line for label in _ENQUIRY for s in notice.sections((label,)) for line in s.all]
    sections = [line for label in CONTACT for s in notice.sections((label,)) for line in s.all]
    in_sections = [(org, line) for line in {id(ln): ln for ln in [*enquiries, *sections]}.values()
                   if (org := department(line))]
    header = next(((org, line) for line in _header(notice) if (org := department(line))), None)
    if header:
        flat = re.sub(r"\s", "", header[0])
        return next((found for found in in_sections if found[1] in enquiries
                     and re.sub(r"\s", "", found[0]).startswith(flat)), header)
    if in_sections:
        return in_sections[0]
    for line in notice.lines:
        match = named.search(line.text) if named else None
        if match and not re.search(r"[0-9]", match.group("org")):
            return match.group("org").strip(), line
    return None, None


def find_as_of(notice: NoticeText, published: str | None) -> tuple[str | None, Line | None]:
    """The notice's own date: 掲載日・公告日 …, else a date opening one of its first lines."""
    from hosakan.knowledge.dates import parse_date

    if published and parse_date(published):
        return parse_date(published), None
    for lines, opening in ((notice.lines, False), (notice.head(6), True)):
        for line in lines:
            flat = unicodedata.normalize("NFKC", line.text).lstrip("#* ")
            for written, canonical in find_dates(flat):
                at = flat.find(written)
                before, after = flat[max(0, at - 8):at], flat[at + len(written):at + len(written) + 4]
                dated = re.search(_DATED.pattern + r"\s*[:：]?\s*$", before) or re.match(r"\s*" + _DATED.pattern, after)
                if dated or (opening and at == 0):
                    return canonical, line
    return None, None
