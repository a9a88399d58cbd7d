"""`hosakan chat` in a real terminal (tmux, 80 columns), read off the screen as a person sees it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.browser import browser  # noqa: F401 - the fixture
from tests.conftest import KNOWLEDGE

HOSAKAN = str(Path(sys.executable).parent / "hosakan")
WIDTH = 80
NO_LINE_START = "、。，．）」』】〕］：；！？ー…"  # (・ opens the help's list items)
BORDERS = "│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻┣┫╋├┤┼└┘┬┴┌┐ "


class Screen:
    def __init__(self, name: str):
        self.name = name

    def text(self, *flags: str) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-S", "-", *flags, "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def type(self, line: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", line], check=True)
        subprocess.run(["tmux", "send-keys", "-t", self.name, "Enter"], check=True)

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
    name = f"hosakan-{os.getpid()}"
    env = {"HOSAKAN_INDEX_DIR": str(index_dir), "HOSAKAN_KNOWLEDGE_DIR": str(KNOWLEDGE),
           "HOSAKAN_HOME": str(tmp_path / "home"), "HOSAKAN_WORKERS": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", "50",
                    f"env {exports} {HOSAKAN} chat"], check=True)
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


def test_the_chat_reads_well_at_80_columns_and_keeps_logs_off_the_screen(screen, tmp_path, browser):  # noqa: F811
    screen.wait_for("質問>")
    screen.type("報酬が一番高い募集は？")
    shown = screen.wait_for(" ms）")
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
    evidence = lines[start + 1: next(i for i, line in enumerate(lines) if line.startswith("※"))]
    assert evidence and all(line[0].isdigit() or line.startswith("   ") for line in evidence)
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


def _picture(screen: Screen, browser, path: Path) -> None:  # noqa: F811
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
