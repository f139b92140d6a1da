# Two entry points (see README): `make verify` checks the article, `make test` runs everything.
PY      ?= python3.11
VENV    ?= .venv
VPY     := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
SEED    ?= 0
PROFILE ?= ci
IMPL    ?= implementations
REPORTS ?= reports
JOBS    ?= 2
N       ?= 50
# one BLAS thread per pytest process (2 xdist workers on 2 cores; see conftest.py)
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
# Python's bytecode cache (__pycache__/, ignored by git) and pytest's rewritten test modules
# are written even where the environment sets PYTHONDONTWRITEBYTECODE: compiling the
# project again in every process (the controller and each xdist worker) cost about 2 s of
# CPU per process (docs/performance.md)
unexport PYTHONDONTWRITEBYTECODE
# FRESH=1: re-derive every check instead of replaying unchanged ones from the result cache
# (.claimledger-cache/, see claimledger/cache.py); `make test`, the flake audit and CI
# always do
FRESH ?=
FRESH_FLAG = $(if $(FRESH),--fresh)

.PHONY: verify test venv browser torch jax keras diagnose lock flake-audit thorough mutation \
    stats-audit clean wheel example bench

venv: $(STAMP)

# The exact versions of the reproducible run: requirements.lock, compiled by pip-tools from
# pyproject.toml's compatible ranges (`make lock` recompiles it). pip-tools because its
# output is a plain pinned requirements file that the venv's own pip installs: nothing
# beyond pip is needed to install, on CI or by a user beside their framework.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(VPY) || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# the engine, installed as any user installs it (editable: its pytest11 entry point
	@# registers the plugin), and the article's folders importable from the venv
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(VPY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'dl_verifier.pth').write_text('$(CURDIR)\n')"
	@touch $(STAMP)

# The article's claims only (no harness self-tests); prints the ledger, writes reports/.
# IMPL=torch / IMPL=jax / IMPL=keras verify PyTorch's / JAX's / Keras 3's blocks instead
# (installing the framework into .venv if missing); IMPL=module.name or IMPL=path/to/module.py verifies any module
# following the protocol. Each writes reports/<name>/ (a clean name: the alias, or the
# module's file or dotted name) and a side-by-side table against the reference ledger (the
# reference pass runs first when reports/ledger.json is missing or was made with another
# seed or profile), and exits non-zero when a claim fails that is not a documented
# difference (KNOWN=module or path; torch, jax and keras have theirs, any other module has
# none). A claim failing in the reference ledger too is the harness's, reported apart.
IMPL_NAME = $(subst .,-,$(patsubst %.py,%,$(notdir $(IMPL))))
KNOWN_torch = implementations.adapters.torch_known_differences
KNOWN_jax = implementations.adapters.jax_known_differences
KNOWN_keras = implementations.adapters.keras_known_differences
KNOWN ?= $(KNOWN_$(IMPL))
ifeq ($(IMPL),implementations)
verify: venv
	$(VPY) -m pytest checks --ignore=checks/harness -n $(JOBS) -q --root-seed=$(SEED) \
	    --hypothesis-profile=$(PROFILE) --impl=$(IMPL) --report-dir=$(REPORTS) --durations 10 \
	    $(FRESH_FLAG)
else
verify: venv $(filter torch jax keras,$(IMPL))
	@rm -f $(REPORTS)/$(IMPL_NAME)/ledger.json
	-$(VPY) -m pytest checks --ignore=checks/harness -n $(JOBS) -q --root-seed=$(SEED) \
	    --hypothesis-profile=$(PROFILE) --impl=$(IMPL) --report-dir=$(REPORTS)/$(IMPL_NAME) \
	    --durations 10 --no-shrink $(FRESH_FLAG)
	$(VPY) -m claimledger.compare_ledgers $(REPORTS)/ledger.json \
	    $(REPORTS)/$(IMPL_NAME)/ledger.json $(if $(KNOWN),--known $(KNOWN)) \
	    --reference-command "$(MAKE) --no-print-directory verify IMPL=implementations \
	        SEED=$(SEED) PROFILE=$(PROFILE) JOBS=$(JOBS) REPORTS=$(REPORTS)"
endif

# Every region of the float line where an implementation's elementwise blocks deviate from
# the reference (itself checked against 50-digit values), with sizes: a hypothesis failure
# shows one example per check, this lists them all. Writes reports/<name>/diagnose.md.
diagnose: venv $(filter torch jax keras,$(IMPL))
	@mkdir -p $(REPORTS)/$(IMPL_NAME)
	$(VPY) -m checks.support.diagnose --impl=$(IMPL) | tee $(REPORTS)/$(IMPL_NAME)/diagnose.md

# PyTorch's CPU build (the optional extra `torch` in pyproject.toml).
torch: venv
	@$(VPY) -c "import torch" 2>/dev/null || $(VPY) -m pip install --quiet \
	    --disable-pip-version-check torch==2.13.0

# JAX, flax and optax (the optional extra `jax`), at the versions of requirements-jax.lock.
jax: venv
	@$(VPY) -c "import jax, flax, optax" 2>/dev/null || $(VPY) -m pip install --quiet \
	    --disable-pip-version-check -r requirements-jax.lock

# Keras 3 on its torch backend (the optional extra `keras`): torch first (the CPU wheel, as
# above, so nothing pulls another torch build), then Keras at the versions of
# requirements-keras.lock.
keras: torch
	@$(VPY) -c "import keras" 2>/dev/null || $(VPY) -m pip install --quiet \
	    --disable-pip-version-check -r requirements-keras.lock

# Recompile the lock files from pyproject.toml's ranges (keeps the pins unless
# UPGRADE=--upgrade). Needs pip-tools in the venv.
lock: venv
	$(VPY) -m pip install --quiet --disable-pip-version-check "pip-tools>=7.4,<8"
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links \
	    $(UPGRADE) -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links \
	    $(UPGRADE) --extra jax -o requirements-jax.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links \
	    $(UPGRADE) --extra keras -o requirements-keras.lock pyproject.toml

thorough:
	$(MAKE) verify PROFILE=thorough JOBS=$(JOBS)

# Headless Chromium for the report test (Debian's package; needs root, as on CI).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Everything: article checks + the harness's own tests, then the report in a browser.
# Every check is re-derived (--fresh); the results are stored for the next `make verify`.
test: venv browser
	$(VPY) -m pytest -n $(JOBS) -q --root-seed=$(SEED) --hypothesis-profile=$(PROFILE) \
	    --report-dir=$(REPORTS) --durations 15 --ignore=checks/harness/test_report_browser.py \
	    --fresh
	$(VPY) -m pytest checks/harness/test_report_browser.py -q --report-under-test=$(REPORTS) \
	    --report-dir=$(REPORTS)/browser-run --no-ledger
	@echo; echo "== the article's ledger ($(REPORTS)/ledger.json) =="
	@$(VPY) -m claimledger.report $(REPORTS)/ledger.json

# The full suite under N different root seeds, with the result cache off; any failure is
# reported with its seed.
# SHARD=k/M runs only the seeds s with (s - 1) mod M = k - 1, so M machines (a CI matrix)
# share one audit: e.g. SHARD=1/4 ... SHARD=4/4.
SHARD ?= 1/1
flake-audit: venv
	@mkdir -p $(REPORTS)/flake
	@shard=$(SHARD); k=$${shard%/*}; m=$${shard#*/}; fails=0; for s in $$(seq 1 $(N)); do \
	  [ $$(( (s - 1) % m )) -eq $$(( k - 1 )) ] || continue; \
	  if $(VPY) -m pytest -n $(JOBS) -q --root-seed=$$s --report-dir=$(REPORTS)/flake --no-cache \
	       >$(REPORTS)/flake-$$s.log 2>&1; then echo "seed $$s: ok"; \
	  else echo "seed $$s: FAILED (see $(REPORTS)/flake-$$s.log)"; fails=$$((fails+1)); fi; \
	done; echo "flake audit: $$fails failing seed(s) of $(N)"; test $$fails -eq 0

# Statistics right-sized and calibrated: the sizing table of every statistical check
# (samples used vs the samples its test needs for its stated effect; fails above 1.5x),
# then each test's empirical level and power at alpha = 0.05 (SHARD=k/M splits the tests).
stats-audit: venv
	@mkdir -p $(REPORTS)
	@rm -f $(REPORTS)/stats-log.jsonl
	VERIFY_STATS_LOG=$(CURDIR)/$(REPORTS)/stats-log.jsonl $(VPY) -m pytest checks \
	    --ignore=checks/harness -n $(JOBS) -q --root-seed=$(SEED) \
	    --report-dir=$(REPORTS)/stats-run --no-ledger --no-cache >/dev/null || true
	$(VPY) -m claimledger.stats_audit sizing $(REPORTS)/stats-log.jsonl | tee $(REPORTS)/stats-sizing.txt
	$(VPY) -m claimledger.stats_audit calibrate --reps 1000 --shard $(SHARD) | tee $(REPORTS)/stats-calibration.txt

# Mutation testing of implementations/ with mutmut (config in pyproject.toml); slow.
mutation: venv
	$(VPY) -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
	@mkdir -p $(REPORTS)
	rm -rf mutants
	-$(VENV)/bin/mutmut run --max-children $(JOBS) > $(REPORTS)/mutation-run.log 2>&1
	$(VENV)/bin/mutmut results --all true > $(REPORTS)/mutation-results.txt 2>&1
	$(VPY) -m checks.support.mutation_score $(REPORTS)/mutation-results.txt \
	    checks/harness/equivalent_mutants.txt | tee $(REPORTS)/mutation-score.txt

# Times of `make verify` cold (--fresh), re-run unchanged and after editing one
# implementation file, and of `make test`, with the machine's load before and after each
# (claimledger/bench.py; results and history in docs/performance.md). BENCH_TEST=0 skips
# `make test`.
BENCH_TEST ?= 1
bench: venv
	$(VPY) -m claimledger.bench --make "$(MAKE)" --test $(BENCH_TEST)

# The engine's wheel (claimledger: the plugin, no article files).
wheel: venv
	@rm -rf dist
	$(VPY) -m pip wheel --quiet --disable-pip-version-check --no-deps -w dist .

# The outside example, as a user runs it: the wheel installed into a fresh virtual
# environment outside this tree (the lock's versions as constraints), examples/own-claims
# copied beside it, plain `pytest` there, then `pytest --impl alt_blocks.py`; both ledgers
# must hold exactly the example's claims with their intended verdicts.
example: wheel
	@set -e; tmp=$$(mktemp -d); \
	$(PY) -m venv $$tmp/venv 2>/dev/null || python3 -m venv $$tmp/venv; \
	$$tmp/venv/bin/python -m pip install --quiet --disable-pip-version-check \
	    -c requirements.lock dist/claimledger-*.whl; \
	cp -r examples/own-claims $$tmp/own-claims; rm -rf $$tmp/own-claims/reports; \
	cd $$tmp/own-claims; \
	$$tmp/venv/bin/pytest -q; \
	$$tmp/venv/bin/python check_ledger.py reports/ledger.json own_blocks; \
	$$tmp/venv/bin/pytest -q --impl alt_blocks.py --report-dir reports/alt; \
	$$tmp/venv/bin/python check_ledger.py reports/alt/ledger.json alt_blocks.py; \
	cd - >/dev/null; rm -rf $$tmp

clean:
	rm -rf $(REPORTS) .hypothesis dist .claimledger-cache
