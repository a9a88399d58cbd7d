"""An answer folded to the terminal's height, so that it reads on one screen: the question line,
the direct answer, as many of the table's rows, the cases and the evidence as fit, and a line that
says what is left and that 「もっと」 shows it. The terminal's size is read from the terminal at
every answer, so a resized window folds to its new height.

Parts are folded whole (the heading, a note) or by their items (a case, a table row, a passage),
never in the middle of one: a table goes on under its own header, titled as a continuation.
"""

from __future__ import annotations

import os

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.text import Text

from hosakan.adapters.console.render import Part, parts
from hosakan.adapters.console.wrap import Wrapped
from hosakan.bot.chat.presenter import View
from hosakan.bot.sentences import officials

MIN_ROOM = 8  # lines an answer gets however small the terminal: a smaller window scrolls


def lines_of(console: Console, renderable: RenderableType) -> int:
    """How many lines ``renderable`` takes at the console's width."""
    return len(console.render_lines(renderable, console.options, pad=False, new_lines=False))


def echo_lines(width: int, prompt: str, text: str) -> int:
    """The lines the question takes where it was typed (the prompt and the text, wrapped by the terminal)."""
    return max(1, -(-cell_len(prompt + text) // max(1, width)))


def fit(console: Console, pieces: list[Part], room: int) -> tuple[list[RenderableType], list[Part]]:
    """The parts drawn in ``room`` lines, in order, and the parts (or the items of one) left over. A
    part kept on the first screen is drawn whatever its height; something is always drawn."""
    drawn: list[RenderableType] = []
    used = 0
    for at, part in enumerate(pieces):
        if not part.items:
            shown = part.draw([], part.continued)
            height = lines_of(console, shown)
            if used + height > room and not part.keep and drawn:
                return drawn, pieces[at:]
            drawn.append(shown)
            used += height
            continue
        best, best_height = None, 0
        count = part.least
        while count <= len(part.items):
            if count or part.keep:
                shown = part.draw(list(part.items[:count]), part.continued)
                height = lines_of(console, shown)
                if used + height > room and count > part.least:
                    break
                best, best_height = (count, shown), height
            count += 1
        if best is None and not drawn:  # nothing fits: one item, so that paging goes on
            best = (1, part.draw(list(part.items[:1]), part.continued))
            best_height = lines_of(console, best[1])
        if best is not None:
            drawn.append(best[1])
            used += best_height
        shown_count = best[0] if best else 0
        if shown_count < len(part.items):
            return drawn, [part.rest(shown_count, best is not None), *pieces[at + 1:]]
    return drawn, []


def folded_note(left: list[Part]) -> str:
    """What is left, counted by kind, and how to see it."""
    count = {kind: sum(len(p.items) for p in left if p.kind == kind) for kind in ("cases", "rows", "evidence")}
    return officials.console_folded(count["cases"], count["rows"], count["evidence"])


class Pager:
    """The console's screen: each answer folded to the terminal's height, the rest kept for
    「もっと」. Output that is not a terminal (piped) gets everything at once."""

    def __init__(self, console: Console):
        self.console = console
        self.left: list[Part] = []
        self.more = False  # whether the conversation has other candidates after what is left

    def measure(self) -> None:
        """Takes the terminal's size from the terminal itself, as it is now (a window resized since
        the last answer folds to its new size); an exported LINES or COLUMNS, which rich would
        believe and which goes stale at the first resize, is not."""
        if not self.console.is_terminal:
            return
        try:
            size = os.get_terminal_size(self.console.file.fileno())
        except (AttributeError, ValueError, OSError):
            return
        if size.columns and size.lines:
            self.console.size = (size.columns, size.lines)

    @property
    def height(self) -> int | None:
        return self.console.size.height if self.console.is_terminal else None

    @property
    def folded(self) -> bool:
        return bool(self.left)

    def clear(self) -> None:
        """Forget what was folded (another reply took the screen)."""
        self.left = []

    def show(self, view: View, tail: list[RenderableType], asked_lines: int = 1) -> RenderableType:
        """An answer's first screen. ``tail``: lines that go last (the time taken); ``asked_lines``:
        the lines the question took where it was typed."""
        self.more = any(button.kind == "more" for button in view.buttons)
        return self._page(parts(view), tail, asked_lines)

    def next(self, asked_lines: int = 1) -> RenderableType:
        """The next screen of the answer folded last."""
        head = _note(officials.CONSOLE_CONTINUED)
        return Group(head, self._page(self.left, [], asked_lines + lines_of(self.console, head)))

    def _page(self, pieces: list[Part], tail: list[RenderableType], above: int) -> RenderableType:
        height = self.height
        more_note = [_note(officials.CONSOLE_MORE)] if self.more else []
        if height is None:
            self.left = []
            return Group(*(p.draw(list(p.items), p.continued) for p in pieces), *more_note, *tail)
        # the question's line(s) above and the next prompt below stay on the screen too
        room = max(MIN_ROOM, height - above - 1 - sum(lines_of(self.console, t) for t in tail))
        drawn, left = fit(self.console, pieces, room - sum(lines_of(self.console, n) for n in more_note))
        if left:  # fold again, leaving room for the note that says what is left
            worst = _note(folded_note(pieces))
            drawn, left = fit(self.console, pieces, room - lines_of(self.console, worst))
        self.left = left
        notes = [_note(folded_note(left))] if left else more_note
        return Group(*drawn, *notes, *tail)


def _note(text: str) -> Wrapped:
    return Wrapped(Text(text, style="dim"), 0)
