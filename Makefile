# The README's commands. Each target creates .venv and installs the pinned
# dependencies when they are missing or out of date, so a fresh clone needs
# nothing installed by hand.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# nbgrader runs `alembic` from PATH whenever it opens a gradebook.
export PATH := $(abspath $(VENV)/bin):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test browser-test bench release gradescope clean

# uv installs the ~150 pinned packages in seconds where pip takes over a minute.
UV_VERSION := 0.13.9

$(STAMP): pyproject.toml constraints.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/python -m uv pip install --quiet --python $(VENV)/bin/python -c constraints.txt -e .
	touch $@

demo: $(STAMP)
	$(VENV)/bin/python -m autograder demo

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

bench: $(STAMP)
	$(VENV)/bin/python -m bench

# Regenerates release/ from source/ with the real nbgrader (without --force it
# silently keeps a stale release).
release: $(STAMP)
	$(VENV)/bin/nbgrader generate_assignment simple_nn --force \
	    --GenerateAssignment.no_database=True --SaveCells.enabled=False

gradescope: $(STAMP)
	$(VENV)/bin/python -m autograder gradescope

clean:
	rm -rf $(VENV) dist build *.egg-info
