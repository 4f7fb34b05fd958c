#!/usr/bin/env bash
# Installs the Debian 12 packages libwm needs, only those that are missing.
# Run as root (or with sudo); on a machine that has them all it changes nothing.
set -euo pipefail

packages=(
  g++ make cmake pkg-config
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev ffmpeg
  libfftw3-dev libopencv-dev libeigen3-dev libtesseract-dev tesseract-ocr-eng
  nlohmann-json3-dev libcli11-dev libgtest-dev
  libimage-exiftool-perl python3 python3-jsonschema python3-yaml sox espeak-ng fonts-dejavu-core chromium
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "install-deps: missing packages (${missing[*]}) and not root; run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
