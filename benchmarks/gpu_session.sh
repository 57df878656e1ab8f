#!/usr/bin/env bash
# One GPU session, one script (issue 10): throughput at batch 8/64/256 with and without worker
# processes next to the HF pipeline, the profile of forward(), and F1 on the GPU. Results go to
# $OUT (the device tool's folder) or runs/gpu-session. Before: `bash benchmarks/gpu_wheels.sh`
# here, then run `bash benchmarks/gpu_session.sh` on the device with carry [".whl"].
# About 4-6 minutes on an H100.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs/gpu-session}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
if [ -d .whl ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:${PYTHONPATH:-}
fi
export PYTHONPATH=$PWD:${PYTHONPATH:-} PYTHONUNBUFFERED=1
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; $PY -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"; } > "$OUT/device.txt" 2>&1
cat "$OUT/device.txt"
# 1. speed: vnreport (steps timed apart, and end to end with 6 worker processes) vs the HF pipeline, one run
timeout 330 $PY benchmarks/throughput.py --device cuda --batch-sizes 8 64 256 --repeat 3 --rounds 3 \
  --num-workers 6 --profile 64 2>&1 | tee "$OUT/throughput.txt"
# 2. accuracy on the GPU (bf16 autocast): must match the CPU figures of RESULTS.md within ~0.002
for split in dev test; do
  timeout 90 $PY benchmarks/accuracy.py --device cuda --data data/gold/$split.jsonl 2>&1 | tail -1 | tee "$OUT/accuracy-$split.txt"
done
