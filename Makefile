# Every target bootstraps .venv itself, so a bare machine with Python 3.11, 3.12 or 3.13 needs
# nothing else (`make test PYTHON=python3.12`). Dependencies come from requirements-dev.lock, every
# one pinned with its hashes (regenerate: see README, "Reproducible and offline install").
PYTHON ?= python3.11
VENV ?= $(if $(filter python3.11,$(PYTHON)),.venv,.venv-$(notdir $(PYTHON)))
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench index setup clean system wheelhouse lint

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11, 3.12 or 3.13 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml setup.py requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

index: $(STAMP)
	$(BIN)/hosakan index --if-stale

run: index
	$(BIN)/hosakan chat

# what the tests use from Debian: Chromium for the web page, a Japanese font for the PDFs it prints (Noto CJK: the
# source tests expect its Kangxi-radical text), PostgreSQL for the replicas, tmux for the console, nginx for the
# reverse-proxy tests; as root on a bare machine they are installed here
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || [ -n "$$HOSAKAN_CHROMIUM" ] || missing="$$missing chromium"; \
	command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	fc-list 2>/dev/null | grep -q NotoSansCJK || missing="$$missing fonts-noto-cjk"; \
	[ -z "$$missing" ] || { \
	  [ "$$(id -u)" = 0 ] || { echo "The tests need Debian's$$missing: sudo apt-get install$$missing"; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; }

# ruff (style, pyflakes, bugbear, import order) and import-linter (adapters -> bot -> indexer -> knowledge,
# nothing upward), both configured in pyproject.toml, before the tests
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(STAMP) system lint
	$(BIN)/python -m pytest

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,semantic,bench]'
	@touch $(BENCH_STAMP)

bench: index $(BENCH_STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.sources

# every wheel for Linux x86_64 and Python 3.11-3.13, plus Hosakan's own: dist/wheelhouse(.tar.gz)
wheelhouse: $(STAMP)
	PY=$(BIN)/python deploy/wheelhouse.sh

clean:
	rm -rf $(VENV) var bench/out dist
