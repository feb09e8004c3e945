# Tendency Atlas: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test validate export screenshots serve-prod clean setup bench bytecode

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The package's bytecode, written ahead: an editable install leaves none, and where
# PYTHONDONTWRITEBYTECODE is set (as on this project's machines) every start would compile
# every module again (about 0.1 s of a 0.6 s start). Checking costs a few ms when up to date.
bytecode: $(STAMP)
	@$(PY) -m compileall -q dashboard

setup: $(STAMP) bytecode

run: $(STAMP) bytecode
	$(PY) -m dashboard serve

validate: $(STAMP)
	$(PY) -m dashboard validate

export: $(STAMP)
	$(PY) -m dashboard export --format csv

test: $(STAMP) bytecode
	$(PY) -m pytest --headless

# The tested production settings (deploy/gunicorn.conf.py: --preload always, sync workers, timeouts);
# put nginx in front with deploy/nginx/tendency-atlas.conf (README, Production). WORKERS=N to change the count.
serve-prod: $(STAMP) bytecode
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py 'dashboard.wsgi:server'

bench: $(STAMP) bytecode
	$(PY) benchmarks/run.py --orgs 200 --topics 30 --quotes 20000 --sources 500 --scales 0.25,0.5,1 --json bench.json

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
