"""A text progress bar on standard error for long numeric runs."""

from __future__ import annotations

import sys
import time

WIDTH = 30


class ProgressBar:
    """Draw ``[#####.....]  42%  12.3 s`` on one line of a stream, updated in place.

    Call the instance with the number of units just finished; :meth:`close`
    ends the line. Redraws at most ten times a second.
    """

    def __init__(self, total, label, stream=None):
        self.total = max(int(total), 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0

    def __call__(self, count):
        self.done = min(self.done + count, self.total)
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done == self.total:
            self.drawn = now
            self._draw(now)

    def _draw(self, now):
        filled = WIDTH * self.done // self.total
        percent = 100 * self.done // self.total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                          f"{percent:3d}%  {now - self.started:.1f} s")
        self.stream.flush()

    def close(self):
        self._draw(time.perf_counter())
        self.stream.write("\n")
        self.stream.flush()
