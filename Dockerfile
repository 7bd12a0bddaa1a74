FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY bin ./bin
COPY src ./src
COPY workers ./workers
USER node
# A sync's live heap is ~150 MB at 100,000 users; without a cap V8 lets garbage grow to several
# hundred MB first. Raise it (~150 MB per further 100,000 users) for larger organisations.
ENV NODE_OPTIONS=--max-old-space-size=384
# V8 starts the old generation small and, while a run's snapshots grow, collects it every few
# hundred ms (17-18 full collections in a 30,000-user no-op run, 2-3 with this flag: ~20 % of
# the read's CPU). Not allowed in NODE_OPTIONS, hence here. src/bench/procs.ts uses the same.
ENTRYPOINT ["node", "--initial-old-space-size=192", "bin/dtsync.js"]
