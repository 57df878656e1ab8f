"""Label Studio import/export, so a team can keep annotating in a real tool.

Tasks carry the text in `data.text` and spans as `labels` results from two controls,
`entities` and `directives` (see `labeling_config()`). Label Studio counts offsets in
UTF-16 code units (JavaScript strings); we convert, so texts with emoji or other
characters outside the BMP keep exact spans.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from vnreport.data.io import DataError, parse_record
from vnreport.schema import LAYERS
from vnreport.document import Document


def labeling_config() -> str:
    """The Label Studio project XML matching our two layers."""
    blocks = []
    for layer, labels in LAYERS.items():
        inner = "".join(f'<Label value="{lab}"/>' for lab in labels)
        blocks.append(f'  <Labels name="{layer}" toName="text">{inner}</Labels>')
    return "<View>\n" + "\n".join(blocks) + '\n  <Text name="text" value="$text"/>\n</View>\n'


def _py_to_js(text: str) -> list[int]:
    """UTF-16 offset of every Python index 0..len(text)."""
    out, pos = [0], 0
    for ch in text:
        pos += 2 if ord(ch) > 0xFFFF else 1
        out.append(pos)
    return out


def to_tasks(docs: Iterable[Document]) -> list[dict[str, Any]]:
    tasks = []
    for n, doc in enumerate(docs, 1):
        js = _py_to_js(doc.text)
        result = [
            {"id": f"{layer[0]}{i}", "from_name": layer, "to_name": "text", "type": "labels",
             "value": {"start": js[s.start], "end": js[s.end], "text": s.text, "labels": [s.label]}}
            for layer in LAYERS for i, s in enumerate(doc.layer(layer))
        ]
        tasks.append({"id": n, "data": {"text": doc.text, "doc_id": doc.id, "meta": doc.meta}, "annotations": [{"result": result}]})
    return tasks


def from_tasks(tasks: list[dict[str, Any]], path: str | Path = "<labelstudio>") -> list[Document]:
    """Documents from exported tasks (the last annotation of each task), validated like JSONL."""
    path = Path(path)
    docs = []
    for n, task in enumerate(tasks, 1):
        where = f"task {task.get('id', n)}"
        text = (task.get("data") or {}).get("text")
        if not isinstance(text, str):
            raise DataError(path, None, f"{where}: data.text is missing")
        anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        result = anns[-1].get("result", []) if anns else []
        js = _py_to_js(text)
        back = {j: i for i, j in enumerate(js)}
        rec: dict[str, Any] = {"id": str((task.get("data") or {}).get("doc_id") or task.get("id", n)), "text": text,
                               "meta": (task.get("data") or {}).get("meta") or {}, **{layer: [] for layer in LAYERS}}
        for r in result:
            if r.get("type") != "labels":
                continue
            layer = r.get("from_name")
            v = r.get("value") or {}
            if layer not in LAYERS:
                raise DataError(path, None, f"{where}: result {r.get('id')} comes from unknown control {layer!r}")
            if v.get("start") not in back or v.get("end") not in back:
                raise DataError(path, None, f"{where}: result {r.get('id')} offsets [{v.get('start')}, {v.get('end')}) are not valid in its text")
            for label in v.get("labels") or []:
                rec[layer].append({"start": back[v["start"]], "end": back[v["end"]], "label": label})
        try:
            docs.append(parse_record(rec, path, n))
        except DataError as e:
            raise DataError(path, None, f"{where}: {e.reason}") from None
    return docs


def export_file(docs: Iterable[Document], path: str | Path) -> None:
    Path(path).write_text(json.dumps(to_tasks(docs), ensure_ascii=False, indent=1), encoding="utf-8")


def import_file(path: str | Path) -> list[Document]:
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(path, e.lineno, f"not valid JSON ({e.msg})") from None
    if not isinstance(tasks, list):
        raise DataError(path, 1, "a Label Studio export is a JSON list of tasks")
    return from_tasks(tasks, path)
