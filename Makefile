# Two commands do all set-up on a fresh machine:
#   make demo   -> a full design session on the example shop workspace (offline replay agent)
#   make test   -> lint, type-check and every test (unit, LSP end-to-end, editors, reliability)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: venv demo test lint unit editors vscode nvim bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/codemyspec demo $(DIR)

lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -m "not slow" -q

vscode: $(STAMP)
	bash editors/vscode/scripts/test.sh

nvim: $(STAMP)
	$(BIN)/pytest -q tests/editors/nvim

# The whole suite. Editor tests are marked slow but run here (and in CI).
test: $(STAMP)
	$(MAKE) lint
	$(BIN)/pytest -q
	bash editors/vscode/scripts/test.sh

bench: $(STAMP)
	$(BIN)/python bench/run_all.py --extra bench/soak-latest.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
