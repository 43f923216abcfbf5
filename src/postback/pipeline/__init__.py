"""The rule steps between a dialect and storage.

Steps that need no shared state run here, before the write. Rules that must hold across
workers and nodes (dedup, sequences, rate limits) run inside the write transaction:
see `postback.storage.rules`.
"""

from __future__ import annotations

from postback.model import Reason, Rejection, Submission
from postback.pipeline.install_cost import apply_reporting_cost
from postback.pipeline.revenue import ReportingCurrency
from postback.pipeline.storable import storage_problem


class Pipeline:
    def __init__(self, reporting_currency: str) -> None:
        self.reporting = ReportingCurrency(reporting_currency)

    def prepare(self, submission: Submission) -> Rejection | None:
        """Complete the submission's events; a Rejection when they cannot be stored."""
        problem = storage_problem(submission)
        if problem is not None:
            return Rejection(reason=Reason.INVALID, message=problem, app=submission.app)
        for event in submission.events:
            self.reporting.apply(event)
            apply_reporting_cost(event, self.reporting.currency)
        return None
