"""YAML configs: read once, kept as plain dicts, saved beside what they produced."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from vnreport.data.io import DataError
from vnreport.schema import LabelSet, label_set


class ConfigError(DataError):
    """A problem in a config file (or a `--set` override), reported as one line naming the file."""

def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read a YAML config; `overrides` are `a.b=value` strings (value parsed as YAML)."""
    try:
        with open(path, encoding="utf-8") as f:
            cfg = yaml.safe_load(f) or {}
    except OSError as e:
        raise ConfigError(path, None, f"cannot read the config: {e.strerror}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(path, mark.line + 1 if mark else None, f"not valid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(cfg, dict):
        raise ConfigError(path, None, "a config is a YAML mapping (model:, data:, train:, ...)")
    cfg = copy.deepcopy(cfg)
    for item in overrides or []:
        key, eq, raw = item.partition("=")
        if not eq or not key:
            raise ConfigError(path, None, f"--set takes key=value (e.g. train.epochs=3), got {item!r}")
        node = cfg
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise ConfigError(path, None, f"--set {item}: {p} is not a mapping in the config")
        node[leaf] = yaml.safe_load(raw)
    cfg["_config_path"] = str(path)
    return cfg


def config_labels(cfg: dict[str, Any]) -> LabelSet:
    """The label set a config declares (`labels:`), or SPEC.md's when it declares none."""
    try:
        return label_set(cfg.get("labels"))
    except ValueError as e:
        raise ConfigError(cfg.get("_config_path", "<config>"), None, str(e)) from None

