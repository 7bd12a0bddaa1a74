FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY bin ./bin
COPY src ./src
COPY workers ./workers
USER node
ENTRYPOINT ["node", "bin/dtsync.js"]
