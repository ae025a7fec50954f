# Two commands do all set-up on a fresh machine:
#   make demo   -> a full design session on the example shop workspace (offline replay agent)
#   make test   -> lint, type-check and every test (unit, LSP end-to-end, editors, reliability)
SHELL  := /bin/bash
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

# pytest on every core (at most 4 workers), a whole test file to a worker (a module fixture,
# e.g. the real agent CLIs' runs, is set up once). Not loadgroup: with pytest 9, xdist 3.8's
# xdist_group marks no longer reach the scheduler.
PYTEST_PARALLEL ?= -n auto --maxprocesses 4 --dist loadfile
ARTIFACTS = tests/artifacts

# The whole suite. Editor tests are marked slow but run here (and in CI). The VS Code suite
# runs beside lint and pytest (most of its time is spent waiting on code-server and Chromium);
# its output goes to $(ARTIFACTS)/vscode-suite.log and is printed whole once it has ended,
# after pytest's. Every part runs and reports; the target fails if any part failed.
test: $(STAMP)
	@mkdir -p $(ARTIFACTS)
	@bash editors/vscode/scripts/test.sh > $(ARTIFACTS)/vscode-suite.log 2>&1 & vscode=$$!; \
	echo "== VS Code suite started beside pytest (pid $$vscode, log $(ARTIFACTS)/vscode-suite.log)"; \
	$(MAKE) --no-print-directory lint; lint=$$?; \
	$(BIN)/pytest -q $(PYTEST_PARALLEL) 2>&1 | tee $(ARTIFACTS)/pytest.log; pytest=$${PIPESTATUS[0]}; \
	wait $$vscode; vscode=$$?; \
	echo "== VS Code suite output ($(ARTIFACTS)/vscode-suite.log):"; cat $(ARTIFACTS)/vscode-suite.log; \
	echo "== make test: lint exit $$lint, pytest exit $$pytest, VS Code suite exit $$vscode;" \
	  "pytest's closing line again:"; tail -n 1 $(ARTIFACTS)/pytest.log; \
	[ $$lint -eq 0 ] && [ $$pytest -eq 0 ] && [ $$vscode -eq 0 ]

bench: $(STAMP)
	$(BIN)/python bench/run_all.py --extra bench/soak-latest.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
