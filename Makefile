# Two commands a newcomer needs: `make serve` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MEASURE := data/脱贫攻坚责任制实施办法.txt
export POLICYGRAPH_STORE ?= data/store

SUDO   := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: install install-tools office serve test lint browser virtuoso bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) install-tools

# Legacy Word (.doc/.wps) is read by Debian's antiword (catdoc as fallback); the format tests write their
# DOC and PDF fixtures with LibreOffice headless, in a font with Chinese glyphs.
install-tools:
	command -v antiword >/dev/null 2>&1 && command -v catdoc >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq antiword catdoc; }

office:
	command -v soffice >/dev/null 2>&1 && fc-list | grep -qi wqy || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui fonts-wqy-zenhei; }

serve: install
	$(BIN)/policygraph load $(MEASURE)
	$(BIN)/policygraph serve

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

# The web page tests drive the machine's Chromium (Playwright's own browser download is not reachable):
# Debian's chromium and chromium-driver, and a font with Chinese glyphs for the screenshots.
browser:
	command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei; }

# The remote-store tests start a real Virtuoso (Debian's virtuoso-opensource) on free loopback ports.
virtuoso:
	command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq virtuoso-opensource; }

test: lint browser office virtuoso
	$(BIN)/pytest

bench: install
	command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data/store data/.store.* .pytest_cache .mypy_cache .ruff_cache
