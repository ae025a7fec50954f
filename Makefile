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

# pytest on every core (at most 4 workers); a worker that runs out of tests takes half of
# another's queue (worksteal), so no worker is left alone with a long test at the end. No
# test module has an expensive module-scope fixture: each test may run on any worker.
PYTEST_PARALLEL ?= -n auto --maxprocesses 4 --dist worksteal
ARTIFACTS = tests/artifacts
# Node 24, code-server and Chromium for the VS Code end-to-end test, kept outside the clone so
# a fresh clone on the same machine does not build code-server's native modules again (about
# 3 to 11 minutes on 2 cores). Installed under a lock: two runs at once install it once.
CODEMYSPEC_E2E_CACHE ?= $(HOME)/.cache/codemyspec/vscode-e2e
export CODEMYSPEC_E2E_CACHE

# The whole suite. Editor tests are marked slow but run here (and in CI). The VS Code suite
# runs beside lint and pytest (most of its time is spent waiting on code-server and Chromium);
# its output goes to $(ARTIFACTS)/make-test-vscode.log (not vscode-*: its e2e test clears
# those) and is printed whole once it has ended, after pytest's. Every part runs and
# reports; the target fails if any part failed.
test: $(STAMP)
	@mkdir -p $(ARTIFACTS) $(CODEMYSPEC_E2E_CACHE)
	@{ flock $(CODEMYSPEC_E2E_CACHE).lock bash editors/vscode/scripts/setup-e2e.sh > /dev/null; \
	   bash editors/vscode/scripts/test.sh; } > $(ARTIFACTS)/make-test-vscode.log 2>&1 & vscode=$$!; \
	echo "== VS Code suite started beside pytest (log $(ARTIFACTS)/make-test-vscode.log)"; \
	$(MAKE) --no-print-directory lint; lint=$$?; \
	$(BIN)/pytest -q $(PYTEST_PARALLEL) --durations=20 --junitxml=$(ARTIFACTS)/make-test-pytest.xml \
	  2>&1 | tee $(ARTIFACTS)/make-test-pytest.log; \
	pytest=$${PIPESTATUS[0]}; \
	wait $$vscode; vscode=$$?; \
	echo "== VS Code suite output ($(ARTIFACTS)/make-test-vscode.log):"; \
	cat $(ARTIFACTS)/make-test-vscode.log; \
	echo "== make test: lint exit $$lint, pytest exit $$pytest, VS Code suite exit $$vscode;" \
	  "pytest's closing line again:"; tail -n 1 $(ARTIFACTS)/make-test-pytest.log; \
	[ $$lint -eq 0 ] && [ $$pytest -eq 0 ] && [ $$vscode -eq 0 ]

bench: $(STAMP)
	$(BIN)/python bench/run_all.py --extra bench/soak-latest.md

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
