#!/usr/bin/env bash
# Create .venv with the CPU build of torch (pinned: an unpinned torch pulls a multi-GB CUDA
# build) and vnreport installed in editable mode with its service (`vnreport serve`) and test
# extras and the optional engines the tests cover (ONNX Runtime, Ray, accelerate: ~30 s more).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[serve,test,onnx,cluster,distributed]"
