# The two commands of the README, over CMake.
#   make demo   builds, then runs the main job on the simulated network
#   make check  builds, then runs every test (plain and ASan+UBSan builds)
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake

.PHONY: all build demo check test test-asan test-slack conformance install clean

all: build

build:
	@command -v $(CMAKE) >/dev/null || { echo "cmake is missing: apt-get install -y cmake gcc make"; exit 1; }
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(CMAKE) --build $(BUILD) -j $(JOBS)

# The flagship scenario, and a small one that fits a slide; everything it
# shows is left in $(DEMO_OUT) (docs/visibility.md says what each file is).
DEMO_OUT ?= out/demo
DEMO_SIM = ./$(BUILD)/glasstcp sim

demo: build
	@mkdir -p $(DEMO_OUT)
	@$(DEMO_SIM) --bytes 3000000 --loss 1 --delay 20 --bandwidth 50 --seed 1 --conns 2 \
	  --counters --ss-at 0.5 --ss-at 6.2 \
	  --pcap $(DEMO_OUT)/demo.pcap --trace-json $(DEMO_OUT)/trace.jsonl \
	  --ladder $(DEMO_OUT)/ladder.svg --ladder-text $(DEMO_OUT)/ladder.txt \
	  --tsg $(DEMO_OUT)/tsg.svg --cwnd $(DEMO_OUT)/cwnd.svg \
	  > $(DEMO_OUT)/summary.txt; rc=$$?; cat $(DEMO_OUT)/summary.txt; \
	$(DEMO_SIM) --bytes 14480 --loss 10 --delay 20 --seed 13 \
	  --pcap $(DEMO_OUT)/small.pcap --ladder $(DEMO_OUT)/small-ladder.svg \
	  --ladder-text $(DEMO_OUT)/small-ladder.txt --tsg $(DEMO_OUT)/small-tsg.svg \
	  > $(DEMO_OUT)/small-summary.txt || rc=1; \
	echo; echo "demo outputs in $(DEMO_OUT)/:"; ls -1 $(DEMO_OUT) | sed 's/^/  /'; exit $$rc

# A failure ends with a digest of each failed test's own output
# (tests/failure_digest.sh), so the end of a long log says why; every run
# ends with what was not judged and why (tests/skip_digest.sh: kernel
# scripts the runner could not judge, tests that skipped themselves).
# Two passes: everything but the kernel scripts at -j $(JOBS), then the
# kernel scripts (label "kernel", each PROCESSORS 2) by themselves at
# -j $(KERNEL_JOBS), six at once: they sleep on real time and must not
# share the CPUs with the CPU-bound tests (tests/CMakeLists.txt says why
# and what was measured). One at a time, the kernel half took 1,615 s of
# session 30's make check.
KERNEL_JOBS ?= 12
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE kernel || \
	  { sh tests/skip_digest.sh $(BUILD); sh tests/failure_digest.sh $(BUILD); exit 1; }
	@sh tests/skip_digest.sh $(BUILD)
	ctest --test-dir $(BUILD) --output-on-failure -j $(KERNEL_JOBS) -L kernel || \
	  { sh tests/skip_digest.sh $(BUILD); sh tests/failure_digest.sh $(BUILD); exit 1; }
	@sh tests/skip_digest.sh $(BUILD)

# Debug (assertions on) at -O1, as ASan's own documentation advises for
# "reasonable performance": the same checks, 2.5-2.9x less CPU than -O0
# (glasstcp swarm --seeds 20: 5.4 -> 2.1 s task-clock; the test of swarm
# seed 40004403: 69.8 -> 24.2 s).
test-asan:
	$(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGT_SANITIZE=ON "-DCMAKE_C_FLAGS_DEBUG=-g -O1"
	$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) || \
	  { sh tests/skip_digest.sh $(ASAN_BUILD); sh tests/failure_digest.sh $(ASAN_BUILD); exit 1; }
	@sh tests/skip_digest.sh $(ASAN_BUILD)

# The community's packet scripts in ../shared/conformance (not part of the
# repository): results per folder, for the record; they never fail the build.
# The nplab snapshot of Google's 2013 Linux tests expects window scale 6
# (that kernel's buffer limits): the run says so with --wscale 6. The FreeBSD
# suite runs with --profile freebsd: pktrun never picks a profile by the path
# (docs/conformance.md, "Which profile a script runs").
CONFORMANCE ?= ../shared/conformance
conformance: build
	@if [ -d $(CONFORMANCE) ]; then \
	  for suite in $(CONFORMANCE)/freebsd-tcp-testsuite $(CONFORMANCE)/packetdrill-scripts/*; do \
	    [ -d $$suite ] || continue; \
	    echo "== conformance: $$suite"; \
	    case $$suite in *freebsd-tcp-testsuite) opts="--profile freebsd";; \
	      *nplab-packetdrill) opts="--wscale 6";; \
	      *gvisor) opts="--tolerance_usecs=100000";; *) opts="";; esac; \
	    ./$(BUILD)/glasstcp pktrun --quiet --per-dir $$opts $$suite \
	      | sed -E 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) unsupported$$/suite total: pass \1 \/ fail \2 \/ unsupported \3/'; \
	  done; \
	else echo "conformance: $(CONFORMANCE) not found, not run"; fi

# The -DGT_SLACK_CHECK cross-check build (src/tcp/tcp_output.c,
# src/tcp/tcp_rack.c; bench/PROFILE.md): each walk the core keeps short is
# asserted against the full walk it replaced. Its own build (not a
# sanitizer's: the asserts are the check), then the quick ctest set (less
# SLACK_SKIP) and the two packet suites as ctest runs them. 200 s on 2 cores shared with
# other jobs (h-swarm16, 6 Dec 2026: `rm -rf build-slack; nice make
# test-slack JOBS=2`, timed: the build, ctest 117 s for 948 tests, the
# two suites 418 and 1,176 scripts); with SLACK_SKIP empty the same took
# 428 s under a heavier load (ctest 223 s for 950).
SLACK_BUILD ?= build-slack
# The quick set's two longest, neither near a SACK or send-queue walk
# (IPv6 injection counters, 81 s; a zero window probed for days, 29 s).
SLACK_SKIP = swarm_injects_over_ipv6_and_the_stacks_count_it|swarm_seed_89505940_zero_window_probed_for_days
test-slack:
	$(CMAKE) -S . -B $(SLACK_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS=-DGT_SLACK_CHECK
	$(CMAKE) --build $(SLACK_BUILD) -j $(JOBS)
	ctest --test-dir $(SLACK_BUILD) --output-on-failure -j $(JOBS) -R '^(dialogue|unit|scenario|cli)\.|swarm' \
	  -E '$(SLACK_SKIP)' || \
	  { sh tests/failure_digest.sh $(SLACK_BUILD); exit 1; }
	./$(SLACK_BUILD)/glasstcp pktrun --quiet --strict --ts-tick-us 1000 tests/pkt/linux
	./$(SLACK_BUILD)/glasstcp pktrun --quiet --strict --ts-tick-us 1000 tests/pkt/freebsd

check: conformance test test-asan test-slack

install: build
	$(CMAKE) --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(SLACK_BUILD)

# Benchmarks of issue 8 (bench/): a Release build of its own, then every
# program in turn; each prints its conditions and a table. Never part of
# `make check` and never run by CI; a failed benchmark is reported, not fatal.
BENCH_BUILD ?= build-bench
BENCH_PROGS = bench_bulk bench_connrate bench_latency bench_memory bench_growth bench_multicore bench_ackpath bench_csum
.PHONY: bench
bench:
	@command -v $(CMAKE) >/dev/null || { echo "cmake is missing: apt-get install -y cmake gcc make"; exit 1; }
	$(CMAKE) -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DGT_BENCH=ON
	$(CMAKE) --build $(BENCH_BUILD) -j $(JOBS) --target $(BENCH_PROGS)
	@for b in $(BENCH_PROGS); do ./$(BENCH_BUILD)/bench/$$b || echo "$$b: exited with status $$?"; done

# Goodput under loss and reordering against the kernel on the same path, as a
# ratio (bench/loss_vs_kernel.sh: namespaces, TUN, veth, nftables; root).
# GT_LOSS_BYTES, GT_LOSS_LIMIT_S, GT_LOSS_RATES... are passed through.
LOSS_BUILD ?= build-loss
.PHONY: bench-loss
bench-loss:
	@command -v $(CMAKE) >/dev/null || { echo "cmake is missing: apt-get install -y cmake gcc make"; exit 1; }
	$(CMAKE) -S . -B $(LOSS_BUILD) -DCMAKE_BUILD_TYPE=Release
	$(CMAKE) --build $(LOSS_BUILD) -j $(JOBS) --target glasstcp
	bench/loss_vs_kernel.sh ./$(LOSS_BUILD)/glasstcp

# The loose floor issue 13 asks of glasstcp under loss (>= 0.3 x the kernel
# at 1% and 5%, a ratio in one run). `make check` runs it too
# (interop.loss_floor: 5% at 0.3, 1% at a floor of 0.2, where the ratio
# spreads more; tests/interop/loss_floor.sh says why); exit 77 = skipped
# (not root, or a tool missing).
.PHONY: check-loss
check-loss: build
	GT=./$(BUILD)/glasstcp bash bench/loss_floor.sh
