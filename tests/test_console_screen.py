"""`hosakan chat` in a real terminal (tmux, 80 columns), read off the screen as a person sees it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.support.browser import browser  # noqa: F401 - the fixture
from tests.support.knowledge import KNOWLEDGE

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
WIDTH = 80
HEIGHT = 40  # the terminal an official is likely to have: an answer must read on it without scrolling
NO_LINE_START = "、。，．）」』】〕］：；！？ー…"  # (・ opens the help's list items)
FOLDED = "画面に収まらない続き"  # the note under an answer folded to the screen's height
CONTINUED = "（前の回答の続きです）"
ALL_SHOWN = "他の候補は「もっと」と入力すると表示します。"
BORDERS = "│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻┣┫╋├┤┼└┘┬┴┌┐ "


class Screen:
    def __init__(self, name: str):
        self.name = name

    def text(self, *flags: str) -> str:
        """Everything the terminal showed, the lines scrolled off the top included."""
        return subprocess.run(["tmux", "capture-pane", "-p", "-S", "-", *flags, "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def visible(self) -> list[str]:
        """The lines on the screen now, as a person sees them."""
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout.splitlines()

    def type(self, line: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", line], check=True)
        subprocess.run(["tmux", "send-keys", "-t", self.name, "Enter"], check=True)

    def last_reply(self) -> str:
        """What was printed after the last line typed, its lines joined (a note may wrap)."""
        deadline = time.monotonic() + 30
        while not (shown := self.text().rstrip()).endswith("質問>") and time.monotonic() < deadline:
            time.sleep(0.2)  # the reply is printed; the prompt comes next
        return shown.split("質問>")[-2].replace("\n", "")

    def rest(self, tries: int = 5) -> str:
        """Types 「もっと」 until the answer folded to the screen has been shown whole."""
        for _ in range(tries):
            if FOLDED not in self.last_reply():
                break
            count = self.text().count(CONTINUED)
            self.type("もっと")
            self.wait_for(CONTINUED, count + 1)
        return self.wait_for(ALL_SHOWN)

    def wait_for(self, what: str, count: int = 1, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.text()
            if shown.count(what) >= count:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{what!r} did not appear:\n{self.text()}")


@pytest.fixture
def screen(index_dir, tmp_path):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed (make system installs it)")
    name = f"hosakan-{os.getpid()}-{uuid.uuid4().hex[:8]}"  # one session per test: none left over to clash with
    env = {"HOSAKAN_INDEX_DIR": str(index_dir), "HOSAKAN_KNOWLEDGE_DIR": str(KNOWLEDGE),
           "HOSAKAN_HOME": str(tmp_path / "home"), "HOSAKAN_WORKERS": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    for attempt in range(3):  # the last test's tmux server may still be exiting as this one starts
        started = subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT),
                                  f"env {exports} {HOSAKAN} chat"], capture_output=True, text=True)
        if started.returncode == 0:
            break
        time.sleep(0.5 * (attempt + 1))
    else:
        pytest.fail(f"tmux could not start a session: {started.stderr}")
    subprocess.run(["tmux", "set-option", "-t", name, "history-limit", "5000"], check=True)
    yield Screen(name)
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def split_across(lines: list[str], word: str) -> bool:
    """Whether ``word`` starts at the end of one line and goes on at the start of the next."""
    for above, below in zip(lines, lines[1:]):
        above, below = above.rstrip(BORDERS), below.lstrip(BORDERS)
        for cut in range(1, len(word)):
            if above.endswith(word[:cut]) and below.startswith(word[cut:]):
                return True
    return False


def test_the_chat_reads_well_at_80_columns_and_keeps_logs_off_the_screen(screen, tmp_path, browser):
    screen.wait_for("質問>")
    screen.type("報酬が一番高い募集は？")
    screen.wait_for(" ms）")
    shown = screen.rest()
    lines = shown.splitlines()
    assert not any(line.lstrip().startswith("{") for line in lines)  # no JSON log line on the screen …
    assert "salt" in (tmp_path / "home" / "chat.log").read_text()  # … they go to the data directory's chat.log
    assert all(cell_len(line) <= WIDTH for line in lines)
    opened = [line.lstrip(BORDERS) for line in lines if line.lstrip(BORDERS)]
    assert not [line for line in opened if line[0] in NO_LINE_START]  # no line opens with closing punctuation
    for word in ("岡 高志", "選挙ジャパン", "1,140万円", "CIO補佐官", "地域手当"):
        assert not split_across(lines, word), word
    # every continuation line of a passage is indented under it
    start = next(i for i, line in enumerate(lines) if line.startswith("根拠"))
    evidence = [line for line in lines[start + 1: next(i for i, line in enumerate(lines) if line.startswith("※"))]
                if not line.startswith((FOLDED, "質問> もっと", CONTINUED, "根拠（続き）"))]  # where a screen ended
    assert evidence and all(line[0].isdigit() or line.startswith("   ") for line in evidence), \
        [line for line in evidence if not (line[0].isdigit() or line.startswith("   "))]
    assert shown.count("掲載日の記載") == 1 and shown.count("時点を示していない") == 1  # said once, at the end
    # a word the chat does not know as a command is answered with help, and is no gap
    screen.type("clear")
    screen.wait_for("新しい会話を始めました")
    screen.type("hello")
    screen.wait_for("Hosakan（補佐官）は", count=2)
    screen.type("gaps")
    after = screen.wait_for("直近30日に回答できなかった質問")
    assert "hello" not in after.split("直近30日に回答できなかった質問")[-1]
    folder = os.environ.get("HOSAKAN_SCREENSHOTS")  # `HOSAKAN_SCREENSHOTS=docs make test` renews docs/console-80.png
    if folder:
        _picture(screen, browser, Path(folder) / "console-80.png")


def _ranks(lines: list[str]) -> list[int]:
    """The 順位 of the table rows on ``lines`` (a row's first line opens with its rank)."""
    return [int(m.group(1)) for line in lines for m in [re.match(r"│ (\d+) +│", line)] if m]


def test_a_ranking_answer_reads_on_one_screen_and_もっと_shows_the_rest(screen):
    """At 80×40 the ranking (a long table and its evidence) folds to the screen: the question and
    the direct answer stay on it, a note says what is left, and 「もっと」 shows the rest before
    the other candidates."""
    screen.wait_for("質問>")
    screen.type("報酬が一番高いのは？")
    screen.wait_for(" ms）")
    screen.last_reply()  # the prompt is back
    first = screen.visible()
    assert len(first) <= HEIGHT and all(cell_len(line) <= WIDTH for line in first)
    # nothing scrolled off: the question line is still on the screen, and the direct answer under it
    asked = next((i for i, line in enumerate(first) if line.startswith("質問> 報酬が一番高いのは？")), None)
    assert asked is not None, "the answer scrolled its question off the screen:\n" + "\n".join(first)
    below = "".join(line.strip(BORDERS) for line in first[asked:])
    assert "報酬（年額換算）が最も高いのは大阪府のCIO補佐官で、1,140万円です。" in below
    shown_ranks = _ranks(first[asked:])
    assert shown_ranks and shown_ranks == list(range(1, len(shown_ranks) + 1))
    note = re.search(r"画面に収まらない続き（表の残り(\d+)行、根拠(\d+)件）は「もっと」と入力すると表示します。", below)
    assert note, below
    left, evidence = int(note.group(1)), int(note.group(2))
    assert left >= 1 and "根拠：" not in below and ALL_SHOWN not in below

    screen.type("もっと")
    screen.wait_for(CONTINUED)
    screen.last_reply()
    rest = screen.visible()
    more = next((i for i, line in enumerate(rest) if line.startswith("質問> もっと")), None)
    assert more is not None, "the rest scrolled 「もっと」 off the screen:\n" + "\n".join(rest)
    assert len(rest) <= HEIGHT and all(cell_len(line) <= WIDTH for line in rest)
    rest_text = "".join(line.strip(BORDERS) for line in rest[more:])
    assert "報酬（年額換算）の順位（続き）" in rest_text
    next_ranks = shown_ranks[-1] + 1
    assert _ranks(rest[more:]) == list(range(next_ranks, next_ranks + left))  # the rows left, in order
    numbered = [line for line in rest[more:] if re.match(r"\d+\. ", line)]
    assert [line.split(".")[0] for line in numbered] == [str(n) for n in range(1, evidence + 1)]
    assert ALL_SHOWN in rest_text and FOLDED not in rest_text

    screen.type("もっと")  # nothing is left of the answer: the next candidates, as before
    screen.wait_for("の他の候補（4〜6件目）")


def _picture(screen: Screen, browser, path: Path) -> None:
    """The first answer as the terminal shows it, colours included, as a PNG: every character in its
    terminal cell (one or two columns), so the picture keeps the terminal's grid."""
    from html import escape

    from rich.console import Console
    from rich.text import Text

    shown = screen.text("-e")
    start = shown.index("質問> 報酬")
    end = shown.index(" ms）", start) + len(" ms）")
    console = Console(width=WIDTH, file=open(os.devnull, "w"), force_terminal=True, color_system="truecolor")
    rows = []
    for line in Text.from_ansi(shown[start:end]).split("\n"):
        cells = []
        for segment in line.render(console):
            style = segment.style
            plain = not (style and style.color) or style.color.is_default
            color = "#d0d0d0" if plain else style.color.get_truecolor().hex
            color = "#8a8f96" if style and style.dim else color
            weight = "bold" if style and style.bold else "normal"
            for char in segment.text:
                cells.append(f'<span style="width:{cell_len(char) * 9}px;color:{color};font-weight:{weight}">'
                             f"{escape(char)}</span>")
        rows.append(f"<div>{''.join(cells) or '&nbsp;'}</div>")
    page = browser.new_page(viewport={"width": WIDTH * 9 + 40, "height": 400})
    page.set_content(
        "<html><head><style>body{margin:0;padding:12px;background:#101214}"
        "div{height:19px;white-space:nowrap;font:15px/19px 'DejaVu Sans Mono','Noto Sans Mono CJK JP',monospace}"
        "span{display:inline-block;overflow:visible;text-align:left}</style></head><body>"
        + "".join(rows) + "</body></html>")
    page.screenshot(path=str(path), full_page=True)
