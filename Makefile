# Two commands do all the set-up on a fresh machine: `make report` and `make test`.
# Each creates .venv and installs the project (with its test extras) when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
FY ?=
LANG_OPT ?=
LAB_OPTS ?=
# The kernel `make install` registers; every notebook stores this kernelspec (tests/test_notebooks_clean.py).
KERNEL_NAME := python3
KERNEL_DISPLAY_NAME := Python 3 (dxanalysis)
# JupyterLab refuses to start as root without --allow-root (containers, CI-like machines).
ROOT_OPT := $(if $(filter 0,$(shell id -u)),--allow-root)
# The git clean filter for *.ipynb (.gitattributes): outputs, counts and machine-specific metadata never
# reach the repository; cell ids are kept. Run from the worktree's top level, so the path is relative.
NBSTRIPOUT := $(VENV)/bin/nbstripout --keep-id --extra-keys "metadata.language_info.version \
	metadata.language_info.codemirror_mode metadata.language_info.file_extension metadata.language_info.mimetype \
	metadata.language_info.nbconvert_exporter metadata.language_info.pygments_lexer"

.PHONY: install test report lab bench clean git-filter

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY_NAME)" >/dev/null
	$(MAKE) --no-print-directory git-filter
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project

git-filter:  ## strip notebook outputs on `git add` (nbstripout as the clean filter named in .gitattributes)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(NBSTRIPOUT)' && git config filter.nbstripout.smudge cat; fi

test: $(STAMP)  ## run every test: package, data, notebooks
	$(PY) -m pytest

report: $(STAMP)  ## run the notebooks on the bundled data in ja and en; write figures/, reports/ (ja) and reports/en/
	$(PY) -m dxanalysis report $(if $(FY),--fiscal-year $(FY)) $(if $(LANG_OPT),--lang $(LANG_OPT))

lab: $(STAMP)  ## open JupyterLab on the project; options in LAB_OPTS, e.g. make lab LAB_OPTS="--no-browser --port 8899"
	$(VENV)/bin/jupyter lab --notebook-dir=. $(ROOT_OPT) $(LAB_OPTS)

bench: $(STAMP)  ## performance benchmarks (not part of `make test`)
	$(PY) benchmarks/run.py

clean:  ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports .pytest_cache
