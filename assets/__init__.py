"""Dagster wiring of the observatory: assets, checks, resources, schedules. No logic lives here."""
