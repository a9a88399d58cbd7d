"""Pay, term and work style, drafted from a notice (knowledge/draft.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hosakan.knowledge.amounts import parse_yen, read_term
from hosakan.knowledge.draft_text import Line, NoticeText, Section, join, narrow

PAY_LABELS = ("報酬", "給与", "給料", "年収", "待遇", "処遇", "賃金", "委託料", "予定価格", "提案上限額", "提案限度額",
              "上限額", "限度額")
_NOT_PAY = ("参加資格", "応募資格", "資格", "実績", "提出書類", "保証金", "失格")
_AMOUNT = re.compile(r"(?P<pre>約|概ね|おおむね|金)?"
                     r"\s*(?<![0-9])(?<![0-9],)(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:億\s*[0-9][0-9,]*\s*)?[億万千]?)\s*円")
_CLAUSE_REACH = 300  # an amount's words are in its clause, read no further back: a line's cost stays linear
_RANGE = re.compile(r"^\s*(?:~|～|〜|から|-)\s*")
_PERIODS = [  # (period in the schema, or a word for one it has not; the words before an amount)
    ("month", r"月額|月給|月収|月当たり|1か月あたり|1ヶ月あたり|毎月"),
    ("day", r"日額|日給|1日あたり|1日につき"),
    ("hour", r"時給|時間額|時間給|1時間あたり"),
    ("year", r"年額|想定年収|年収|年俸|年間報酬"),
    ("contract", r"予定価格|提案上限額|委託上限額|見積上限額|契約上限額|上限額|限度額|業務委託料|委託料|契約金額"
                 r"|契約額|提案価格"),
    ("total", r"総額"),
]
_GENERIC = r"報酬|給与|給料|賃金|謝金|謝礼|報償"
_EXCLUDED = re.compile(r"手当|旅費|交通費|通勤|保証|資本金|実績|売上")
_TAX = re.compile(r"消費税(?:及び地方消費税)?(?:の額)?を含(?:む|み)|税込|消費税込"
                  r"|(?P<out>消費税(?:及び地方消費税)?(?:の額)?を含まない|税抜|税別)")
TERM_LABELS = ("任期", "任用期間", "委嘱期間", "雇用期間", "契約期間", "履行期間", "委託期間", "業務期間",
               "勤務期間")
_TERM_WORDS = re.compile(r"(?<!任期付)(?:任期(?!付)|期間|から|まで|年間|か月|ヶ月|カ月|更新|延長|再任|再委嘱"
                         r"|再度の任用|締結)")
_RENEWAL = re.compile(r"更新|再任|再委嘱|延長|再度の任用|再度任用")
_NO_RENEWAL = re.compile(r"(?:更新|再任|延長)(?:は|を)?(?:しない|しません|ありません|なし)")
WORK_LABELS = ("勤務形態", "勤務日数", "勤務日時", "勤務日", "勤務方法", "働き方", "勤務体制", "勤務体系", "勤務時間",
               "実施方法", "勤務")
_NOT_WORK = ("勤務場所", "勤務地", "勤務内容", "勤務条件")
_ONSITE = r"登庁|来庁|出勤|出庁|庁舎|市役所|県庁|役場|対面|現地"
_REMOTE = r"テレワーク|リモート|在宅|オンライン|遠隔|Web会議|web会議"
_FREQUENCY = re.compile(r"(?P<unit>週|1週につき|毎週|月|四半期に?|年)\s*(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?:日|回)")
_PER_WEEK = {"月": 4, "四": 13, "年": 52}  # weeks in the unit (a month counts 4: 月1回 is 0.25)


@dataclass
class Pay:
    as_written: str
    amount_yen: int | None
    period: str | None          # year | month | contract | total, or day | hour (the schema has neither)
    tax: str | None             # included | excluded, when the notice says
    line: Line
    role: str | None = None


def _period(prefix: str) -> tuple[str | None, int | None]:
    """The period the words nearest before an amount name, and where those words start."""
    best, contract = (None, None), None
    for period, words in _PERIODS:
        for match in re.finditer(words, prefix):
            if best[1] is None or match.start() > best[1]:
                best = (period, match.start())
            if period == "contract" and contract is None:
                contract = match.start()
    if best[0] == "total" and contract is not None:  # 提案限度額 総額 …円: a contract's ceiling
        return "contract", contract
    return best


def _closing(text: str, start: int) -> int:
    """The end of a bracket opened at ``start`` (（…）), or ``start`` when none opens there."""
    if start >= len(text) or text[start] not in "(（":
        return start
    depth = 0
    for index in range(start, len(text)):
        depth += {"(": 1, "（": 1, ")": -1, "）": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return start


def find_pay(notice: NoticeText, roles: list[str]) -> list[Pay]:
    excluded = notice.under(_NOT_PAY)
    paid = notice.under(PAY_LABELS)
    found: list[Pay] = []
    for line in notice.lines:
        if line.index in excluded:
            continue
        flat = narrow(line.text)
        covered = 0  # the end of the last item drafted from this line
        for match in _AMOUNT.finditer(flat):
            if match.start() < covered:
                continue
            reach = max(0, match.start() - _CLAUSE_REACH)
            stop = max(flat.rfind("。", reach, match.start()), flat.rfind("、", reach, match.start()))
            clause_start = max(stop + 1, reach)
            prefix = flat[clause_start:match.start()]
            if _EXCLUDED.search(prefix) or flat[match.end():match.end() + 2].startswith("以上"):
                continue
            period, at = _period(prefix)
            generic = list(re.finditer(_GENERIC, prefix))
            if period is None and not generic and line.index not in paid:
                continue
            words = at if at is not None else generic[-1].start() if generic else match.start() - clause_start
            start = clause_start + words
            before = re.search(rf"(?:{_GENERIC})\s*$", flat[clause_start:start])
            start = clause_start + before.start() if before else start  # 給料月額 …
            end, amount = match.end(), parse_yen(match.group("num").replace(" ", "") + "円")
            ranged = _RANGE.match(flat[end:])
            if ranged and _AMOUNT.match(flat[end + ranged.end():]):
                end, amount = end + ranged.end() + _AMOUNT.match(flat[end + ranged.end():]).end(), None
            end += len(re.match(r"(?:\s*(?:程度|前後|以内))?", flat[end:]).group())
            end = _closing(flat, end)
            written = line.text[start:end].strip()
            covered = end
            if any(p.as_written == written or (p.amount_yen, p.period) == (amount, period) != (None, None)
                   for p in found):
                continue
            tax = _TAX.search(flat[match.start():end + 40])
            role = next((r for r in roles if r in flat or r in narrow(line.label)), None) if len(roles) > 1 else None
            found.append(Pay(written, amount, period, ("excluded" if tax.group("out") else "included") if tax else None,
                             line, role))
    return found


@dataclass
class Term:
    as_written: str
    months: int | None
    renewal: bool | None
    lines: list[Line]
    doubt: str | None = None  # why the months are not read for sure (amounts.read_term)


def find_term(notice: NoticeText) -> Term | None:
    section = notice.section(TERM_LABELS)
    if section:
        mixed = not any(narrow(section.head.label).strip() == label for label in TERM_LABELS)
        lines = [ln for ln in section.all if (section.head.value if ln is section.head else ln.body)]
        texts = []
        for text in section.texts():
            sentences = re.findall(r"[^。]+。?", text) if mixed else [text]
            texts += [s for s in sentences if not mixed or _TERM_WORDS.search(narrow(s))]
    else:
        hit = next((ln for ln in notice.lines
                    if re.search(r"(?:任期|任用期間|契約期間|履行期間|委託期間)は", ln.text)), None)
        if hit is None:
            return None
        lines, texts = [hit], [next(s for s in re.findall(r"[^。]+。?", hit.text) if "は" in s)]
    written = join(texts)
    if not written:
        return None
    renewal = False if _NO_RENEWAL.search(written) else True if _RENEWAL.search(written) else None
    reading = read_term(written)  # the reading rankings give the record's term
    return Term(written, reading.months, renewal, lines, reading.doubt)


@dataclass
class Work:
    as_written: str
    onsite_days_per_week: float | None
    remote: bool | None
    evidence: str


def _onsite(text: str) -> tuple[float | None, bool | None]:
    flat = narrow(text)
    remote = bool(re.search(_REMOTE, flat)) and not re.search(
        rf"(?:{_REMOTE})[^。]{{0,6}}(?:不可|できません|ありません)", flat)
    weekly = ("週", "1週につき", "毎週")
    mentions = [(m.start(), m.end(), m.group("unit"), float(m.group("n"))) for m in _FREQUENCY.finditer(flat)]
    for part in re.finditer(r"うち\s*(?P<n>[0-9]+)\s*(?:日|回)", flat):  # 月4回程度（うち2回は登庁）: 月2回
        unit = next((u for start, end, u, _ in reversed(mentions) if end <= part.start()), None)
        if unit:
            mentions.append((part.start(), part.end(), unit, float(part.group("n"))))
    best: tuple[int, float] | None = None
    for start, end, unit, count in mentions:
        days = count / _PER_WEEK.get(unit[0], 1)
        near = [(m.start() - end if m.start() >= end else start - m.end(), kind)
                for kind, words in (("onsite", _ONSITE), ("remote", _REMOTE))
                for m in re.finditer(words, flat) if abs(m.start() - start) <= 16]
        distance, kind = min(near) if near else (None, None)
        if kind == "onsite" and (best is None or distance < best[0]):
            best = (distance, days)
        elif kind is None and not remote and unit in weekly and best is None:
            best = (99, days)
    onsite = None if best is None else round(best[1], 2)
    return (int(onsite) if onsite is not None and onsite.is_integer() else onsite), (True if remote else None)


def find_work(notice: NoticeText) -> Work | None:
    section = notice.section(WORK_LABELS, exclude=_NOT_WORK)
    if section:
        text = join(section.texts()[:2])
        line, evidence = section.head, section.evidence()
    else:
        line, text = None, ""
        for candidate in notice.lines:
            flat = narrow(candidate.text)
            match = _FREQUENCY.search(flat)
            if match and re.search(f"{_ONSITE}|{_REMOTE}", flat):
                inner = re.search(r"[(（]([^()（）]*" + re.escape(match.group()) + r"[^()（）]*)[)）]", flat)
                span = inner.span(1) if inner else next(m.span() for m in re.finditer(r"[^。]+。?", flat)
                                                        if m.start() <= match.start() < m.end())
                line, text = candidate, candidate.text[span[0]:span[1]].rstrip("。")
                evidence = candidate.sentence(text)
                break
        if line is None:
            return None
    onsite, remote = _onsite(text)
    return Work(text, onsite, remote, evidence)


def section_text(section: Section | None, limit: int = 4) -> str | None:
    return join(section.texts()[:limit]) or None if section else None
