# The two commands of the README, over CMake.
#   make demo   builds, then runs the main job on the simulated network
#   make check  builds, then runs every test (plain and ASan+UBSan builds)
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake

.PHONY: all build demo check test test-asan install clean

all: build

build:
	@command -v $(CMAKE) >/dev/null || { echo "cmake is missing: apt-get install -y cmake gcc make"; exit 1; }
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/glasstcp sim --bytes 3000000 --loss 1 --delay 20 --bandwidth 50 --seed 1 --conns 2

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	$(CMAKE) -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGT_SANITIZE=ON
	$(CMAKE) --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

check: test test-asan

install: build
	$(CMAKE) --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
