"""data.repeat: directive-dense training documents seen more often (vnreport.train.sampling)."""
from __future__ import annotations

import pytest

from vnreport.data.markup import parse_markup
from vnreport.train.config import ConfigError
from vnreport.train.sampling import repeat_dense


def _doc(n_dir: int):
    body = " ".join(f"<DIR>việc {i}</DIR>." for i in range(n_dir)) or "Không có chỉ đạo."
    return parse_markup(f"#@ id: d{n_dir}\nÔng An yêu cầu {body}")


def test_only_documents_with_enough_directives_are_repeated():
    docs = [_doc(0), _doc(2), _doc(3), _doc(5)]
    out = repeat_dense(docs, {"min_dir_spans": 3, "times": 2})
    assert [d.id for d in out] == ["d0", "d2", "d3", "d3", "d5", "d5"]
    assert repeat_dense(docs, None) == docs


@pytest.mark.parametrize("spec", [{"times": 2}, {"min_dir_spans": "x", "times": 2}, {"min_dir_spans": 3, "times": 0}])
def test_a_bad_repeat_spec_is_one_config_error(spec):
    with pytest.raises(ConfigError, match="data.repeat"):
        repeat_dense([_doc(1)], spec, "configs/x.yaml")
