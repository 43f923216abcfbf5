"""The PIA request body as the vendor document defines it, with the bounds storage needs."""

from decimal import Decimal
from typing import Annotated

import msgspec

BIGINT_MAX = 2**63 - 1

DeviceId = Annotated[str, msgspec.Meta(max_length=200)]
Label = Annotated[str, msgspec.Meta(max_length=500)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
EventField = Annotated[int, msgspec.Meta(ge=1, le=5)]
MainLevel = Annotated[int, msgspec.Meta(ge=1, le=BIGINT_MAX)]
SubLevel = Annotated[int, msgspec.Meta(ge=0, le=BIGINT_MAX)]


class AppRouting(msgspec.Struct):
    """All the body says before its signature is checked: which app it is for."""

    app_id: Label


class IapPayload(msgspec.Struct):
    product_id: Label
    price: Decimal
    currency: Label | None = None
    localized_title: Text | None = None
    localized_description: Text | None = None


class LevelEventPayload(msgspec.Struct):
    event_label: Label
    event_field: EventField
    main_level: MainLevel
    sub_level: SubLevel
    description: Text | None = None


class TrackPayload(msgspec.Struct):
    app_id: Label
    gaid: DeviceId | None = None
    uuid: DeviceId | None = None
    ifa: DeviceId | None = None
    iap: IapPayload | None = None
    event: LevelEventPayload | None = None


INTEGER_FIELDS = ("event_field", "main_level", "sub_level")
