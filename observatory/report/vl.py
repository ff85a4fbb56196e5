"""Vega-Lite specs as plain dicts: the few constructions the charts use.

Altair took 0.1 s a chart, about a third of the charts' time at France scale, copying its schema objects
and validating them; these helpers write the same specs directly (tests/observatory/report checks them
against the Vega-Lite schema). Tables become named datasets, as Altair did, named by the hash of their rows.
"""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"
TYPES = {"N": "nominal", "O": "ordinal", "Q": "quantitative", "T": "temporal"}


def field(shorthand: str, **properties) -> dict:
    """`"Part (%):Q"` -> {"field": "Part (%)", "type": "quantitative", ...properties}."""
    name, code = shorthand.rsplit(":", 1)
    return {"field": name, "type": TYPES[code], **properties}


def records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: missing values become null, numbers plain Python numbers."""
    rows = frame.astype(object).to_dict(orient="records")
    return [{key: _plain(value) for key, value in row.items()} for row in rows]


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def dataset(frame: pd.DataFrame, datasets: dict[str, list]) -> dict:
    """Add the table to `datasets` under the hash of its rows and return the reference to it."""
    values = records(frame)
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]
    name = f"data-{digest}"
    datasets[name] = values
    return {"name": name}


def chart(data: dict | None, mark: str | dict, encoding: dict | None = None, **properties) -> dict:
    spec: dict = {} if data is None else {"data": data}
    spec["mark"] = {"type": mark} if isinstance(mark, str) else mark
    if encoding:
        spec["encoding"] = encoding
    return {**spec, **properties}


def mark(kind: str, **properties) -> dict:
    return {"type": kind, **properties}


def layer(*charts: dict, **properties) -> dict:
    """Layers sharing one data source carry it once, on the layer (as Altair wrote them)."""
    charts = [dict(c) for c in charts]
    sources = [c.get("data") for c in charts]
    spec: dict = {}
    if sources[0] is not None and all(source == sources[0] for source in sources):
        spec["data"] = sources[0]
        for c in charts:
            del c["data"]
    return {**spec, "layer": charts, **properties}


def vconcat(*charts: dict, **properties) -> dict:
    return {"vconcat": list(charts), **properties}
