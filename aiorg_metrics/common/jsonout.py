"""Strict JSON for every JSON the CLI writes (SPEC §1): no NaN or Infinity, null where there is no value.

`json.dumps` writes `NaN` and `Infinity` by default, which no JSON parser but Python's reads.
Non-finite numbers become null first, then `allow_nan=False` guarantees none slipped through.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


def finite(value: Any) -> Any:
    """`value` with every non-finite number (NaN, ±inf, also numpy's) replaced by None, recursively."""
    if isinstance(value, Mapping):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    if hasattr(value, "item") and hasattr(value, "dtype"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def strict_json(data: Any) -> str:
    """`data` as indented JSON text (non-ASCII kept), non-finite numbers as null, other objects as str."""
    return json.dumps(finite(data), indent=2, ensure_ascii=False, allow_nan=False, default=str)
