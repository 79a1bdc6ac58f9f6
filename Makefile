# 法治政府建设看板 — the two commands a new machine needs are `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DB ?= data/warehouse.duckdb

ADDRESS ?= 127.0.0.1
# The upload box's limit is settings.toml's [limits] upload_max_mb (DASHBOARD_SETTINGS may name another file).
UPLOAD_MB = $$($(PY) -c "from analytics import settings; print(settings.limit('upload_max_mb'))")

.PHONY: run serve test lint bench sample db system-deps clean screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Debian's chromium (browser tests, chart images), CJK fonts, LibreOffice Writer and poppler (the report
# rendered as a word processor does, tests/analytics/test_report_word.py), LibreOffice Calc (an .ods as it
# saves one, tests/etl/test_upload_limits.py) and nginx, installed only when missing.
# nginx is for deploy/ and its test (tests/deploy), which run their own nginx: the system's service is
# neither started (a policy-rc.d during the install, unless one exists) nor enabled at boot.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "installing chromium and fonts-noto-cjk"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fontconfig >/dev/null; \
	fi
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
		|| { ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 && ! dpkg -s libreoffice-calc >/dev/null 2>&1; }; then \
		echo "installing LibreOffice Writer and Calc (no GUI) and poppler-utils: the report opened as Word would, an .ods as LibreOffice saves it"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null; \
	fi
	@if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then \
		echo "installing nginx (its system service is not started)"; \
		made=; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; status=$$?; \
		if [ -n "$$made" ]; then rm -f /usr/sbin/policy-rc.d; fi; \
		if command -v systemctl >/dev/null; then systemctl disable -q nginx 2>/dev/null || true; fi; \
		exit $$status; \
	fi

$(DB): | $(VENV)/.installed
	umask 077 && DASHBOARD_DB=$(DB) $(PY) -m etl load data/sample/*.xlsx

db: $(DB)

# Demo on this machine only: no sign-in (everyone is an admin), bound to 127.0.0.1, a banner says so.
# umask 077: what the server and the loads write (warehouse, masked copies, users database, spill files) is the owner's only.
run: $(VENV)/.installed system-deps $(DB)
	umask 077 && FORWARDED_ALLOW_IPS= DASHBOARD_AUTH=off DASHBOARD_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true --server.maxUploadSize $(UPLOAD_MB)

# With sign-in: on the first start an admin account is created and its password printed once.
# FORWARDED_ALLOW_IPS empty: uvicorn (Streamlit's server) trusts no X-Forwarded-For, which any client of
# this machine could send to choose the address the audit log and the sign-in limits see.
serve: $(VENV)/.installed system-deps $(DB)
	umask 077 && DASHBOARD_DB=$(DB) $(PY) -m analytics users init
	umask 077 && FORWARDED_ALLOW_IPS= DASHBOARD_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true --server.maxUploadSize $(UPLOAD_MB)

test: $(VENV)/.installed system-deps
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy analytics etl sample

bench: $(VENV)/.installed system-deps
	$(PY) -m bench

# Every page, zh and en, at 1440 and 390 px and printed on A4, and the A4 brief, into artifacts/screenshots/.
screenshots: $(VENV)/.installed system-deps
	@command -v pdftoppm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) || true
	$(PY) -m tests.browser.screenshots

sample: $(VENV)/.installed
	$(PY) -m etl sample

clean:
	rm -f data/warehouse.duckdb data/warehouse.duckdb.wal
