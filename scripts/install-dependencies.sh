#!/usr/bin/env bash
# Installs what tts-gateway needs and is missing: Debian packages (ffmpeg, espeak-ng,
# redis-server, chromium) through apt-get, and the npm packages from package-lock.json.
# Safe to run again: it only installs what is absent or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]]; then
  echo "tts-gateway needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# chromium: the web console's browser tests; redis-sentinel: the Sentinel failover tests; openssl: the
# certificates of the Redis-over-TLS test.
declare -A package_of=([ffmpeg]=ffmpeg [ffprobe]=ffmpeg [espeak-ng]=espeak-ng [redis-server]=redis-server [redis-sentinel]=redis-sentinel [chromium]=chromium [openssl]=openssl)
missing=()
for command in "${!package_of[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${package_of[$command]}")
done
if ((${#missing[@]} > 0)); then
  packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  echo "Installing Debian packages: $packages"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "Need root (or sudo) to install: $packages" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends $packages >/dev/null
fi

# npm ci when node_modules is absent or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
