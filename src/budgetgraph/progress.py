"""A one-line progress bar for a terminal: done / total, rate, time left.

Drawn on stderr only when it is a terminal; messages printed through
:meth:`Bar.say` go above it, so the bar stays the last line. Elsewhere (a log,
a pipe, the tests) only the messages are written, one per line, as they were.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from typing import TextIO


class Bar:
    """``[#####     ] 12/40 documents  3.1/s  0:09 left`` redrawn in place."""

    def __init__(self, stream: TextIO, *, unit: str = "documents", width: int = 24,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.unit = unit
        self.width = width
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.total = 0
        self.drawn = False
        self.live = stream.isatty()

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.live:
            self._draw()

    def say(self, message: str) -> None:
        """A line above the bar (the bar is cleared, the line written, the bar redrawn)."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(message + "\n")
        if self.drawn:
            self._draw()
        self.stream.flush()

    def close(self) -> None:
        """Leave the bar's last state on its own line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def line(self) -> str:
        """The bar's text at this moment."""
        elapsed = self.clock() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        filled = self.width * self.done // self.total if self.total else 0
        left = f"{_clock((self.total - self.done) / rate)} left" if rate else "-:-- left"
        return (f"[{'#' * filled}{' ' * (self.width - filled)}] {self.done}/{self.total} "
                f"{self.unit}  {rate:.1f}/s  {left}")

    def _draw(self) -> None:
        columns = shutil.get_terminal_size().columns
        self.stream.write("\r" + self.line()[: max(columns - 1, 10)] + "\x1b[K")
        self.stream.flush()
        self.drawn = True


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
