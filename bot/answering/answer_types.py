"""What kind of answer a question expects, read from its question words: いくら wants an amount,
いつ a date, 年齢 an age, 何人 a count of people, 誰 a person or post, どこ an organisation, 割合 a share, 〜とは a
definition. Each type also knows what such an answer looks like in a sentence, so that the
sentence chosen as the direct answer holds the asked kind of fact (bot/answering/extraction.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from hosakan.indexer.analysis import chunks, sudachi

_NUMBER = r"[0-9０-９][0-9０-９,，.．]*"
_COUNTERS = "人|名|団体|社|件|問|回|業務|か所|箇所|自治体|市町村|都道府県|府県|者|日|時間|校|課"


@dataclass(frozen=True)
class AnswerType:
    name: str
    asked: re.Pattern  # the question words that ask for it
    looks: re.Pattern | None  # what it looks like in a sentence (None: the sentence itself says so)

    @property
    def seen(self) -> bool:
        """Whether a sentence can be told to hold such an answer (a look, or a personal name)."""
        return self.looks is not None or self.name == "name"

    @property
    def word(self) -> str | None:
        """The plain question word that asks for it (誰 for a person): what a follow-up that names
        only another post is read with (None: a kind no follow-up carries)."""
        return QUESTION_WORDS.get(self.name)


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# who won a contract, in English: asks for the winner (contractor), not for a person
_WON = r"won|was awarded|got the contract"
# In order: the first whose question words a question holds is its type (誰 is a person's before a
# contractor's: 「受託者は誰？」 asks who).
TYPES = (
    AnswerType("percent", _p(r"割合|何\s*[%％]|何割|パーセント|比率|どのくらいの率|何パー"),
               _p(rf"{_NUMBER}\s*[%％]|[0-9]+割")),
    AnswerType("amount", _p(r"いくら|幾ら|金額|何円|何万円|予定価格|上限|委託料|費用|予算(?!化)|報酬|給与|給料"
                            r"|月給|年俸|時給|謝礼|年収|月収|月額|how much"
                            r"|\b(?:salary|pay|paid|fee|cost|price|budget|ceiling|wage)\b"),
               _p(rf"{_NUMBER}\s*(?:万|千|億)?\s*円|無報酬|無償|支給")),
    AnswerType("frequency", _p(r"頻度|何回|ペース|how often"
                               r"|(?:どの|どれ)くらい(?:の割合で)?\s*(?:来|出勤|登庁|通|顔|働|勤務)"),
               _p(rf"(?:月|週|年|日)\s*{_NUMBER}\s*(?:回|日|度)|毎[月週年日]|{_NUMBER}\s*回|随時|常勤")),
    AnswerType("age", _p(r"年齢|何歳|how old|\bage\b"),
               _p(rf"{_NUMBER}\s*歳|年齢(?:制限|要件)?(?:は|を)?(?:問[わいう]|不問|なし)")),
    # a post's grade (次長級, 主幹級): 何級, その格 (not the 格 of 価格, 資格, 規格)
    AnswerType("grade", _p(r"何級|どの級|職級|(?<![価資規性合人欠適失昇降体厳])格(?:は|って|付け|が)|ランク"),
               _p(r"(?:[0-9０-９]{1,2}|[一-龥]{1,3})級")),
    AnswerType("count", _p(rf"何\s*(?:{_COUNTERS})|いくつ|何個|どれくらいの数|(?:者|人|件|団体)数|how many"),
               _p(rf"{_NUMBER}\s*(?:{_COUNTERS})")),
    AnswerType("period", _p(r"任期|期間|何年間|何か月|何ヶ月|何カ月|いつまで|how long"),
               # a length (3年, 6か月), not a year (2022年), or a span of days (1月12日（火）〜1月26日)
               _p(r"(?<![0-9０-９])(?<!令和)(?<!平成)(?<!昭和)[0-9０-９]{1,2}(?:[.．][0-9０-９]+)?\s*"
                  r"(?:年|か月|ヶ月|カ月|ヵ月|箇月|日間|週間)"
                  r"|[0-9０-９]日\s*(?:[（(][^）)]{1,3}[）)])?\s*[〜～~]|年度末|会計年度(?!任用)"
                  # until a month's end (12月末まで), or no term set (任期は定めない)
                  # (not 「任期の定めのない常勤職員」: a form of appointment's name)
                  r"|[0-9０-９]{1,2}\s*月末|(?:任期|期間|期限)(?:は|を)?(?:特に)?(?:定めない|定めず|設けない|なし)")),
    AnswerType("date", _p(r"いつ|時期|何月|何年に|何日に|締切|締め切|期限|何年度|when"),
               _p(rf"(?:令和|平成|昭和)\s*(?:{_NUMBER}|元)\s*年|[0-9０-９]{{4}}\s*年|{_NUMBER}\s*月|年度末|上旬|中旬|下旬")),
    # a person's name (氏名, CDOの名前, 誰が採用された): a sentence holds one when word analysis
    # finds a personal name in it (瀬谷 真), whatever post it names
    AnswerType("name", _p(r"氏名|お名前|(?:長|官|知事|執筆者|筆者|CIO|CDO|CTO|人|さん)の?名前|名前は(?:誰|だれ|何|なに)"
                          r"|誰が(?:採用|選ばれ|就任|委嘱|任命)"), None),
    # who, or who holds a chair the question ends on (委員長は？ of a 要綱: 「委員長は、副町長をもって充てる」)
    AnswerType("person", _p(rf"誰|だれ|どなた|何者|who(?! (?:{_WON}))"
                            r"|(?:本部長|委員長|議長|会長|座長)(?:は|って)?\s*[？?]?\s*$"),
               _p(r"副市長|市長|副知事|知事|町長|村長|部長|課長|局長|社長|取締役|社員|氏|委員|(?:が|を)務め"
                  r"|をもって(?:充|あ)て|を充て")),
    # how someone is chosen (選考, 公募型プロポーザル, 一般受験): どうやって決める, どういうやり方で選ぶ (the
    # verb is needed: どういうルートで相談できる asks no selection, nor 何で (why) alone)
    AnswerType("selection", _p(r"(?:どう|どうやって|どのように|どういう(?:方法|やり方|形|ルート|試験)"
                               r"|どんな(?:方法|やり方|試験|選考))(?:で)?"
                               r"(?:選|決め|決ま|採用|入札|入社|入庁|入っ|雇|任用|任命|選任|募|選考)"
                               r"|選考方法|選定方法|選び方|採用方法"
                               r"|how (?:are|is|was|were|do|does|did)\b.{0,40}"
                               r"\b(?:chosen|selected|picked|hired|recruited|choose|select)"),
               _p(r"公募|プロポーザル|選考|選定|審査|試験|受験|面接|入札|随意契約|推薦|指名|委嘱|発令")),
    # who won a contract or a call (受託した会社, どこに決まった, who won): a company's name, which a record
    # that only calls for proposals does not hold (a kind judged "not stated" then; 何の会社 is not asked so)
    AnswerType("contractor", _p(r"(?:どこ|どの(?:会社|事業者|企業)|会社|事業者|企業|業者)(?:が|に|は)?.{0,6}?"
                                r"(?:受託|落札|受け(?:た|て)|取った|取れた|決ま|請け負っ|選ばれ|契約し)"
                                r"|(?:受託|落札|受け|取っ|請け負っ|決まっ)[^？?、。]{0,6}(?:会社|事業者|企業|業者|先|どこ)"
                                r"|委託先(?:は|って|が)?どこ|受託者(?:は|って)?(?:どこ|[？?]|$)|最優秀"
                                r"|(?:一番|1位|トップ)に?(?:なっ|選ばれ)た(?:会社|事業者|企業)"
                                r"|\b(?:which|what) (?:company|firm|vendor|business)\b.{0,30}"
                                r"\b(?:won|win|awarded|contract|selected|chosen)"
                                rf"|\bwho (?:{_WON})"),
               _p(r"株式会社|有限会社|合同会社|[(]株[)]|㈱|法人|支店|[ァ-ヴ]{2,}社(?!会|員|内|外)")),
    AnswerType("organisation", _p(r"どこ(?!で)|どの部署|部署|どの課|何課|どの組織|組織|名前|名称|会社|事業者|受託"
                                  r"|which company|where"),
               _p(r"株式会社|会社|支店|法人|課|部|局|室|センター|本部|協会|機構|省|庁")),
    AnswerType("reason", _p(r"なぜ|どうして|理由|きっかけ|目的|何のため|なんのため|why"),
               _p(r"ため|契機|目的|きっかけ|理由|ことから|を図る|を目指")),
    # what to do about a problem: the remedy a report proposes (対応案：…が必要ではないか); after
    # organisation and reason: 「セキュリティ対策を担当する部署は？」 asks a department
    AnswerType("remedy", _p(r"どう(?:やって)?(?:防|避け|対応|対処|解決)|どうすれば|どうしたら|どうすべき|すべき[？?]"
                            r"|対策(?:は|を|として|って)|どんな対策|対応策|対応案|解決策|防ぐには|防止策|手を打"
                            r"|how (?:to|can|could|should)\b.{0,30}\b(?:prevent|avoid|solve|address|handle|fix)"),
               _p(r"対応案|対策|必要ではないか|べきではないか|べきである|ことが考えられる")),
    AnswerType("definition", _p(r"とは|って何|ってなに|って[？?]|どんな|どういう|役割|何をする|立場"
                                r"|what is"), None),
    AnswerType("yesno", _p(r"(?:できる|できます|でき|可能|ある|あります|あり|OK|ok|いい|よい|必要|出る|出ます)"
                           r"(?:の|ん)?(?:です)?(?:か)?[？?]?\s*$|ありました|かどうか"),
               None),
)
BY_NAME = {t.name: t for t in TYPES}
# each kind's plain question word, one its own ``asked`` reads as that kind and no record states
QUESTION_WORDS = {"percent": "何割", "amount": "いくら", "frequency": "何回", "age": "何歳", "grade": "何級",
                  "count": "いくつ", "period": "何年間", "date": "いつ", "name": "名前は何", "person": "誰",
                  "organisation": "どこ", "reason": "なぜ"}
SUPERLATIVE = _p(r"一番|いちばん|最も|もっとも|最多|トップ|多いのは|多かった|highest|most")
FEWEST = _p(r"少な|最少|最低|低い|least|fewest|lowest")  # with SUPERLATIVE: the least, not the most
_COUNTER = re.compile(rf"何\s*({_COUNTERS})")
# the counters that count the same things: 何人 is answered by 「10名以内」
_SAME_COUNTER = {"人": "人|名", "名": "人|名", "社": "社|者|事業者", "団体": "団体|自治体|市町村"}


def expected(question: str) -> AnswerType | None:
    """The answer type a question asks for, or None (an overview, a topic)."""
    text = unicodedata.normalize("NFKC", question)
    return next((t for t in TYPES if t.asked.search(text)), None)


def counter(question: str) -> str | None:
    """The counter a 何X question asks with: 人 of 何人, 社 of 何社."""
    found = _COUNTER.search(unicodedata.normalize("NFKC", question))
    return found.group(1) if found else None


def holds(kind: AnswerType | None, sentence: str, question: str = "") -> bool:
    """Whether a sentence holds an answer of this type (never, for types without a look)."""
    if kind is not None and kind.name == "name":
        return _names_someone(sentence)
    if kind is None or kind.looks is None:
        return False
    text = unicodedata.normalize("NFKC", sentence)
    if kind.name == "count" and (unit := counter(question)):
        units = _SAME_COUNTER.get(unit, re.escape(unit))
        return bool(re.search(rf"{_NUMBER}\s*(?:{units})", text))
    return bool(kind.looks.search(text))


@lru_cache(maxsize=4096)
def _names_someone(sentence: str) -> bool:
    """Whether a sentence holds a personal name written in kanji (Sudachi's 人名: 瀬谷, 真; not the
    ミエ of クリ"ミエ"イティブ)."""
    return any(m.part_of_speech()[2] == "人名" and _KANJI.search(m.surface())
               for _, piece in chunks(sentence) for m in sudachi().tokenize(piece))


_KANJI = re.compile(r"[\u4e00-\u9fff]")
