"""Check one OPSN's declaration before it is published: format, reconciliation, overlaps.

Entry point: `verify_declaration` (verify.py), called by `observatory verifier` and, later,
by a web front end. Knows nothing of Dagster.
"""

from observatory.verify.verify import VerificationResult, verify_declaration

__all__ = ["VerificationResult", "verify_declaration"]
