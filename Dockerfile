# syntax=docker/dockerfile:1
# One image per service, built from the repository root (the services share packages/shared):
#   docker build --build-arg SERVICE=session -t chatkit-session .
#   docker build --build-arg SERVICE=lead -t chatkit-lead .
ARG NODE_VERSION=24

# The services' sources, and the refusal of a SERVICE that names no directory of services/.
# The later stages take the service from here, so nothing else runs with a wrong SERVICE.
FROM node:${NODE_VERSION}-slim AS source
ARG SERVICE
WORKDIR /app
COPY services services
RUN test -n "$SERVICE" && test -f "services/$SERVICE/package.json" \
 || { echo "Dockerfile: build with --build-arg SERVICE=<service>, one of: $(ls services | tr '\n' ' ')(got SERVICE='$SERVICE')" >&2; exit 1; }

FROM node:${NODE_VERSION}-slim AS build
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/shared/package.json packages/shared/
COPY --from=source /app/services/${SERVICE}/package.json services/${SERVICE}/
RUN npm ci --workspace packages/shared --workspace services/${SERVICE} --include-workspace-root --ignore-scripts
COPY packages/shared packages/shared
COPY --from=source /app/services/${SERVICE} services/${SERVICE}
RUN npm run build --workspace packages/shared --workspace services/${SERVICE}

FROM node:${NODE_VERSION}-slim AS prod-deps
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY --from=source /app/services/${SERVICE}/package.json services/${SERVICE}/
RUN npm ci --omit=dev --workspace packages/shared --workspace services/${SERVICE} --ignore-scripts \
 && npm cache clean --force

FROM node:${NODE_VERSION}-slim
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/packages/shared/package.json packages/shared/package.json
COPY --from=build --chown=node:node /app/packages/shared/dist packages/shared/dist
COPY --from=build --chown=node:node /app/packages/shared/shops packages/shared/shops
COPY --from=build --chown=node:node /app/services/${SERVICE}/package.json services/${SERVICE}/package.json
COPY --from=build --chown=node:node /app/services/${SERVICE}/dist services/${SERVICE}/dist
# Started from the service's directory, so CMD needs no shell: node is PID 1 and gets SIGTERM.
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE 8080
CMD ["node", "dist/server.js"]
