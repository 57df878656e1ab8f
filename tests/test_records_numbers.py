"""Vietnamese number parsing (vnreport.records.numbers): `.` thousands, `,` decimals, scale words, units."""
from __future__ import annotations

from decimal import Decimal

import pytest

from vnreport.records.numbers import parse_number, parse_quantity


@pytest.mark.parametrize("text, value", [
    ("154.228", "154228"), ("32.787,8", "32787.8"), ("660,191", "660.191"), ("01", "1"), ("1.250", "1250"),
    ("2.919,8", "2919.8"), ("7", "7"), ("1.000.000", "1000000"),
])
def test_plain_numbers(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.5", "12.34", "1234.567", "1,234,567", "1.23.456", "abc", ""])
def test_numbers_that_break_the_convention_are_refused(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text, value, unit", [
    ("154.228 triệu đồng", 154_228_000_000, "đồng"),
    ("660,191 tỷ đồng", 660_191_000_000, "đồng"),
    ("32.787,8 ha", 32787.8, "ha"),
    ("3.500 tấn", 3500, "tấn"),
    ("19 doanh nghiệp", 19, "doanh nghiệp"),
    ("01 xã", 1, "xã"),
    ("1.250 lao động", 1250, "lao động"),
    ("12,28 tiêu chí", 12.28, "tiêu chí"),
    ("2.919,8 tỷ đồng", 2_919_800_000_000, "đồng"),
    ("5 nghìn người", 5000, "người"),
    ("7 ngàn hộ", 7000, "hộ"),
    ("2 tỉ đồng", 2_000_000_000, "đồng"),
    ("148 triệu ca", 148_000_000, "ca"),
    ("3 triệu 150 ngàn lượt khách", 3_150_000, "lượt khách"),
    ("5.800tỷđồng", 5_800_000_000_000, "đồng"),
    ("63,2 triệuđồng/người/năm", 63_200_000, "đồng/người/năm"),
    ("100km", 100, "km"),
    ("63.000km2", 63000, "km2"),  # a digit glued to a unit's letters is part of the unit
    ("1.200 m3/ngày", 1200, "m3/ngày"),
    ("45,76%", 45.76, "%"),
    ("70,98 %", 70.98, "%"),
    ("5 ngành", 5, "ngành"),  # "ngàn" is a scale word, "ngành" is not
    ("255 nghìn tỷ đồng", 255_000_000_000_000, "đồng"),  # scale words multiply
    ("1,2 nghìn tỷ đồng", 1_200_000_000_000, "đồng"),
    ("1 triệu tỉ đồng / năm", 10**15, "đồng/năm"),  # spaces around a unit's "/" are typography
    ("72 tấn / ngày", 72, "tấn/ngày"),
])
def test_quantities_in_base_units(text, value, unit):
    q = parse_quantity(text)
    assert q.parsed and q.value == pytest.approx(value, rel=1e-12) and q.unit == unit and q.text == text


def test_exact_integers_for_money():
    q = parse_quantity("660,191 tỷ đồng")
    assert q.value == 660191000000 and isinstance(q.value, int)


@pytest.mark.parametrize("text, num, den, unit", [
    ("86/133 tiêu chí", 86, 133, "tiêu chí"),
    ("46.124/133.761 triệu đồng", 46_124_000_000, 133_761_000_000, "đồng"),
    ("12/17 chỉ tiêu", 12, 17, "chỉ tiêu"),
    ("125/100ha", 125, 100, "ha"),
    ("1,5/2 nghìn tỷ đồng", 1_500_000_000_000, 2_000_000_000_000, "đồng"),  # a compound scale written once
])
def test_fractions_keep_numerator_and_denominator(text, num, den, unit):
    q = parse_quantity(text)
    assert q.parsed and (q.value, q.denominator, q.unit) == (num, den, unit)


@pytest.mark.parametrize("text, low, high", [("40 – 49%", 40, 49), ("10-15%", 10, 15)])
def test_ranges_have_no_single_value(text, low, high):
    q = parse_quantity(text)
    assert q.parsed and q.value is None and (q.low, q.high, q.unit) == (low, high, "%")


def test_no_unit_is_none_not_guessed():
    q = parse_quantity("726,573 tỷ")
    assert q.value == 726_573_000_000 and q.unit is None


@pytest.mark.parametrize("text", ["1.5 tấn", "1,234,567 đồng", "hai trăm tấn", "12.34 ha", "một nửa", "", "1.2.3 ha"])
def test_unparseable_are_kept_as_text(text):
    q = parse_quantity(text)
    assert q.parsed is False and q.value is None and q.text == text
