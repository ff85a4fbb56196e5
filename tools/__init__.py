"""Developer tools of the checkout, never installed with the library (see pyproject packages.find)."""
