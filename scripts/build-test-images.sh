#!/usr/bin/env bash
# Makes the test services' images from this machine's own files, for engines that reach no
# registry: Redis from Debian's redis-server, and an S3 stand-in (s3rver behind a Signature
# Version 4 check, test/containers/s3-stand-in.mjs) on this machine's node. Each image is tagged
# with a hash of what went into it, so a second run builds nothing. Prints, on stdout only, the
# `export TEST_REDIS_IMAGE=... TEST_S3_IMAGE=...` lines that point the tests at them.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in docker redis-server node npm ldd; do
  command -v "$tool" >/dev/null || { echo "build-test-images: $tool is missing" >&2; exit 1; }
done

# Copies a binary and every library ldd names into a root file system, at the same paths.
copy_with_libraries() {
  local binary=$1 root=$2
  cp --parents -L "$binary" "$root"
  ldd "$binary" | grep -oE '/[^ ]+' | while read -r library; do cp --parents -L "$library" "$root"; done
}

hash_of() { sha256sum "$@" | sha256sum | cut -c1-12; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

redis_server=$(readlink -f "$(command -v redis-server)")
redis_image="tts-gateway-test-redis:$(hash_of "$redis_server" "$0")"
if ! image_exists "$redis_image"; then
  echo "Building $redis_image from $redis_server" >&2
  root=$(mktemp -d)
  copy_with_libraries "$redis_server" "$root"
  [[ -e "$root/usr/bin/redis-server" ]] || { mkdir -p "$root/usr/bin"; ln -s "$redis_server" "$root/usr/bin/redis-server"; }
  # A shell and cp, as redis:7-alpine has, for commands such as the Sentinel's in docker-compose.yml.
  for tool in sh cp; do
    binary=$(readlink -f "$(command -v "$tool")")
    copy_with_libraries "$binary" "$root"
    [[ -e "$root/usr/bin/$tool" ]] || ln -s "$binary" "$root/usr/bin/$tool"
  done
  mkdir -p "$root/data" "$root/tmp" && chmod 1777 "$root/tmp" "$root/data"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /data' -c 'EXPOSE 6379' -c 'CMD ["redis-server"]' - "$redis_image" >/dev/null
  rm -rf "$root"
fi

node_binary=$(readlink -f "$(command -v node)")
s3rver_version=$(node -p 'require("./package-lock.json").packages["node_modules/s3rver"].version')
s3_image="tts-gateway-test-s3:$(hash_of "$node_binary" test/containers/s3-stand-in.mjs "$0" <(echo "$s3rver_version"))"
if ! image_exists "$s3_image"; then
  echo "Building $s3_image from $node_binary and s3rver $s3rver_version" >&2
  root=$(mktemp -d)
  copy_with_libraries "$node_binary" "$root"
  [[ -e "$root/usr/bin/node" ]] || { mkdir -p "$root/usr/bin"; ln -s "$node_binary" "$root/usr/bin/node"; }
  mkdir -p "$root/app" "$root/data" "$root/tmp" && chmod 1777 "$root/tmp" "$root/data"
  cp test/containers/s3-stand-in.mjs "$root/app/"
  echo '{"private":true,"type":"module"}' >"$root/app/package.json"
  # s3rver and its dependencies, from npm's cache when the project's install already fetched them.
  (cd "$root/app" && npm install --prefer-offline --no-audit --no-fund --loglevel=error --omit=dev "s3rver@$s3rver_version" >&2)
  tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /app' -c 'EXPOSE 9000' \
    -c 'ENTRYPOINT ["node", "/app/s3-stand-in.mjs"]' -c 'CMD ["server", "/data"]' - "$s3_image" >/dev/null
  rm -rf "$root"
fi

echo "export TEST_REDIS_IMAGE=$redis_image"
echo "export TEST_S3_IMAGE=$s3_image"
