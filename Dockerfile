# syntax=docker/dockerfile:1
# The service's container image: see docs/deployment.md.
#   docker build -t cpcr .
# Built in two stages: dependencies are installed and the assets built (the stylesheet and the migrated
# embedded-database template) in the first, at build time, never at start; the second holds only what runs.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NODE_ENV=production
# Dependencies first, so a change to the sources alone reuses this layer. Only production dependencies: the
# build itself (sass, PGlite) needs nothing else.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN npm run build \
  # V8's compiled code (and the TypeScript with types stripped) for every module the start loads, the entry point
  # included (importing it starts nothing), kept in the image so a new container starts warm and never loads Node's
  # TypeScript stripper (written here, only read at run time: the root file system is read-only). Made with the
  # CMD's node options: the cache is kept per set of V8 options, so one made without them is never read.
  && NODE_COMPILE_CACHE=/app/.build/compile-cache node --liftoff-only --max-semi-space-size=8 --input-type=module -e " \
    const m = await import('node:module'); \
    await import('./src/web/server.ts').then(() => import('./src/web/module-loading.ts')).then((l) => l.speedUpModuleLoading()); \
    await import('./src/web/serve.ts'); await import('./src/infra/db/pglite-client.ts'); m.flushCompileCache();" \
  && rm -rf /root/.npm

FROM ${NODE_IMAGE} AS runtime
# ffmpeg/ffprobe check, convert and redact recordings; age lets an operator open an original with the
# recordings key (see README, "Reading the archive without the service"). Nothing else is installed.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg age ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system --gid 10001 cpcr \
  && useradd --system --uid 10001 --gid cpcr --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin cpcr \
  && install -d -o cpcr -g cpcr -m 700 /data /var/lib/cpcr-audit \
  && install -d -m 755 /etc/cpcr
WORKDIR /app
# The application, owned by root and read-only to the service's user.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /app/resources ./resources
COPY --from=build /app/.build ./.build
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  DATA_DIR=/data \
  AUDIT_CHECKPOINT_DIR=/var/lib/cpcr-audit \
  NODE_COMPILE_CACHE=/app/.build/compile-cache
USER cpcr:cpcr
# Writable places (the root file system can be read-only): the data folder (embedded database, stored files
# with BLOB_STORE=fs, and recordings still arriving in staging/ and uploads/), the audit checkpoints, and /tmp
# (scratch: mount a tmpfs). Keys and secrets are mounted read-only under /etc/cpcr; none is in the image.
VOLUME ["/data", "/var/lib/cpcr-audit"]
EXPOSE 3000
# Liveness only (the process answers): readiness (/readyz) is for the load balancer or orchestrator to ask.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# node directly, no npm or shell in between: SIGTERM reaches the server, which stops taking requests, writes a
# final audit checkpoint and closes the database. A young generation of 8 MB keeps some 60 MB less resident;
# --liftoff-only keeps the embedded database's WebAssembly unoptimised (see docs/deployment.md, "Start and memory").
CMD ["node", "--liftoff-only", "--max-semi-space-size=8", "src/web/server.ts"]
