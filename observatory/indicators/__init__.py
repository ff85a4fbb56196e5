"""Indicators of the observatory: one catalogue of definitions (catalogue.yaml), computed in DuckDB.

Entry points are in `observatory.indicators.api`.
"""
