#!/usr/bin/env bash
# One command on a fresh Debian/Ubuntu machine with Node 20: installs what is missing, starts
# tts-gateway on its embedded defaults (local voice, no keys), shows it speaking, and keeps
# serving. Extra arguments go to the service (for example --config config.yaml --port 4000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dependencies.sh

port=${PORT:-4000}
export PORT=$port
npm start --silent -- "$@" &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null' INT TERM

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { wait "$service"; exit 1; }
  sleep 0.2
done

auth=()
[[ -n "${MASTER_KEY:-}" ]] && auth=(-H "Authorization: Bearer $MASTER_KEY")
mkdir -p data
echo
echo "First request:"
echo "  curl http://127.0.0.1:$port/v1/audio/speech -H 'Content-Type: application/json' \\"
echo "    -d '{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"Hello! tts-gateway is speaking.\"}' -o data/hello.mp3"
curl -fsS "http://127.0.0.1:$port/v1/audio/speech" "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"model":"tts-1","voice":"alloy","input":"Hello! tts-gateway is speaking."}' -o data/hello.mp3 -D data/hello.headers
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 data/hello.mp3)
echo "  -> data/hello.mp3: $(wc -c <data/hello.mp3) bytes of mp3, ${duration} s of speech, served by $(grep -i '^x-tts-provider' data/hello.headers | tr -d '\r' | cut -d' ' -f2)"
echo
echo "tts-gateway is running on http://127.0.0.1:$port (Ctrl-C stops it)."
wait "$service"
