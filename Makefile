# The two commands of the README:
#   make demo   installs missing Debian packages, builds, scans samples/ and prints the report
#   make test   installs missing Debian packages, builds (with ASan/UBSan) and runs every test,
#               then the threading tests under ThreadSanitizer (make tsan)
BUILD ?= build
BUILD_TEST ?= build-test
BUILD_TSAN ?= build-tsan
TSAN ?= 1
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: deps build demo test tsan tsan-run clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWM_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	./$(BUILD)/tools/wmscan/wmscan scan -r --fail-on none samples

test: deps
	cmake -S . -B $(BUILD_TEST) -DCMAKE_BUILD_TYPE=Debug -DWM_SANITIZE=address,undefined $(CMAKE_FLAGS)
	cmake --build $(BUILD_TEST) -j$(JOBS)
	cd $(BUILD_TEST) && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan/suppressions.txt \
	  ctest --output-on-failure -j$(JOBS) --timeout 600
	@if [ "$(TSAN)" != 0 ]; then $(MAKE) --no-print-directory tsan-run; fi

# The threading contract under ThreadSanitizer: its own build dir, only the scan test binary,
# only the tests labelled tsan (tests/unit/scan/threading_test.cpp). `make test TSAN=0` skips it.
tsan: deps tsan-run

tsan-run:
	cmake -S . -B $(BUILD_TSAN) -DCMAKE_BUILD_TYPE=Debug -DWM_SANITIZE=thread $(CMAKE_FLAGS)
	cmake --build $(BUILD_TSAN) -j$(JOBS) --target scan_tests
	cd $(BUILD_TSAN) && ctest --output-on-failure -L tsan --timeout 1800

clean:
	rm -rf $(BUILD) $(BUILD_TEST) $(BUILD_TSAN)
