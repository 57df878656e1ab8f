#!/usr/bin/env bash
# Run HERE (with internet to PyPI) before a GPU session: the GPU machine's image has torch,
# transformers, accelerate and onnxruntime but not pyvi, its CRF or seqeval, and cannot reach
# PyPI. Downloads them as Python 3.12 wheels into .whl/ (in .gitignore);
# pass carry=[".whl"] to the device run of benchmarks/gpu_session.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 -d .whl pyvi==0.1.1 sklearn-crfsuite==0.5.0 python-crfsuite==0.9.12
python3 -m pip wheel -q --no-deps -w .whl "seqeval==1.2.2"   # sdist only on PyPI; pure Python
ls -l .whl
