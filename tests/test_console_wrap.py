"""Japanese line breaking for the console: lines fit the terminal, punctuation and brackets sit
where a Japanese reader expects them, and numbers, names and URLs are not torn apart."""

from __future__ import annotations

import time

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from hosakan.adapters.console.wrap import NO_END, NO_START, Wrapped, break_lines

URL = "https://www.city.komatsushima.lg.jp/kurashi/cio/recruit.html"
SENTENCES = [
    "大阪府のCIO補佐官の任期は2年（更新可、最長5年）で、報酬は月額30万円（税込み）です。",
    "出典：座談会（岡本高志（選挙ジャパン代表））、2025年3月",
    "小松島市の岡本高志さんは、2026年1月15日に約1,200万円の予算でDX推進計画（第2期）を策定し、"
    "職員1,234人の12.5%が研修に参加した。「デジタル化は手段であって目的ではない」と語る。",
    f"詳しくは徳島県小松島市のサイト（{URL}）をご覧ください。",
    "The CIO advisor (part-time) reviews DX plans every 3か月; 報酬は月額30万円、任期は最長5年です。",
    # a snippet cut short: Sudachi ends it with empty morphemes
    "官民共創の推進に関すること／その他大洲市最高デジタル責任者（…",
]
KEPT_WHOLE = ["月額30万円", "2026年1月15日", "2025年3月", "岡本高志さん", "岡本高志", "小松島市", "約1,200万円",
              "1,234人", "12.5%", "最長5年", "CIO", "part-time", "3か月", URL]
WIDTHS = [20, 21, 23, 26, 29, 33, 38, 44, 51, 60, 72, 85, 100]
INDENTS = [(0, None), (3, 0), (2, None), (4, 2)]


def contents(lines: list[str], indent: int, first_indent: int) -> list[str]:
    return [line[first_indent if i == 0 else indent:] for i, line in enumerate(lines)]


def cut_offsets(parts: list[str]) -> list[int]:
    """The offsets into the joined text where one line ends and the next begins."""
    offsets, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        offsets.append(at)
    return offsets


def with_brackets(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with the brackets and punctuation that may not be parted from it."""
    while start > 0 and text[start - 1] in NO_END:
        start -= 1
    while end < len(text) and text[end] in NO_START:
        end += 1
    return text[start:end]


@pytest.mark.parametrize("indent,first_indent", INDENTS)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("text", SENTENCES)
def test_lines_fit_keep_the_japanese_rules_and_lose_nothing(text, width, indent, first_indent):
    lines = break_lines(text, width, indent=indent, first_indent=first_indent)
    first = indent if first_indent is None else first_indent
    parts = contents(lines, indent, first)

    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(parts) == text
    assert all(part and not part[0].isspace() for part in parts), lines  # no empty line, indentation exact
    assert lines[0].startswith(" " * first) and all(line.startswith(" " * indent) for line in lines[1:])
    assert not any(part[0] in NO_START for part in parts[1:]), lines
    assert not any(part[-1] in NO_END for part in parts), lines
    for phrase in KEPT_WHOLE:
        start = text.find(phrase)
        while start >= 0:
            if cell_len(with_brackets(text, start, start + len(phrase))) > width - max(indent, first):
                break  # too wide for any line: cut as a last resort (tested below)
            assert not any(start < cut < start + len(phrase) for cut in cut_offsets(parts)), (phrase, lines)
            start = text.find(phrase, start + 1)


def test_the_sentences_do_put_the_rules_to_work():
    """Cutting by width alone would start lines with 、。） or end them with （ and split the
    numbers and names: the test above would catch a wrapper that did."""
    def by_width(text: str, width: int) -> list[str]:
        lines, line = [], ""
        for char in text:
            if cell_len(line + char) > width:
                lines.append(line)
                line = ""
            line += char
        return [*lines, line]

    starts, ends, torn = set(), set(), set()
    for text in SENTENCES:
        for width in WIDTHS:
            parts = by_width(text, width)
            starts |= {part[0] for part in parts[1:] if part[0] in NO_START}
            ends |= {part[-1] for part in parts if part[-1] in NO_END}
            torn |= {p for p in KEPT_WHOLE if p in text and any(
                text.find(p) < cut < text.find(p) + len(p) for cut in cut_offsets(parts))}
    assert {"、", "）"} <= starts and "（" in ends
    assert {"月額30万円", "2026年1月15日", "岡本高志", "小松島市", "約1,200万円"} <= torn


def test_a_citation_hangs_under_its_number():
    assert break_lines("1. " + SENTENCES[1], 33, indent=3, first_indent=0) == [
        "1. 出典：座談会（岡本高志（選挙",
        "   ジャパン代表））、2025年3月",
    ]
    assert break_lines(SENTENCES[0], 24, indent=3) == [
        "   大阪府のCIO補佐官の",
        "   任期は2年（更新可、",
        "   最長5年）で、報酬は",
        "   月額30万円（税込み）",
        "   です。",
    ]


def test_brackets_take_their_word_along_to_the_next_line():
    # 「税込み」 would fit the first line but for its 」, and （ may not end a line: both go down whole
    assert break_lines("報酬は「税込み」", 14) == ["報酬は", "「税込み」"]
    assert break_lines("価格は（税込み）です", 10) == ["価格は", "（税込み）", "です"]
    assert break_lines("任期は2年（更新可）", 12) == ["任期は2年", "（更新可）"]
    assert break_lines("報酬は月額30万円です。", 18) == ["報酬は月額30万円", "です。"]


def test_a_name_keeps_its_honorific_or_title_and_a_word_its_suffix():
    assert break_lines("小松島市の岡本高志さんは", 18) == ["小松島市の", "岡本高志さんは"]
    assert break_lines("会長は岡本高志氏です", 14) == ["会長は", "岡本高志氏です"]
    assert break_lines("会議は徳島県小松島市長の", 20) == ["会議は", "徳島県小松島市長の"]
    assert break_lines("自治体のデジタル化を進める", 16) == ["自治体の", "デジタル化を", "進める"]
    assert break_lines("皆様からのご意見", 12) == ["皆様からの", "ご意見"]  # a prefix stays with its word


def test_hard_breaks_end_lines_and_blank_lines_stay_blank():
    lines = break_lines("質問の要点\n\n大阪府のCIO補佐官の任期は2年です。", 20, indent=2, first_indent=0)
    assert lines == ["質問の要点", "", "  大阪府のCIO補佐官", "  の任期は2年です。"]
    assert break_lines("一行目\r\n二行目", 40) == ["一行目", "二行目"]
    assert break_lines("", 40) == [""]


def test_a_unit_wider_than_the_line_is_cut_at_its_seams_as_a_last_resort():
    text = f"詳しくは {URL} をご覧ください。"
    lines = break_lines(text, 20, indent=2, first_indent=0)
    assert lines == ["詳しくは https://", "  www.city.", "  komatsushima.lg.jp", "  /kurashi/cio/",
                     "  recruit.html を", "  ご覧ください。"]
    assert "".join(contents(lines, 2, 0)) == text
    # a name or a number too wide for the line is cut between its morphemes, not between characters
    assert break_lines("岡本高志", 5) == ["岡本", "高志"]
    assert break_lines("月額30万円", 7) == ["月額", "30万円"]


@pytest.mark.parametrize("text", ["ーーーーーーーーーーーーーーーーーーーーーーーー", "。" * 30, "a" * 95, "日本語",
                                  "（（（（（（（（（（（（"])
@pytest.mark.parametrize("width", [1, 2, 3, 10, 20])
def test_text_that_cannot_be_broken_by_the_rules_still_ends_and_fits(text, width):
    lines = break_lines(text, width)
    assert "".join(lines) == text and all(lines)
    assert all(cell_len(line) <= max(width, 2) for line in lines)


def test_three_thousand_characters_wrap_well_under_50_ms():
    break_lines(SENTENCES[0], 80)  # the tokenizer is warm
    timings = []
    for n in range(3):  # a new text each time: no cached analysis
        text = "".join(f"{s}（{n}-{i}）" for i, s in enumerate(SENTENCES * 20))[:3000]
        assert len(text) == 3000
        started = time.perf_counter()
        lines = break_lines(text, 80, indent=3)
        timings.append(time.perf_counter() - started)
        assert "".join(contents(lines, 3, 3)) == text
    assert min(timings) < 0.05, timings
    started = time.perf_counter()
    break_lines(text, 60, indent=3)  # the same text at another width reuses its analysis
    assert time.perf_counter() - started < 0.02


def rendered_lines(renderable, width: int) -> list[list[Segment]]:
    console = Console(width=width, record=True, force_terminal=False)
    return list(Segment.split_lines(console.render(renderable, console.options)))


@pytest.mark.parametrize("width", [20, 24, 30, 41, 57])
def test_wrapped_text_keeps_its_styles_across_line_breaks(width):
    text = Text("1. ", style="bold")
    text.append(SENTENCES[2])
    marked = "約1,200万円の予算でDX推進計画（第2期）を策定し、職員1,234人の12.5%が研修に参加した"
    start = text.plain.index(marked)
    text.stylize("bold yellow", start, start + len(marked))

    lines = rendered_lines(Wrapped(text, indent=3, first_indent=0), width)
    plain = ["".join(segment.text for segment in line) for line in lines]
    assert plain == break_lines(text.plain, width, indent=3, first_indent=0)  # not wrapped again by rich

    source_at, marked_lines = 0, set()  # walk the rendered characters alongside the source text
    for i, line in enumerate(lines):
        styled = [(char, segment.style) for segment in line for char in segment.text]
        indentation, content = styled[:0 if i == 0 else 3], styled[0 if i == 0 else 3:]
        assert all(char == " " and not (style and style.bold) for char, style in indentation)
        for char, style in content:
            assert char == text.plain[source_at]
            inside = start <= source_at < start + len(marked)
            assert style.bold and (style.color is not None) == inside, (char, style, plain)
            marked_lines |= {i} if inside else set()
            source_at += 1
    assert source_at == len(text.plain)
    assert len(marked_lines) >= 2  # the bold yellow phrase did run over a line break


def test_wrapped_fits_inside_a_panel_and_measures_itself():
    console = Console(width=36, record=True, force_terminal=False)
    console.print(Panel(Wrapped(Text(SENTENCES[0]), indent=2)))
    output = console.export_text().splitlines()
    assert all(cell_len(line) <= 36 for line in output)
    inner = [line[2:-2].rstrip() for line in output[1:-1]]
    assert inner == break_lines(SENTENCES[0], 32, indent=2)
    fit = Console(width=100, record=True, force_terminal=False)
    fit.print(Panel.fit(Wrapped("短い回答です。")))
    assert fit.export_text().splitlines()[1] == "│ 短い回答です。 │"
