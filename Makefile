# The two commands of the README: `make serve` and `make test`.
# Each creates its own virtual environment on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= var/store
HOST   ?= 127.0.0.1
PORT   ?= 8000
# extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not slow"'
PYTEST_ARGS ?=

.PHONY: serve test lint store clean docs

$(BIN)/budgetgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

store: $(BIN)/budgetgraph
	$(BIN)/budgetgraph load data/* --store $(STORE)

serve: store
	$(BIN)/budgetgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

test: $(BIN)/budgetgraph
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/budgetgraph
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) var

# docs/cli.md from the parser; the settings table that ends docs/server.md from web/settings.py
docs: $(BIN)/budgetgraph
	COLUMNS=100 $(BIN)/python -c "from budgetgraph.cli import reference; print(reference(), end='')" > docs/cli.md
	$(BIN)/python -c "import pathlib; from budgetgraph.web.settings import help_table; \
	p = pathlib.Path('docs/server.md'); t = p.read_text(encoding='utf-8'); \
	p.write_text(t[:t.index('| setting | default | meaning |')] + help_table() + '\n', encoding='utf-8')"
