# Quick start: `make run` (install and run the app), `make test` (install and run the tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install demo bench clean serve-cluster

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip compiles every installed module one file after another (half of an install's time); compileall does it on
# every core, leaving out the packages' own test folders, pip and setuptools, which nothing here imports (a third
# of the files; 16 -> 10 s). A file that does not compile is left as it is, as pip leaves it. Every package is
# pinned in the requirements files, dependencies included, so pip installs exactly those without resolving (a
# fifth of the install) and `pip check` then fails the install if any package's dependency is missing or of
# another version. pip fetches and unpacks one package after another: four pips, each given a quarter of the
# pinned lines (round robin), install side by side (no two install the same package; 26 -> 14 s here).
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	rm -f $(VENV)/requirements-part-*
	grep -hv '^-r' requirements.txt requirements-dev.txt | awk '{ print > ("$(VENV)/requirements-part-" NR % 4) }'
	ls $(VENV)/requirements-part-* | xargs -P 4 -I{} $(PY) -m pip install --quiet --disable-pip-version-check --no-compile --no-deps -r {}
	rm -f $(VENV)/requirements-part-*
	$(PY) -m pip check --disable-pip-version-check
	$(PY) -m compileall -q -j 0 -x '/(tests?|pip|setuptools)/' "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" >/dev/null || true
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m sinergi.serve

# N app processes behind HAProxy at http://127.0.0.1:8500 (docs/deployment.md; needs: apt-get install haproxy).
N ?= 3
serve-cluster: $(STAMP)
	$(PY) -m sinergi.cluster run --replicas $(N)

# One test worker per core and one more (pytest-xdist); TEST_JOBS=1 runs them in one process. The browser tests
# spend part of their time waiting (for Chromium, an app server, a page's timers), which the extra worker fills:
# on this 2-core machine, 3 workers left the cores idle 22-31 s of a run where 2 left them idle 64-93 s, and took
# 315-327 s where 2 took 340-349 s (interleaved runs). Work stealing: each worker starts on a contiguous share of
# the tests (a module's shared server or dataset is made once, not once per worker) and takes half of another's
# remaining tests when it runs out (no worker idles at the end).
TEST_JOBS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

# The app's own modules are compiled first, on every core: where Python may not write bytecode
# (PYTHONDONTWRITEBYTECODE), each of the dozens of app servers and commands the tests start would compile the
# modules it imports again (~0.2 s of CPU for a server's). A file that does not compile is named here and then by
# the tests that import it.
test: $(STAMP)
	$(PY) -m compileall -q -j 0 app.py pages sinergi || true
	$(PY) -m pytest -q -n $(TEST_JOBS) --dist worksteal

demo: $(STAMP)
	$(PY) -m sinergi build-demo

bench: $(STAMP)
	$(PY) bench/map_bench.py

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal
