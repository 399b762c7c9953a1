# The README's commands. Each target creates .venv and installs the pinned
# dependencies when they are missing or out of date, so a fresh clone needs
# nothing installed by hand.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# nbgrader runs `alembic` from PATH whenever it opens a gradebook.
export PATH := $(abspath $(VENV)/bin):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test browser-test bench release gradescope deploy-check clean

# uv installs the ~150 pinned packages in seconds where pip takes over a minute.
# --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on some CI
# machines) nothing would ever be cached, and every nbgrader process would
# compile its 4 s of imports again; compiled once here, they take 2 s. The
# kit's own modules too (0.3 s of every grade): an edit only makes one stale.
UV_VERSION := 0.13.9

# One clear line, instead of a resolver's page or a half-made .venv, when the
# Python found cannot work: the pinned versions need 3.11.2 to 3.13
# (pyproject.toml's requires-python), and Debian's python3 has no venv until
# python3-venv is installed.
define CHECK_PYTHON
import sys
version = "%d.%d.%d (%s)" % (sys.version_info[:3] + (sys.executable,))
if not (3, 11, 2) <= sys.version_info[:3] < (3, 14):
    sys.exit("make: Python %s is not supported; the kit needs 3.11.2 to 3.13: run make PYTHON=python3.12, say" % version)
try:
    import ensurepip, venv
except ImportError:
    sys.exit("make: Python %s cannot create a venv: install python3-venv (apt-get install python3-venv)" % version)
endef
export CHECK_PYTHON

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "make: no $(PYTHON) on PATH; the kit needs Python 3.11.2 to 3.13: run make PYTHON=/path/to/python3" >&2; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -c "$$CHECK_PYTHON"
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/python -m uv pip install --quiet --compile-bytecode --python $(VENV)/bin/python -c constraints.txt -e .
	$(VENV)/bin/python -m compileall -q autograder samples
	touch $@

demo: $(STAMP)
	$(VENV)/bin/python -m samples.demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# formgrader in a real browser, outside `make test`: needs Debian's chromium
# and chromium-driver (apt-get install chromium chromium-driver) and Selenium,
# the browser extra, installed here. Screenshots go to a temporary folder.
BROWSER_STAMP := $(VENV)/.installed-browser

$(BROWSER_STAMP): $(STAMP)
	$(VENV)/bin/python -m uv pip install --quiet --python $(VENV)/bin/python -c constraints.txt -e ".[browser]"
	touch $@

browser-test: $(BROWSER_STAMP)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	    { echo "browser-test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"; exit 2; }
	$(VENV)/bin/python -m pytest tests_browser -s

# BENCH=--only-service: the check service's part alone (bench/service.py, about 25 minutes).
bench: $(STAMP)
	$(VENV)/bin/python -m bench $(BENCH)

# Regenerates release/ from source/ with the real nbgrader (without --force it
# silently keeps a stale release).
release: $(STAMP)
	$(VENV)/bin/nbgrader generate_assignment simple_nn --force \
	    --GenerateAssignment.no_database=True --SaveCells.enabled=False

gradescope: $(STAMP)
	$(VENV)/bin/python -m autograder gradescope

# The kit tried as deployed (README, "Grading at scale"): the Gradescope bundle
# in pristine Debian roots, and a fresh clone with /usr/bin/python3. Needs root,
# Debian's mirror and the package registries; about 15 minutes, 5 with
# DEPLOY=--no-clone. The roots are kept in .cache/deploy for the next run.
deploy-check: $(STAMP)
	$(VENV)/bin/python -m deploy $(DEPLOY)

clean:
	rm -rf $(VENV) dist build *.egg-info
