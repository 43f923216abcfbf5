"""The heap of a long-running server process (a worker, the writer process)."""

from __future__ import annotations

import gc


def freeze_start_up_objects() -> None:
    """What start-up built lives as long as the process: the cyclic collector stops rescanning it.

    Full collections over it paused a worker for milliseconds (the mixed load's p99).
    """
    gc.collect()
    gc.freeze()
