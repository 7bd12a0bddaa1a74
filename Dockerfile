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
ENTRYPOINT ["node", "bin/dtsync.js"]
