"""Prometheus metrics: requests by dialect and outcome, group-commit batch sizes and latency."""

from __future__ import annotations

import os
from collections import Counter

import prometheus_client
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from postback.model import Outcome
from postback.storage.writer import BatchObserver

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
COMMIT_SECONDS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0)


class Metrics:
    """One registry per app; in multi-worker mode every worker's values are summed on scrape."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = prometheus_client.Counter(
            "postback_requests",
            "Ingest requests by dialect and recorded outcome.",
            ["dialect", "outcome"],
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "postback_commit_batch_size",
            "Requests written per group commit.",
            buckets=BATCH_SIZES,
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            "postback_commit_seconds",
            "Time to write and commit one group of requests.",
            buckets=COMMIT_SECONDS,
            registry=self.registry,
        )

    def observe_batch(self, recorded: list[tuple[str, Outcome]], seconds: float) -> None:
        """Count a committed batch's requests by dialect and outcome, and time its commit."""
        self.batch_size.observe(len(recorded))
        self.commit_seconds.observe(seconds)
        counts = Counter((dialect, outcome.reason.value) for dialect, outcome in recorded)
        for (dialect, reason), n in counts.items():
            self.requests.labels(dialect, reason).inc(n)

    def render(self) -> bytes:
        if os.environ.get(MULTIPROCESS_ENV):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


def batch_observer() -> BatchObserver:
    """The writer process's observer: its counts join the workers' (multiprocess mode)."""
    return Metrics().observe_batch
