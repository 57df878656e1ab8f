"""Vietnamese numbers as reports write them: `.` groups thousands, `,` marks decimals.

"154.228 triệu đồng" is 154 228 000 000 đồng and "660,191 tỷ đồng" is 660 191 000 000
đồng. A number that does not follow this convention ("1.5", "1,234,567") could be read two
ways, so it is kept as text with `parsed=False` instead of being guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, Inexact, getcontext, localcontext

Number = int | float

SCALES: dict[str, int] = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}

_NUM = r"\d+(?:[.,]\d+)*"
# a scale word may be glued to the unit ("5.800tỷđồng") but must not start another word ("5 ngành")
_SCALE_WORD = "|".join(SCALES)
_SCALE = rf"(?:{_SCALE_WORD})(?=đồng|[^\w]|$)"
# scale words multiply ("255 nghìn tỷ đồng" is 255 · 10**12 đồng)
_SCALES = rf"{_SCALE}(?:\s*{_SCALE})*"
_AMOUNT = rf"{_NUM}(?:\s*{_SCALES})?(?:\s+{_NUM}\s*{_SCALES})*"
_QUANTITY = re.compile(
    rf"(?P<a>{_AMOUNT})(?:\s*(?P<op>/|[-–—]|đến)\s*(?P<b>{_AMOUNT}))?\s*(?P<unit>.*)", re.S | re.I)
_APPROX = re.compile(r"^(?:(?:ước đạt|khoảng|gần|hơn|trên|dưới|từ|ước|đạt|còn)\s+)+", re.I)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit in base units (scale words applied), or the raw text when unsure.

    A fraction ("86/133 tiêu chí", achieved of planned) has `value` = numerator and a
    `denominator`; a range ("40 – 49%") has `low` and `high` and no single `value`.
    """

    text: str
    value: Number | None
    unit: str | None
    parsed: bool
    denominator: Number | None = None
    low: Number | None = None
    high: Number | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"text": self.text, "value": self.value, "unit": self.unit, "parsed": self.parsed}
        if self.denominator is not None:
            d["denominator"] = self.denominator
        if self.low is not None:
            d["low"], d["high"] = self.low, self.high
        return d


def parse_number(s: str) -> Decimal | None:
    """One written number ("154.228", "32.787,8", "01"); None when it breaks the convention."""
    if not re.fullmatch(_NUM, s) or s.count(",") > 1:
        return None
    whole, _, frac = s.partition(",")
    groups = whole.split(".")
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None  # "1.5" or "12.34": not a thousands grouping, so maybe an English decimal
    return Decimal("".join(groups) + ("." + frac if frac else ""))


def _amount(s: str) -> tuple[Decimal | None, bool]:
    """Value of "3 triệu 150 ngàn" and whether it carried its own scale word."""
    total, scaled = Decimal(0), False
    for num, scales in re.findall(rf"({_NUM})((?:\s*(?:{_SCALE_WORD}))*)", s, re.I):
        n = parse_number(num)
        if n is None:
            return None, False
        for scale in scales.split():
            n *= SCALES[scale.lower()]
        total += n
        scaled = scaled or bool(scales.strip())
    return total, scaled


def _plain(d: Decimal) -> Number:
    """An int, or a float that reads back as the same decimal; `Inexact` when JSON cannot hold it exactly."""
    if d.adjusted() >= getcontext().prec:  # ≥ 10**28: would not survive as an exact int either
        raise Inexact
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    if Decimal(repr(f)) != d:
        raise Inexact
    return f


def parse_quantity(text: str) -> Quantity:
    """Parse a VALUE or RATE span's text: number(s), scale word, unit ("%" for a rate).

    A value that needs more digits than the decimal context holds (28) is kept as text with
    `parsed=False`: arithmetic there would round it silently."""
    with localcontext() as ctx:
        ctx.traps[Inexact] = True
        try:
            return _parse_quantity(text)
        except Inexact:
            return Quantity(text, None, None, False)


def _parse_quantity(text: str) -> Quantity:
    s = _APPROX.sub("", " ".join(text.split()))
    m = _QUANTITY.fullmatch(s)
    if not m:
        return Quantity(text, None, None, False)
    unit = re.sub(r"\s*/\s*", "/", m["unit"].strip()) or None  # "tấn / ngày" is the unit "tấn/ngày"
    a, a_scaled = _amount(m["a"])
    b, b_scaled = _amount(m["b"]) if m["b"] else (None, False)
    if a is None or (m["b"] and b is None) or (unit and re.search(r"(?<![^\W\d_])\d", unit)):  # "km2" is a unit
        return Quantity(text, None, unit, False)
    if b is not None and b_scaled and not a_scaled:
        # "46.124/133.761 triệu đồng": the scale written once applies to both numbers
        for scale in re.search(rf"{_SCALES}\s*$", m["b"], re.I)[0].split():
            a *= SCALES[scale.lower()]
    if m["op"] == "/":
        return Quantity(text, _plain(a), unit, True, denominator=_plain(b))
    if m["op"]:
        return Quantity(text, None, unit, True, low=_plain(a), high=_plain(b))
    return Quantity(text, _plain(a), unit, True)
