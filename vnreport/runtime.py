"""Faster ways to run the encoder on a CPU, chosen when loading (`vnreport.load(quantize=, runtime=)`).

- `runtime="onnx"`: the model exported to ONNX and run by ONNX Runtime (fused attention, GELU
  and layer norm kernels); the same spans as torch, faster.
- `quantize="int8"`: dynamic quantization of the Linear layers (weights int8, activations
  quantized per batch), by ONNX Runtime (the default, fastest) or by torch (`runtime="torch"`,
  nothing to export or install).

Both return an `nn.Module` with the tagger's `forward(input_ids, attention_mask) -> {layer: logits}`,
so the pipeline does not know which one runs. Speed and F1 of each: benchmarks/RESULTS.md.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import torch
from torch import nn

from vnreport.schema import LAYERS

QUANTIZE = ("int8",)
RUNTIMES = ("torch", "onnx")


def optimize(model: nn.Module, device: torch.device, quantize: str | None = None, runtime: str | None = None) -> nn.Module:
    """The model as it should run: unchanged, int8-quantized, or in ONNX Runtime.

    With `quantize="int8"` and no runtime named, ONNX Runtime runs it: it measured 1.3-1.4x
    faster than torch's own int8 on 2 CPU threads at the same accuracy."""
    runtime = runtime or ("onnx" if quantize else "torch")
    if quantize not in (None, *QUANTIZE):
        raise ValueError(f"quantize must be one of {QUANTIZE} or None, got {quantize!r}")
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime must be one of {RUNTIMES}, got {runtime!r}")
    if runtime == "torch" and quantize is None:
        return model
    if device.type != "cpu":
        raise ValueError(f"quantize={quantize!r} runtime={runtime!r} runs on the CPU only; on {device} use the default")
    model = model.eval()
    if runtime == "onnx":
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            raise ValueError("runtime='onnx' needs ONNX Runtime: pip install 'vnreport[onnx]' (or pass runtime='torch')") from None
        return OnnxTagger(model, quantize)
    quantized = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
    quantized.layer_labels = model.layer_labels
    quantized.vnreport_runtime = "torch-int8"  # still a TaggerModel, but one that cannot be saved as such
    return quantized


class _Outputs(nn.Module):
    """The tagger with tuple outputs, as the ONNX exporter wants them."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(input_ids, attention_mask)
        return tuple(out[layer] for layer in LAYERS)


class OnnxTagger(nn.Module):
    """The tagger exported to ONNX (dynamic batch and length) and run by ONNX Runtime on the CPU."""

    def __init__(self, model: nn.Module, quantize: str | None = None):
        super().__init__()
        import onnxruntime as ort

        self.layer_labels = model.layer_labels
        self.config = model.config
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.onnx"
            ids = torch.full((2, 16), 5, dtype=torch.long)
            axes = {name: {0: "batch", 1: "length"} for name in ("input_ids", "attention_mask", *LAYERS)}
            # the TorchScript exporter: one file, ~4 s (the dynamo exporter takes ~20 s for the same graph)
            torch.onnx.export(_Outputs(model), (ids, torch.ones_like(ids)), str(path), dynamo=False,
                              input_names=["input_ids", "attention_mask"], output_names=list(LAYERS),
                              dynamic_axes=axes, opset_version=17)
            if quantize == "int8":
                import logging

                from onnxruntime.quantization import QuantType, quantize_dynamic

                root = logging.getLogger()
                level, root.level = root.level, logging.ERROR  # its advice to pre-process is for CNNs
                try:
                    quantize_dynamic(str(path), str(path.with_name("int8.onnx")), weight_type=QuantType.QInt8)
                finally:
                    root.setLevel(level)
                path = path.with_name("int8.onnx")
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = torch.get_num_threads()
            opts.inter_op_num_threads = 1
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> dict[str, torch.Tensor]:
        feeds = {"input_ids": input_ids.numpy(), "attention_mask": attention_mask.numpy()}
        return {layer: torch.from_numpy(out) for layer, out in zip(LAYERS, self.session.run(list(LAYERS), feeds))}
