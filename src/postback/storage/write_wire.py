"""The frames between worker processes and the writer process: jobs one way, outcomes back.

A frame is a 4-byte big-endian length and a JSON document. JSON carries what a dialect
produces exactly as it will be stored: a number is written as its text and read back as the
dialects read JSON (Decimal, or int when it has no point or exponent, as `Decimal("5")` is
stored anyway), integers of any size stay integers, bytes travel as base64.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from postback.model import Outcome, RawRequest, Rejection, Submission
from postback.storage.batch import WriteJob

LENGTH_BYTES = 4


class JobFrame(msgspec.Struct, array_like=True):
    ticket: int
    dialect: str
    raw: RawRequest
    received_at_ms: int
    submission: Submission | None
    rejection: Rejection | None

    @classmethod
    def of(cls, ticket: int, job: WriteJob) -> JobFrame:
        result = job.result
        submission = result if isinstance(result, Submission) else None
        rejection = result if isinstance(result, Rejection) else None
        return cls(ticket, job.dialect, job.raw, job.received_at_ms, submission, rejection)

    def job(self) -> WriteJob:
        result = self.submission or self.rejection
        if result is None:
            raise ValueError("a job frame carries a submission or a rejection")
        return WriteJob(self.dialect, self.raw, self.received_at_ms, result)


class AnswerFrame(msgspec.Struct, array_like=True):
    ticket: int
    outcome: Outcome


ENCODER = msgspec.json.Encoder(decimal_format="number")
JOB_DECODER = msgspec.json.Decoder(JobFrame, float_hook=Decimal)
ANSWER_DECODER = msgspec.json.Decoder(AnswerFrame, float_hook=Decimal)


def frame(message: JobFrame | AnswerFrame) -> bytes:
    body = ENCODER.encode(message)
    return len(body).to_bytes(LENGTH_BYTES, "big") + body


def split_frames(buffer: bytearray) -> list[bytes]:
    """The complete frames at the start of the buffer, removed from it."""
    frames, start = [], 0
    while len(buffer) - start >= LENGTH_BYTES:
        length = int.from_bytes(buffer[start : start + LENGTH_BYTES], "big")
        end = start + LENGTH_BYTES + length
        if end > len(buffer):
            break
        frames.append(bytes(buffer[start + LENGTH_BYTES : end]))
        start = end
    del buffer[:start]
    return frames
