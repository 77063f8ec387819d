# tts-gateway: one image for every role (api, worker, all); the role is the command.
FROM node:20-bookworm-slim

# ffmpeg transcodes and stitches audio; espeak-ng is the local voice that needs no key;
# redis-server lets a lone container (`--role all` without REDIS_URL) run its own Redis.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg espeak-ng redis-server ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src
# Audio (filesystem driver), the private Redis's AOF and the URL-signing secret live here.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data

ENV NODE_ENV=production
USER node
EXPOSE 4000
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["--role", "all", "--host", "0.0.0.0"]
