# (c) A `docker init`-style Dockerfile for the generated app, written by us from the structure
# of docker init's Node template (answers: Node 24, npm, "npm run build", output dir dist,
# start command "npm run start", port 3000). Two departures, both forced by this machine:
#  - base node:${NODE_VERSION}-bookworm-slim instead of node:${NODE_VERSION}-alpine (no alpine
#    image can be pulled here; the slim image carries the same Node 24 binary on Debian 12);
#  - no `# syntax=docker/dockerfile:1` line (the frontend image cannot be pulled; the engine's
#    built-in frontend handles the bind and cache mounts below).
ARG NODE_VERSION=24

# base: the image every stage starts from
FROM node:${NODE_VERSION}-bookworm-slim as base
WORKDIR /usr/src/app

# deps: production dependencies only; package*.json bind-mounted, npm's cache on a cache mount
FROM base as deps
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev

# build: add the devDependencies, copy the sources, compile
FROM deps as build
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    --mount=type=cache,target=/root/.npm \
    npm ci
COPY . .
RUN npm run build

# final: production node_modules and dist on the base image, run as user node
FROM base as final
ENV NODE_ENV production
USER node
COPY package.json .
COPY --from=deps /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
EXPOSE 3000
CMD npm run start
