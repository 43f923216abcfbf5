"""The wall clock, behind the small interface dialects and the edge use (tests pass their own)."""

import time


class SystemClock:
    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000
