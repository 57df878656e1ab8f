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

from vnreport.data.io import DataError, check_document, labels_used
from vnreport.document import Document
from vnreport.schema import LAYERS, LabelSet, Span


def labeling_config(labels: LabelSet | None = None) -> str:
    """The Label Studio project XML matching our two layers (a layer without labels is left out)."""
    blocks = []
    for layer, labs in (labels or LAYERS).items():
        if labs:
            inner = "".join(f'<Label value="{lab}"/>' for lab in labs)
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


def _object(value: Any, what: str, where: str, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataError(path, None, f"{where}: {what}")
    return value


def _task_document(task: Any, n: int, path: Path) -> Document:
    """One task's text and last (not cancelled) annotation, as a Document (labels not yet checked)."""
    task = _object(task, "a task must be a JSON object", f"task {n}", path)
    where = f"task {n}" + (f" (id {task['id']})" if "id" in task and task["id"] != n else "")
    data = _object(task.get("data"), "'data' must be an object", where, path)
    text = data.get("text")
    if not isinstance(text, str):
        raise DataError(path, None, f"{where}: data.text is missing")
    anns = task.get("annotations") or []
    if not isinstance(anns, list):
        raise DataError(path, None, f"{where}: 'annotations' must be a list")
    anns = [_object(a, f"annotation {i} is not an object", where, path) for i, a in enumerate(anns, 1)]
    anns = [a for a in anns if not a.get("was_cancelled")]
    result = anns[-1].get("result") or [] if anns else []
    if not isinstance(result, list):
        raise DataError(path, None, f"{where}: 'result' must be a list")
    back = {j: i for i, j in enumerate(_py_to_js(text))}
    spans: dict[str, list[Span]] = {layer: [] for layer in LAYERS}
    for k, r in enumerate(result, 1):
        r = _object(r, f"result {k} is not an object", where, path)
        if r.get("type") != "labels":
            continue
        layer = r.get("from_name")
        if layer not in LAYERS:
            raise DataError(path, None, f"{where}: result {k} comes from unknown control {layer!r} (controls are {', '.join(LAYERS)})")
        v = _object(r.get("value"), f"result {k} has no 'value' object", where, path)
        if v.get("start") not in back or v.get("end") not in back or isinstance(v.get("start"), bool):
            raise DataError(path, None, f"{where}: result {k} offsets [{v.get('start')}, {v.get('end')}) are not valid in its text")
        if not isinstance(v.get("labels"), list):
            raise DataError(path, None, f"{where}: result {k}: 'labels' must be a list")
        spans[layer] += [Span(back[v["start"]], back[v["end"]], label) for label in v["labels"]]
    meta = _object(data.get("meta") or {}, "data.meta must be an object", where, path)
    doc_id = data.get("doc_id") or task.get("id", n)
    return Document(text=text, id=str(doc_id), meta=meta, **spans)


def from_tasks(tasks: list[Any], path: str | Path = "<labelstudio>", labels: LabelSet | None = None) -> list[Document]:
    """Documents from exported tasks (the last annotation of each task), validated like JSONL;
    `labels` restricts the labels (default: the ones the tasks use). Errors name the task."""
    path = Path(path)
    docs = [_task_document(task, n, path) for n, task in enumerate(tasks, 1)]
    first: dict[str, int] = {}
    for n, doc in enumerate(docs, 1):
        if doc.id in first:
            raise DataError(path, None, f"task {n}: duplicate id {doc.id!r} (first in task {first[doc.id]})")
        first[doc.id] = n
    found = labels if labels is not None else labels_used(docs)
    out = []
    for n, doc in enumerate(docs, 1):
        try:
            out.append(check_document(doc, path, None, found))
        except DataError as e:
            raise DataError(path, None, f"task {n}: {e.reason}") from None
    return out


def export_file(docs: Iterable[Document], path: str | Path) -> None:
    Path(path).write_text(json.dumps(to_tasks(docs), ensure_ascii=False, indent=1), encoding="utf-8")


def import_file(path: str | Path, labels: LabelSet | None = None) -> list[Document]:
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError(path, e.lineno, f"not valid JSON ({e.msg})") from None
    except UnicodeDecodeError as e:
        raise DataError(path, None, f"not UTF-8 ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise DataError(path, None, f"cannot read: {e.strerror}") from None
    if not isinstance(tasks, list):
        raise DataError(path, 1, "a Label Studio export is a JSON list of tasks")
    return from_tasks(tasks, path, labels)
