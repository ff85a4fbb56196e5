"""Reconciliation of declared OPSN members with the official referential (COG 2026).

Entry points: `reconcile_members` (engine.py), `flag_multiple_memberships`
(duplicates.py), `build_declaration_quality` (quality.py).
"""

from observatory.reconcile.duplicates import flag_multiple_memberships
from observatory.reconcile.engine import ReconcileReport, reconcile_members
from observatory.reconcile.quality import build_declaration_quality

__all__ = ["ReconcileReport", "build_declaration_quality", "flag_multiple_memberships", "reconcile_members"]
