"""A chart ready to render: its file name, title, alt text and the data table behind it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Figure:
    sujet: str
    titre: str
    alt: str
    # Its Vega-Lite spec (observatory/report/vl.py), without the shared configuration.
    chart: dict
    # The exact figures drawn, with French column headers: the accessible fallback and <sujet>.csv.
    table: pd.DataFrame
    # The data the spec refers to by name: its tables, and the map outlines.
    datasets: dict[str, list] = field(default_factory=dict)


def fr_number(value: float, decimals: int = 0) -> str:
    """French typography: narrow no-break space between thousands, decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")
