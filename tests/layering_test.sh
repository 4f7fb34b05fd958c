#!/usr/bin/env bash
# Fails when an include crosses a layer DESIGN.md forbids.
set -u
root=${1:?source dir}
fail=0
check() {  # check DESCRIPTION GREP_PATTERN FILES...
  local what=$1 pattern=$2; shift 2
  local hits
  hits=$(grep -nE "$pattern" "$@" 2>/dev/null)
  if [[ -n "$hits" ]]; then echo "layering: $what"; echo "$hits"; fail=1; fi
}
shopt -s globstar nullglob
src=$root/libwm/src
check "FFmpeg headers outside io/" '#include *<lib(av|sw)' $(ls $src/**/*.{h,cpp} | grep -v "/io/") $root/libwm/include/**/*.h $root/tools/**/*.cpp
check "fftw3.h outside dsp/" '#include *<fftw3' $(ls $src/**/*.{h,cpp} | grep -v "/dsp/")
check "OpenCV/Tesseract outside video/" '#include *<(opencv2|tesseract)' $(ls $src/**/*.{h,cpp} | grep -v "/video/")
check "io headers exposing FFmpeg" '#include *<lib(av|sw)' $src/io/*.h
check "public headers including non-standard headers" '#include *"(core|io|meta|report|scan|dsp|audio|video)/' $root/libwm/include/**/*.h
check "CLI using internal headers" '#include *"(core|io|meta|report|scan|dsp|audio|video)/' $root/tools/**/*.cpp
check "meta depending on io" '#include *"io/' $src/meta/*
check "report depending on detectors" '#include *"(io|meta|scan|audio|video)/' $src/report/*
check "core depending on anything above it" '#include *"(io|meta|report|scan|dsp|audio|video)/' $src/core/*
if ((fail == 0)); then echo "layering: 1 passed, 0 failed"; fi
exit $fail
