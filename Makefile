# Quick start: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test test-e2e test-pg venv venv-dev translations db bench clean mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever a requirements file changes. `make run` needs only the app's; tests and benches add the
# development tools (requirements-dev.txt includes requirements.txt).
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

venv-dev: $(VENV)/.installed-dev

# Compiled catalogues are files made from their .po, so two makes started side by side (CI's two suites) find
# them up to date instead of both rewriting them at once.
MO := $(patsubst %.po,%.mo,$(wildcard supermarket/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po | venv
	$(BIN)/pybabel compile -i $< -o $@

translations: venv $(MO)

db: venv translations
	$(BIN)/flask db upgrade

run: db
	$(BIN)/flask demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: venv-dev translations
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-e2e: venv-dev translations
	E2E_REQUIRED=1 $(BIN)/python -m pytest -q -m e2e $(PYTEST_ARGS)

# Runs the suite on PostgreSQL (a throwaway database on 127.0.0.1:5432).
test-pg: venv-dev translations
	$(BIN)/python tools/pg_testdb.py run -- $(BIN)/python -m pytest -q -m "not e2e" $(PYTEST_ARGS)

# Mutation testing of the money, points, aid and stock rules (tools/mutation.py): about 20 minutes on two
# cores, so not in .ci/run. MUTATION_ARGS e.g. "--targets sales_payments --all", MUTATION_JOBS=1 on a busy host.
mutation: venv-dev translations
	nice -n 15 $(BIN)/python tools/mutation.py $(MUTATION_ARGS)

bench: venv-dev translations
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Extract and update message catalogues after adding strings.
messages: venv
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" --no-location --sort-output --omit-header -o supermarket/translations/messages.pot .
	$(BIN)/pybabel -q update -i supermarket/translations/messages.pot -d supermarket/translations

clean:
	rm -rf $(VENV) instance/*.db*
