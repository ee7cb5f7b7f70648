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

# The sanitizer run covers the test programs of the pure core and the SQLite store (all of them
# pass under ASan+UBSan); the adapters with external servers run in the normal build only.
SAN_TESTS ?= src/common/quitt_common_tests src/domain/quitt_domain_tests src/workflow/quitt_workflow_tests \
	src/domain/ledger/quitt_domain_ledger_tests src/domain/jurisdiction/quitt_domain_jurisdiction_tests \
	src/domain/payment/quitt_domain_payment_tests src/adapters/intake/quitt_intake_tests \
	src/adapters/storage/sqlite/quitt_storage_sqlite_tests

sanitize: deps
	cmake -S . -B $(SAN_BUILD) $(CMAKE_FLAGS) -DQUITT_SANITIZE=ON -DQUITT_BUILD_BENCHMARKS=OFF
	cmake --build $(SAN_BUILD) -j $(JOBS) --target $(notdir $(SAN_TESTS))
	set -e; for t in $(SAN_TESTS); do echo "== $$t (ASan+UBSan)"; \
	  (cd $(SAN_BUILD)/$$(dirname $$t) && TZ=Europe/Berlin ./$$(basename $$t) --gtest_brief=1); done

run: build
	bash tools/run-demo.sh $(BUILD)/apps/quitt/quitt $(DB) $(DEMO_CASES)

bench: build
	bash tools/run-benchmarks.sh $(BUILD)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
