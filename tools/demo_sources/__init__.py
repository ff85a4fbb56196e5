"""Seeded generator of the embedded demonstration sources ("données de démonstration").

Member lists and CNIL rows cannot be downloaded in every environment, so the default
sources are generated from the real vendored referential (COG 2026, ANCT operators)
in the real file formats. A tool of the checkout, beside `scripts/`: it is not part of the
installed library (pyproject's `packages.find` includes only `observatory` and `assets`),
nothing in it runs inside the pipeline, and it is driven by `scripts/generate_demo_sources.py`.
It reuses the library's referential loader and name key rather than keeping copies.
"""
