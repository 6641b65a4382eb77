# Kurasi: `make run` serves the API with demo data, `make test` runs linters and tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format typecheck pytest fuzz clean tools bench

$(BIN)/kurasi: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/kurasi

run: $(BIN)/kurasi
	mkdir -p var
	$(BIN)/kurasi db upgrade
	$(BIN)/kurasi demo seed
	$(BIN)/kurasi serve --host $(HOST) --port $(PORT)

lint: $(BIN)/kurasi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/kurasi
	$(BIN)/mypy

# Programs the tests drive, from Debian's packages: pdftotext and pdftoppm read the
# printed catalog, Chromium loads the public product page. Installed when missing and
# root; otherwise the tests that need them are skipped.
tools:
	@command -v pdftoppm >/dev/null && command -v chromium >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils chromium >/dev/null; } || \
	  echo "poppler-utils or chromium missing: the tests that need them are skipped"

# The suite runs in two processes (pytest-xdist), one a core: each has its own database.
PYTEST_WORKERS ?= 2
pytest: $(BIN)/kurasi tools
	$(BIN)/pytest -n $(PYTEST_WORKERS)

test: lint typecheck typescript pytest

# TypeScript clients (docs/clients.md): openapi-typescript's types of the document, and the
# journey written with them, must compile under tsc --strict. Node.js and npm install what
# clients/typescript/package-lock.json pins into its node_modules; without them, skipped.
.PHONY: typescript
TS := clients/typescript
ifneq ($(shell command -v node && command -v npm),)
typescript: $(BIN)/kurasi $(TS)/node_modules/.package-lock.json
	$(BIN)/kurasi openapi --output $(TS)/openapi.json
	cd $(TS) && node_modules/.bin/openapi-typescript openapi.json --output kurasi.ts \
	  --default-non-nullable false && node_modules/.bin/tsc --strict --noEmit

$(TS)/node_modules/.package-lock.json: $(TS)/package-lock.json
	cd $(TS) && npm ci --no-audit --no-fund
else
typescript:
	@echo "Node.js or npm is missing: the TypeScript client check is skipped"
endif

# The benchmark (bench/README.md): PostgreSQL at KURASI_BENCH_DATABASE_URL (default a
# database kurasi_bench it makes on 127.0.0.1:5432), 100,000 listings unless BENCH_ARGS
# says otherwise, e.g. BENCH_ARGS="--listings 1000000" or "--server-workers 2". wrk comes
# from Debian's packages, installed when missing and root.
BENCH_ARGS ?=
bench: $(BIN)/kurasi
	@command -v wrk >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# A long Schemathesis run (every phase and check, each role) on SQLite and on PostgreSQL.
FUZZ_EXAMPLES ?= 200
FUZZ_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/test
fuzz: $(BIN)/kurasi
	$(BIN)/python -m tests.fuzzing --max-examples $(FUZZ_EXAMPLES)
	$(BIN)/python -m tests.fuzzing --max-examples $(FUZZ_EXAMPLES) --database $(FUZZ_POSTGRES)

format: $(BIN)/kurasi
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
