"""Shared fixtures: a handful of annotated sentences written for the tests, and a tiny
tagger trained on them from scratch (random encoder, BPE learned on the fly)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vnreport.data.io import write_jsonl
from vnreport.data.markup import parse_markup

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TINY_MARKUP = [
    "<DATE>Ngày 5/3</DATE>, <ORG>UBND huyện Tam Nông</ORG> tổ chức hội nghị. <TITLE>Chủ tịch UBND huyện</TITLE> <PER>Lê Văn Bình</PER> chủ trì.",
    "<IND>Thu ngân sách nhà nước</IND> đạt <VALUE>139.396 triệu đồng</VALUE>, bằng <RATE>45,76%</RATE> dự toán.",
    "Đồng chí <PER>Trần Thị Mai</PER> – <TITLE>PBT Huyện ủy</TITLE> đề nghị các xã <DIR>tập trung thu hoạch lúa trước <DATE>30/6</DATE></DIR>; <DIR>báo cáo kết quả về <ORG>UBND huyện</ORG></DIR>.",
    "<IND>Tổng diện tích gieo trồng</IND> ước đạt <VALUE>32.787,8 ha</VALUE>, tăng <RATE>3,5%</RATE> so với cùng kỳ.",
    "Tại <LOC>xã Phú Thọ</LOC>, <IND>tỷ lệ hộ nghèo</IND> giảm còn <RATE>4,2%</RATE> trong <DATE>9 tháng năm 2023</DATE>.",
    "<TITLE>Bí thư Huyện ủy</TITLE> <PER>Nguyễn Quốc Hùng</PER> yêu cầu <DIR>hoàn thành giải ngân vốn đầu tư công</DIR>.",
]


def tiny_docs():
    return [parse_markup(f"#@ id: tiny-{i}\n{m}") for i, m in enumerate(TINY_MARKUP)]


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tinydata")
    write_jsonl(tiny_docs(), d / "train.jsonl")
    return d / "train.jsonl"


def train_tiny(out_dir: Path, data: Path, epochs: int, extra: list[str] | None = None) -> dict:
    from vnreport.train.config import load_config
    from vnreport.train.finetune import finetune

    cfg = load_config(REPO / "configs" / "finetune-tiny.yaml", [
        f"data.train={data}", f"data.dev={data}", f"output_dir={out_dir}", f"train.epochs={epochs}",
        "train.batch_size=6", *(extra or []),
    ])
    return finetune(cfg)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_data) -> tuple[Path, dict]:
    """A tiny tagger trained until it fits the six sentences (its own training data)."""
    out = tmp_path_factory.mktemp("tinymodel")
    result = train_tiny(out, tiny_data, epochs=60)
    return Path(result["best_model"]), result


@pytest.fixture()
def model_copy(tiny_model, tmp_path) -> Path:
    """A copy of the tiny model that a test may change (its vnreport.json, its transitions)."""
    out = tmp_path / "model"
    shutil.copytree(tiny_model[0], out)
    return out


@pytest.fixture(scope="session")
def tiny_tagger(tiny_model):
    import vnreport

    return vnreport.load(tiny_model[0], device="cpu")


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def load_benchmark(name: str):
    """Import a script of benchmarks/ as a module (it is not a package), registered so dataclasses work."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
