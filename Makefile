# Two entry points for a fresh machine: `make run` and `make test`. Each builds its own venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export PYTHONPATH := $(CURDIR)

.PHONY: run test venv dev lint referential demo-sources benchmark lock clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(BIN)/.installed

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

# Materialize every asset through Dagster (in-process executor) and publish to exports/.
run: venv $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster asset materialize -m assets.definitions --select '*'
	@cat build/derniere-publication.txt

test: venv
	$(BIN)/python -m pytest

# The Dagster UI with the asset graph: http://127.0.0.1:3000
dev: venv $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m assets.definitions -h 127.0.0.1 -p 3000

lint: venv
	$(BIN)/ruff check observatory assets tests scripts benchmarks

referential: venv
	$(BIN)/python scripts/build_referential.py

demo-sources: venv
	$(BIN)/python scripts/generate_demo_sources.py

benchmark: venv
	$(BIN)/python benchmarks/reconciliation.py

lock: venv
	$(BIN)/pip freeze --all --exclude-editable | sed -e "/^observatoire-opsn/d" -e "/^pip==/d" > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf build $(VENV)
