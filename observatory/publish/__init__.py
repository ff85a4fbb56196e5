"""Publishing: versioned, immutable Frictionless packages and a DuckDB file for researchers."""
