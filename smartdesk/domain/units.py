"""Units of measure as UN/ECE Recommendation 20 codes (used as-is in UBL and CII)."""

from __future__ import annotations

# code -> English name; document labels in every language live in smartdesk.i18n.documents
UNITS: dict[str, str] = {
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "MIN": "minute",
    "H87": "piece",
    "C62": "unit",
    "E48": "service",
    "LS": "lump sum",
    "KMT": "km",
    "MTR": "metre",
    "MTK": "m²",
    "KGM": "kg",
    "LTR": "litre",
    "SET": "set",
    "PR": "pair",
}
DEFAULT_UNIT = "C62"


def is_unit(code: str) -> bool:
    return code in UNITS
