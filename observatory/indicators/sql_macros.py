"""The SIREN macros, for the indicator modules: they live in observatory/siren_sql.py, which
the reconciliation uses too without depending on the indicators."""

from observatory.siren_sql import install_macros

__all__ = ["install_macros"]
