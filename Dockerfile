# syntax=docker/dockerfile:1
#
# AdvLab's headless CLI (`lab`) in a container, for sweeps on Slurm or Kubernetes (docs/container.md).
#
#   CPU image (wasm engine, always works):
#     docker build -t advlab:latest .
#   GPU image (TensorFlow with CUDA 11.2 / cuDNN 8.1, the versions @tensorflow/tfjs-node-gpu 4.22 needs):
#     docker build -t advlab:gpu --build-arg BASE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 .
#
#   docker run --rm -v "$PWD/advlab-data:/data" advlab:latest study run seed-quick
#
# The image keeps the TypeScript sources and runs them through tsx, exactly as `npm run lab` does.

ARG BASE=debian:bookworm-slim

# Node 20 comes from the official image; it is copied into BASE so that the GPU image can start from
# NVIDIA's CUDA runtime (glibc ≥ 2.28 is all the Node 20 binary needs).
FROM node:20-bookworm-slim AS node

FROM ${BASE}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx

# better-sqlite3 compiles from source where its prebuilt binary cannot be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/advlab

# Dependencies first, so that source changes do not reinstall them. No Electron in a container:
# its binary is neither downloaded nor needed (the CLI never imports electron).
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    ADVLAB_SKIP_ELECTRON=1 \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
COPY scripts ./scripts
# tfjs-node / tfjs-node-gpu are optional: where their libtensorflow download works they install and
# the engine uses them (ADVLAB_BACKEND picks one); where it fails, the install still succeeds and the
# engine falls back to wasm.
RUN npm ci --include=dev --include=optional

COPY bin ./bin
COPY src-main ./src-main
COPY tsconfig.json tsconfig.base.json tsconfig.node.json ./

RUN chmod +x bin/lab.mjs \
 && ln -s /opt/advlab/bin/lab.mjs /usr/local/bin/lab \
 && mkdir -p /data

# The experiment log lives in /data (mount a volume); sweep tasks set their own ADVLAB_DATA_DIR.
ENV ADVLAB_DATA_DIR=/data \
    NODE_ENV=production
VOLUME ["/data"]

ENTRYPOINT ["lab"]
CMD ["--help"]
