# The two commands of the README:
#   make demo   installs missing Debian packages, builds, scans samples/ and prints the report
#   make test   installs missing Debian packages, builds (with ASan/UBSan) and runs every test
BUILD ?= build
BUILD_TEST ?= build-test
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: deps build demo test clean

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
	cd $(BUILD_TEST) && ctest --output-on-failure -j$(JOBS) --timeout 600

clean:
	rm -rf $(BUILD) $(BUILD_TEST)
