# The README's commands. Each target creates .venv and installs the pinned
# dependencies when they are missing or out of date, so a fresh clone needs
# nothing installed by hand.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# nbgrader runs `alembic` from PATH whenever it opens a gradebook.
export PATH := $(abspath $(VENV)/bin):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test browser-test journey-test student-env bench redteam release catalogues edition corpus-chinese untranslated gradescope deploy-check clean

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

# Both journeys in a real browser, outside `make test`: the instructor's in
# formgrader and the student's in JupyterLab (fetch, a wrong function then the
# right one, Validate, submit, feedback, a renamed notebook), with every request
# checked to stay on this machine. Needs Debian's chromium and chromium-driver
# (apt-get install chromium chromium-driver) and Selenium, the browser extra,
# installed here. Screenshots go to SCREENSHOTS (default: a temporary folder).
BROWSER_STAMP := $(VENV)/.installed-browser

$(BROWSER_STAMP): $(STAMP)
	$(VENV)/bin/python -m uv pip install --quiet --python $(VENV)/bin/python -c constraints.txt -e ".[browser]"
	touch $@

browser-test: $(BROWSER_STAMP)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	    { echo "browser-test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"; exit 2; }
	$(VENV)/bin/python -m pytest tests_browser -s

# The students' Jupyter (docs/course-setup.md): a virtual environment made from a Python
# every account can run (not .venv, whose Python may live where students cannot reach it),
# with nbgrader (the Assignment List and Validate), NumPy and Matplotlib at the kit's pinned
# versions, and the course's id and exchange in its own nbgrader settings. The instructor's
# parts of nbgrader (formgrader, Create Assignment, the course list) are turned off in it.
STUDENT_ENV ?= /opt/simple-nn-student
STUDENT_PYTHON ?= /usr/bin/python3
STUDENT_PACKAGES := setuptools nbgrader numpy matplotlib

student-env: $(STAMP)
	@$(STUDENT_PYTHON) -c "$$CHECK_PYTHON"
	$(STUDENT_PYTHON) -m venv $(STUDENT_ENV)
	UV_LINK_MODE=copy $(VENV)/bin/python -m uv pip install --quiet --compile-bytecode \
	    --python $(STUDENT_ENV)/bin/python -c constraints.txt $(STUDENT_PACKAGES)
	mkdir -p $(STUDENT_ENV)/etc/jupyter
	$(VENV)/bin/python -m autograder student-config > $(STUDENT_ENV)/etc/jupyter/nbgrader_config.py
	$(STUDENT_ENV)/bin/jupyter labextension disable --level=sys_prefix \
	    @jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment @jupyter/nbgrader:course-list
	$(STUDENT_ENV)/bin/jupyter server extension disable --sys-prefix \
	    nbgrader.server_extensions.formgrader nbgrader.server_extensions.course_list
	chmod -R a+rX $(STUDENT_ENV)

# The course set-up guide (docs/course-setup.md) followed to the letter on this machine, as root:
# its commands run in a mount namespace of their own, where /srv, /home, /etc and the students'
# environment are private copies, two real Unix students (useradd) run theirs as themselves,
# and nothing is left behind. Needs root, unshare, /usr/bin/python3 with venv and the package
# registry; about 5 minutes.
journey-test: $(STAMP)
	@test "$$(id -u)" = 0 || { echo "journey-test needs root (it adds Unix users in a private copy of /etc)"; exit 2; }
	unshare --mount --propagation private $(VENV)/bin/python -m pytest -n 0 tests_journey -s

# BENCH=--only-service: the check service's part alone (bench/service.py, about 25 minutes).
bench: $(STAMP)
	$(VENV)/bin/python -m bench $(BENCH)

# The red team's attacks (bench/redteam/attacks: each with its honest twin), graded
# by this kit: points against the twin, exit status, seconds, peak memory, what is
# left running or on disk, a neighbour's slowdown. Not part of `make test` (about
# 15 minutes, and one attack runs until it is killed); ATTACKS=NAME... picks some.
REDTEAM_OUT ?= redteam.json
redteam: $(STAMP)
	$(VENV)/bin/python bench/redteam/run.py . $(REDTEAM_OUT) $(ATTACKS)

# Regenerates release/ from source/ with the real nbgrader (without --force it
# silently keeps a stale release), then the Chinese edition from the English
# source and its release (editions/zh_CN/; docs/chinese.md). Each edition names
# its own folders, whichever one nbgrader_config.py releases.
GENERATE := $(VENV)/bin/nbgrader generate_assignment simple_nn --force \
    --GenerateAssignment.no_database=True --SaveCells.enabled=False

release: $(STAMP)
	$(GENERATE) --CourseDirectory.source_directory=source --CourseDirectory.release_directory=release
	$(MAKE) --no-print-directory edition

# The Chinese edition made again from the English source and the lesson's
# catalogue (fails, naming them, while some texts have no confirmed translation),
# and its release.
edition: $(STAMP)
	$(VENV)/bin/python -m editions build
	$(GENERATE) --CourseDirectory.source_directory=editions/zh_CN/source \
	    --CourseDirectory.release_directory=editions/zh_CN/release

# Every catalogue brought in line with the code (say() templates) and with the
# English lesson: new entries empty, changed ones fuzzy, removed ones obsolete,
# for a translator; then `make edition`.
catalogues: $(STAMP)
	$(VENV)/bin/python -m autograder.language.extract update
	$(VENV)/bin/python -m editions update

# The whole corpus graded as the Chinese edition too: the same scores and causes
# by message id (make test grades a representative part of it).
corpus-chinese: $(STAMP)
	KIT_CORPUS=all $(VENV)/bin/python -m pytest -n 0 tests/test_language_corpus.py

# The sentences students and instructors read that are not yet made with say().
untranslated: $(STAMP)
	$(VENV)/bin/python -m autograder.language.extract pending

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
