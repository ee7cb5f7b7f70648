# The two commands of the README, plus their parts.
#   make run   install packages, build, create ./var/quitt.db with demo data, start quitt
#   make test  install packages, build, run every test (what CI runs)
BUILD ?= build
SAN_BUILD ?= build-sanitize
JOBS ?= $(shell nproc)
DB ?= var/quitt.db
DEMO_CASES ?= 2000
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: run test deps build sanitize bench format clean

deps:
	bash tools/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

sanitize: deps
	cmake -S . -B $(SAN_BUILD) $(CMAKE_FLAGS) -DQUITT_SANITIZE=ON -DQUITT_BUILD_BENCHMARKS=OFF
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L fast

run: build
	bash tools/run-demo.sh $(BUILD)/apps/quitt/quitt $(DB) $(DEMO_CASES)

bench: build
	bash tools/run-benchmarks.sh $(BUILD)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
