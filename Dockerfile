# podsec in one image: `podsec serve` (the admission webhook that deploy/ runs) and `podsec check`.
#
#   docker build -t podsec:0.1.0 .
#   docker run --rm -i podsec:0.1.0 check - < manifests.yaml
# Node.js 24, an LTS line still supported (podsec needs 20 or later; 20 is past its end of life).
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Dependencies first, so they are cached apart from the sources; `prepare` would build too early.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts scripts
COPY engine engine
COPY cli cli
COPY admission admission
COPY webhook webhook
COPY rules rules
COPY schemas schemas
COPY bin bin
# The build runs the commands on the examples to save V8's code cache of the command line.
COPY examples examples
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY --from=build /src/rules rules
COPY --from=build /src/schemas schemas
COPY --from=build /src/bin bin
RUN ln -s /app/bin/podsec.js /usr/local/bin/podsec
# A numeric non-root user, so that runAsNonRoot can be checked (deploy/ runs it as 65532 too).
USER 65532:65532
ENTRYPOINT ["podsec"]
CMD ["--help"]
