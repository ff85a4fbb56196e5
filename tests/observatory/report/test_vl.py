"""The Vega-Lite dict helpers write what Altair wrote: JSON-ready rows, datasets named by their rows."""

import json

import numpy as np
import pandas as pd

from observatory.report import vl


def test_rows_are_json_ready_with_null_for_missing_values():
    frame = pd.DataFrame(
        {
            "code": pd.array(["01", None], dtype="str"),
            "nombre": np.array([3, 4], dtype="int64"),
            "part": [12.5, float("nan")],
            "vu": pd.array([True, pd.NA], dtype="boolean"),
        }
    )
    rows = vl.records(frame)
    assert rows == [
        {"code": "01", "nombre": 3, "part": 12.5, "vu": True},
        {"code": None, "nombre": 4, "part": None, "vu": None},
    ]
    assert type(rows[0]["nombre"]) is int and type(rows[0]["part"]) is float
    json.dumps(rows, allow_nan=False)


def test_a_dataset_is_named_by_its_rows():
    datasets: dict[str, list] = {}
    first = vl.dataset(pd.DataFrame({"a": [1, 2]}), datasets)
    again = vl.dataset(pd.DataFrame({"a": [1, 2]}), datasets)
    other = vl.dataset(pd.DataFrame({"a": [1, 3]}), datasets)
    assert first == again != other
    assert first["name"].startswith("data-") and len(first["name"]) == 37
    assert datasets[first["name"]] == [{"a": 1}, {"a": 2}] and len(datasets) == 2


def test_a_layer_carries_its_data_once_only_when_every_layer_shares_it():
    shared = {"name": "data-x"}
    bars = vl.chart(shared, "bar", {"x": vl.field("a:Q")})
    labels = vl.chart(shared, vl.mark("text", dx=3), {"x": vl.field("a:Q"), "text": vl.field("a:Q", format=",d")})
    layered = vl.layer(bars, labels, width=100)
    assert layered["data"] == shared and all("data" not in layer for layer in layered["layer"])
    assert layered["layer"][1]["mark"] == {"type": "text", "dx": 3} and layered["width"] == 100
    mixed = vl.layer(bars, vl.chart({"name": "data-y"}, "rule"))
    assert "data" not in mixed and [layer["data"] for layer in mixed["layer"]] == [shared, {"name": "data-y"}]
    assert "data" in bars, "the charts given are not changed"
