"""Seeded generator of the embedded demonstration sources ("données de démonstration").

Member lists and CNIL rows cannot be downloaded in every environment, so the default
sources are generated from the real vendored referential (COG 2026, ANCT operators)
in the real file formats. Nothing in this package runs inside the pipeline: it is only
called by `scripts/generate_demo_sources.py`.
"""
