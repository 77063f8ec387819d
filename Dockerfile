# tts-gateway: one image for every role (api, worker, all); the role is the command.
FROM node:20-bookworm-slim

# ffmpeg transcodes and stitches audio; espeak-ng is the local voice that needs no key.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg espeak-ng ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY tsconfig.json ./
COPY src ./src

ENV NODE_ENV=production
USER node
EXPOSE 4000
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["--role", "all", "--host", "0.0.0.0"]
