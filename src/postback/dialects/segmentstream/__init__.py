"""SegmentStream postback function: `POST /track` with the API token in HTTP Basic auth."""

from postback.dialects.segmentstream.dialect import Segmentstream

__all__ = ["Segmentstream"]
