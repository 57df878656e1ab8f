"""Which dev figure picks the best epoch (`train.select_on`)."""
from __future__ import annotations

import pytest

from vnreport.data.markup import parse_markup
from vnreport.train.config import ConfigError
from vnreport.train.selection import Selection

WITH_BOTH = parse_markup("#@ id: a\n<PER>Lê Văn An</PER> yêu cầu các xã <DIR>tập trung thu ngân sách</DIR>.")
ENTITIES_ONLY = parse_markup("#@ id: b\n<PER>Lê Văn An</PER> dự họp.")


def test_entity_f1_by_default_and_the_mean_when_asked():
    assert Selection.for_dev([WITH_BOTH]).key == "dev_entities_f1"
    assert Selection.for_dev([WITH_BOTH], "mean").key == "dev_mean_f1"


def test_the_mean_without_directives_on_dev_falls_back_to_entities(capsys):
    assert Selection.for_dev([ENTITIES_ONLY], "mean").key == "dev_entities_f1"
    assert "no directive spans" in capsys.readouterr().err


def test_an_unknown_choice_names_the_field_and_the_config():
    with pytest.raises(ConfigError, match=r"train\.select_on: 'directives' is not one of entities, mean") as e:
        Selection.for_dev([WITH_BOTH], "directives", "configs/x.yaml")
    assert "configs/x.yaml" in str(e.value)
