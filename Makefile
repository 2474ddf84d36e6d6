# flowmap — the two commands a newcomer runs:
#   make demo   set everything up, analyse and render the bundled processes/ into out/
#   make test   set everything up and run the whole test suite
# Both create .venv, install flowmap with its test extras and, when missing, the system
# packages it needs (Graphviz's `dot`; for the browser and BPMN tests Chromium and Node.js).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test setup system-packages bench docs clean

demo: setup
	$(BIN)/flowmap validate processes/
	mkdir -p $(OUT)
	$(BIN)/flowmap analyze processes/ --exit-zero | tee $(OUT)/analysis.txt
	$(BIN)/flowmap analyze processes/ --exit-zero --format json -o $(OUT)/analysis.json
	$(BIN)/flowmap render processes/ -o $(OUT)/diagrams --format svg,png
	$(BIN)/flowmap render processes/ -o $(OUT)/posters --format pdf --poster
	mkdir -p $(OUT)/reports
	for dir in processes/*/; do name=$$(basename $$dir); \
	  $(BIN)/flowmap report $$dir/as-is.flow.yaml $$dir/to-be.flow.yaml \
	    -o $(OUT)/reports/$$name.html --force || exit 1; done
	@echo "Analysis in $(OUT)/analysis.txt and .json; diagrams in $(OUT)/diagrams/;" \
	  "workshop posters in $(OUT)/posters/; HTML reports (as-is vs to-be) in $(OUT)/reports/"

test: setup
	$(BIN)/python -m pytest -n auto

setup: $(VENV)/.installed system-packages tests/bpmn/node/node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# bpmnlint (npm) checks exported BPMN in the tests; skipped there when Node.js is missing.
tests/bpmn/node/node_modules/.installed: tests/bpmn/node/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --silent --no-audit --no-fund --prefix tests/bpmn/node && touch $@; \
	else echo "Node.js/npm not found: the bpmnlint test will be skipped"; fi

# Graphviz draws the diagrams; Cairo (libcairo2) turns them into PDF and PNG (through CairoSVG);
# Chromium runs the HTML report's browser test; poppler-utils (pdftoppm) turns PDF pages into
# images in the render tests; a Java runtime runs Spark in the test that checks
# `flowmap mine --engine spark` against DuckDB.
system-packages:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || missing="$$missing libcairo2"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

bench: setup
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

docs: setup
	$(BIN)/python -m flowmap.rules.docs docs/rules
	$(BIN)/flowmap schema > schema/flowmap.schema.json
	$(BIN)/flowmap schema --org > schema/flowmap-org.schema.json

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
