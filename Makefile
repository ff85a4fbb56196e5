# Two entry points for a fresh machine: `make run` and `make test`. Each builds its own venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export PYTHONPATH := $(CURDIR)
# dg checks that the active environment is the project's .venv.
export VIRTUAL_ENV := $(CURDIR)/$(VENV)

.PHONY: run test test-quick venv dev lint schemas referential demo-sources benchmark bench lock clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(BIN)/.installed

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

# Launch the job observatoire_complet (every asset, in-process executor) and publish to exports/.
# On failure, the last lines say which file, line and field to fix (assets/last_run.py).
run: venv $(DAGSTER_HOME)/dagster.yaml
	@$(BIN)/dg launch --job observatoire_complet || { $(BIN)/python -m assets.last_run; exit 1; }
	@cat "$${OBSERVATORY_BUILD_DIR:-build}/derniere-publication.txt"

# Everything: unit tests, graph runs, the browser and PostgreSQL (under 5 minutes on 2 cores). Two workers, one per
# core; a test file stays on one worker, and so do all the users of the session's mini run and run server
# (tests/schedule.py groups them, heavy groups first; --no-loadscope-reorder keeps that order).
test: venv
	$(BIN)/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

# Unit tests only (marker `unit`, set by tests/markers.py): no graph run, no subprocess, no browser, no PostgreSQL,
# and not those reading the whole embedded demo sources (`demo`). Two workers (pytest-xdist), one per core.
test-quick: venv
	$(BIN)/python -m pytest -m "unit and not demo" -n 2

# The Dagster UI with the asset graph: http://127.0.0.1:3000
dev: venv $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m assets.definitions -h 127.0.0.1 -p 3000

LINTED := observatory assets tests scripts benchmarks tools
lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# Table Schemas: schemas/**/*.json from the field dictionary (schemas/champs.yaml) and schemas/src/,
# then the schema.data.gouv.fr shape of the declaration schemas. Never edit the JSON by hand.
schemas: venv
	$(BIN)/python scripts/build_schemas.py
	$(BIN)/python scripts/build_declaration_schemas.py

referential: venv
	$(BIN)/python scripts/build_referential.py

demo-sources: venv
	$(BIN)/python scripts/generate_demo_sources.py

benchmark: venv
	$(BIN)/python benchmarks/reconciliation.py

# A full refresh at France scale, 3× and 10× (docs/performance.md); never part of `make test`.
# BENCH_SCALES=1,3 skips 10× when iterating.
BENCH_SCALES ?= 1,3,10
bench: venv
	$(BIN)/python benchmarks/bench.py --scales $(BENCH_SCALES)

lock: venv
	$(BIN)/pip freeze --all --exclude-editable | sed -e "/^observatoire-opsn/d" -e "/^pip==/d" > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf build $(VENV)
