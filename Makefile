# Two commands do everything: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test check lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The web app with the demo projects, on http://127.0.0.1:8000 (SQLite in ./var).
run: $(STAMP)
	$(BIN)/coprod serve --demo

## The whole test suite: lint, formatting, types, the layer contract, the deployment check, then
## the tests on SQLite, and the web tests again on the database DATABASE_URL names, if it names
## one (browser tests and the page-by-page sweeps run once: they test pages, not the database).
test: check
	env -u DATABASE_URL $(BIN)/pytest -n auto --dist worksteal -q
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Running the database tests again on $${DATABASE_URL%%@*}@…"; \
		$(BIN)/pytest -n auto --dist worksteal -q -m "not browser and not sweep" tests/web; \
	fi

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=coprod.web.settings.production \
		DJANGO_SECRET_KEY=check-only-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') \
		DJANGO_ALLOWED_HOSTS=coprod.example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/cli_startup.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
