# Two commands do all the set-up on a fresh machine: `make report` and `make test`.
# Each creates .venv and installs the project (with its test extras) when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
FY ?=
LANG_OPT ?= ja

.PHONY: install test report lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (dxanalysis)" >/dev/null
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project

test: $(STAMP)  ## run every test: package, data, notebooks
	$(PY) -m pytest

report: $(STAMP)  ## run the notebooks on the bundled data; write figures/ and reports/
	$(PY) -m dxanalysis report $(if $(FY),--fiscal-year $(FY)) --lang $(LANG_OPT)

lab: $(STAMP)  ## open JupyterLab on the project
	$(VENV)/bin/jupyter lab --notebook-dir=.

bench: $(STAMP)  ## performance benchmarks (not part of `make test`)
	$(PY) benchmarks/run.py

clean:  ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports .pytest_cache
