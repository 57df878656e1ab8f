"""training/check_relative_periods.py: the guidelines' rule on relative periods, found in labeled data."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from vnreport.data.io import write_jsonl
from vnreport.data.markup import parse_markup

from conftest import REPO


@pytest.fixture(scope="module")
def checker():
    spec = importlib.util.spec_from_file_location("check_relative_periods", REPO / "training" / "check_relative_periods.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# one sentence per case: unlabeled, a rate base labeled DATE, a count cut off, a place number before
# a period; then cases the rule leaves alone (a plural, a point before now, a longer DATE)
INCONSISTENT = ("Năm nay, <IND>thu ngân sách</IND> đạt <VALUE>120 tỷ đồng</VALUE>, tăng <RATE>8%</RATE> so với <DATE>năm ngoái</DATE>. "
                "Trong <DATE>5 năm</DATE> qua và những năm qua, <ORG>UBND quận 10</ORG> tuần qua đã họp. "
                "Hai năm trước, <DATE>6 tháng đầu năm nay</DATE> đạt <RATE>40%</RATE>.")
CONSISTENT = ("<DATE>Năm nay</DATE>, <IND>thu ngân sách</IND> đạt <VALUE>120 tỷ đồng</VALUE>, tăng <RATE>8%</RATE> so với năm ngoái. "
              "Trong <DATE>5 năm qua</DATE> và những năm qua, <ORG>UBND quận 10</ORG> <DATE>tuần qua</DATE> đã họp. "
              "Hai năm trước, <DATE>6 tháng đầu năm nay</DATE> đạt <RATE>40%</RATE>.")


def test_finds_each_kind_of_inconsistency(checker):
    found = [(f.kind, f.text) for f in checker.check(parse_markup(f"#@ id: a\n{INCONSISTENT}"), 1)]
    assert found == [("unlabeled", "Năm nay"), ("not-a-period", "năm ngoái"), ("cut", "5 năm qua"), ("unlabeled", "tuần qua")]
    assert checker.check(parse_markup(f"#@ id: b\n{CONSISTENT}"), 1) == []


def test_cli_names_file_and_line_and_refuses_a_bad_file(checker, tmp_path, capsys):
    data = tmp_path / "d.jsonl"
    write_jsonl([parse_markup(f"#@ id: ok\n{CONSISTENT}"), parse_markup(f"#@ id: bad\n{INCONSISTENT}")], data)
    assert checker.main([str(data)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"{data}:2 bad [0, 7) unlabeled 'Năm nay'"
    assert len(out.splitlines()) == 4 and "4 relative period(s)" in err
    (tmp_path / "broken.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    assert checker.main([str(tmp_path / "broken.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "broken.jsonl:1" in err and "\n" not in err
