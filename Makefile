# Every target bootstraps .venv itself, so a bare machine with Python 3.11, 3.12 or 3.13 needs
# nothing else (`make test PYTHON=python3.12`). Dependencies come from requirements-dev.lock, every
# one pinned with its hashes (regenerate: see README, "Reproducible and offline install").
PYTHON ?= python3.11
VENV ?= $(if $(filter python3.11,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench index setup clean browser wheelhouse

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11, 3.12 or 3.13 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

index: $(STAMP)
	$(BIN)/hosakan index --if-stale

run: index
	$(BIN)/hosakan chat

# the web page's tests drive Debian's Chromium; as root on a bare machine it is installed here
browser:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$HOSAKAN_CHROMIUM" ] || { \
	  [ "$$(id -u)" = 0 ] || { echo "Chromium is needed for the web page's tests: sudo apt-get install chromium"; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python -m pytest

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,semantic,bench]'
	@touch $(BENCH_STAMP)

bench: index $(BENCH_STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.api

# every wheel for Linux x86_64 and Python 3.11-3.13, plus Hosakan's own: dist/wheelhouse(.tar.gz)
wheelhouse: $(STAMP)
	PY=$(BIN)/python deploy/wheelhouse.sh

clean:
	rm -rf $(VENV) var bench/out dist
