#!/usr/bin/env bash
# Makes a container engine answer for the tests where one can run: Debian's docker.io through
# apt-get when dockerd is absent, and dockerd started in the background when none answers (no
# systemd needed). Exits non-zero, with the reason on stderr, where no engine can start.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo); else
    echo "dockerd is not installed and installing docker.io needs root" >&2
    exit 1
  fi
  echo "Installing Debian package: docker.io" >&2
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }; then
    echo "apt-get could not install docker.io" >&2
    exit 1
  fi
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "dockerd is not running and starting it needs root" >&2
  exit 1
fi
log=${TMPDIR:-/tmp}/tts-gateway-dockerd.log
echo "Starting dockerd (log: $log)" >&2
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 100); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  if ! kill -0 $! 2>/dev/null; then break; fi
  sleep 0.2
done
echo "dockerd did not start: $(tail -n 1 "$log" 2>/dev/null)" >&2
exit 1
