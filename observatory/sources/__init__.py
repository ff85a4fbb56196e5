"""Where source files come from: embedded demo files, a steward's directory, or data.gouv.fr."""
