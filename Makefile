# Two commands for a newcomer: `make run` and `make test`. Everything else is for contributors.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1:8000

.PHONY: setup run test lint format messages chromium axe clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

## setup: install the locked dependencies into .venv and compile the message catalogues
setup: $(BIN)/uv
	$(BIN)/uv sync --locked --quiet --python $(BIN)/python
	$(BIN)/pybabel -q compile --domain django --directory locale
	$(BIN)/pybabel -q compile --domain django --directory vendor_locale/allauth

## run: set up, migrate, load demo data and serve the site on http://$(HOST)
run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py runserver $(HOST)

## test: set up and run the whole suite (browser tests need /usr/bin/chromium)
test: setup chromium axe
ifeq ($(PYTEST_ARGS),)
	$(BIN)/pytest -m "not browser"
	@# Each browser journey gets a fresh test database in its own process: after a flush,
	@# pytest-django's restored copy of the reference data proved incomplete (docs/adr/0005).
	@for journey in tests/e2e/test_*.py; do $(BIN)/pytest -m browser "$$journey" || exit 1; done
else
	$(BIN)/pytest $(PYTEST_ARGS)
endif

## chromium: install Debian's Chromium for the browser tests when we are allowed to
chromium:
	@test -x /usr/bin/chromium \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	       && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } \
	  || echo "Chromium is not installed (apt-get install chromium); browser tests will be skipped."

## axe: install axe-core (package-lock.json) for the accessibility checks when npm is here
axe:
	@test -f node_modules/axe-core/axe.min.js \
	  || { command -v npm >/dev/null && npm ci --silent --no-audit --no-fund; } \
	  || echo "npm is not installed (or npm ci failed); the accessibility checks will be skipped."

## lint: ruff's rules and formatting, and migrations that match the models
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the catalogues after changing strings (needs GNU gettext)
messages: setup
	$(BIN)/python manage.py makemessages -l vi -l en --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=vendor_locale

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules
	find locale vendor_locale -name '*.mo' -delete
