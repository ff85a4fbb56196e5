"""Observatoire des OPSN: pure transforms and I/O edges, with no knowledge of Dagster."""

__version__ = "0.1.0"
