"""Data-parallel fine-tuning through Hugging Face accelerate (DDP on GPUs, gloo on CPUs).

    accelerate launch --num_processes 4 training/train.py --config configs/finetune-compact.yaml

Launched that way, every process builds the same features and shuffles them with the same
seed, then takes every N-th batch (so a step sees N batches: the effective batch is N ×
`train.batch_size`); DDP averages the gradients. Run plainly, `Distributed` is one process
and changes nothing. Only the main process writes the model and the checkpoint.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator, TypeVar

import torch

T = TypeVar("T")


class Distributed:
    def __init__(self, device: torch.device):
        self.accelerator = None
        self.device, self.rank, self.world = device, 0, 1
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:  # set by `accelerate launch` (and torchrun)
            from accelerate import Accelerator

            self.accelerator = Accelerator(cpu=device.type == "cpu")  # gloo; else NCCL, one GPU per process
            self.device = self.accelerator.device
            self.rank, self.world = self.accelerator.process_index, self.accelerator.num_processes
            if self.is_main:
                print(f"data parallel: {self.world} processes ({self.accelerator.distributed_type.value}) on {self.device.type}")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def prepare(self, model: torch.nn.Module, optimizer, scheduler):
        """(module to call for the loss, optimizer, scheduler); the model itself stays unwrapped
        for evaluation and saving. The prepared scheduler steps once per process per step, so the
        schedule computed for the whole data still ends with the last step."""
        if self.accelerator is None:
            return model, optimizer, scheduler
        return self.accelerator.prepare(model, optimizer, scheduler)

    def shard(self, batches: Iterable[T]) -> Iterator[T]:
        """This process's share of an epoch: every `world`-th batch, and as many as every other
        process gets (the last ones wrap round to the first), since DDP steps in lockstep."""
        if self.world == 1:
            yield from batches
            return
        items = list(batches)
        steps = -(-len(items) // self.world)
        for i in range(steps):
            yield items[(i * self.world + self.rank) % len(items)]

    def steps(self, n_batches: int) -> int:
        return -(-n_batches // self.world)
