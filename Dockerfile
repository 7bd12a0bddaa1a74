# Three targets. `build` compiles dist/ with the dev dependencies; `runtime` (the default for the
# service) holds the compiled service alone (dist/src, dist/workers); `demo` adds the simulators
# (dist/sim) and redis-server for
# `dtsync demo`. Node 24: the LTS maintained until April 2028 (22 ends in April 2027), pinned to
# a minor version so a rebuild does not change the runtime under the service.
FROM node:24.21-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, which needs the sources copied below
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/build.mjs
COPY src ./src
COPY workers ./workers
COPY sim ./sim
COPY bench ./bench
RUN node scripts/build.mjs

FROM node:24.21-bookworm-slim AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build with tsc, a dev dependency; the build is copied instead
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY bin ./bin
# The service only: the simulators (dist/sim) and the benchmark (dist/bench) are test tools.
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workers ./dist/workers
USER node
# A sync's live heap is ~150 MB at 100,000 users; without a cap V8 lets garbage grow to several
# hundred MB first. Raise it (~150 MB per further 100,000 users) for larger organisations.
ENV NODE_OPTIONS=--max-old-space-size=384
# The web role's port (web.port); the scheduler and worker serve no HTTP.
EXPOSE 8080
# /healthz of the web role (no login). The scheduler and worker serve no HTTP: docker-compose.yml
# disables this check for them. Node's fetch, since the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 starts the old generation small and, while a run's snapshots grow, collects it every few
# hundred ms (17-18 full collections in a 30,000-user no-op run, 2-3 with this flag: ~20 % of
# the read's CPU). Not allowed in NODE_OPTIONS, hence here. bench/procs.ts uses the same.
ENTRYPOINT ["node", "--initial-old-space-size=192", "bin/dtsync.js"]
CMD ["start"]

# `dtsync demo`: the service plus the simulators, and Debian's redis-server for its private Redis.
FROM runtime AS demo
USER root
RUN apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/dist/sim ./dist/sim
USER node
# redis-server is installed above; a non-root process could not install it anyway
ENV DTSYNC_NO_INSTALL=1
# 0.0.0.0: a published port reaches the container's network address, not its loopback
CMD ["demo", "--host", "0.0.0.0"]
