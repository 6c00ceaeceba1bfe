# Multi-stage build: compile TypeScript with dev dependencies, ship only runtime dependencies.
# Node 24: an LTS line, and one CI runs the suite's unit tests and the offline demo on.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    BUBBLEWATCH_DATA_DIR=/data \
    BUBBLEWATCH_CONFIG=/app/config/bubblewatch.json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY sql ./sql
COPY config ./config
# The node image ships an unprivileged "node" user; the data dir (the embedded PostgreSQL server's
# files when DATABASE_URL is unset, reports, cookie jar) is its own, and the server runs as node too.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9464
ENTRYPOINT ["node", "bin/bubblewatch.js"]
CMD ["run"]
