# A local stand-in for the official full `node:24-bookworm` image, which cannot be pulled here
# (no registry is reachable). The official image is buildpack-deps:bookworm (Debian plus curl,
# wget, gnupg, git, mercurial, openssh-client, subversion, procps and a compiler toolchain with
# common -dev libraries) with Node.js on top. We start from the locally made
# node:24-bookworm-slim (Debian 12 + the same Node 24 binary) and add the buildpack-deps
# package set with apt from Debian's mirror. Same Debian release, same package set, same Node;
# layer layout and exact package versions differ from the official image.
ARG SLIM_IMAGE=node:24-bookworm-slim
FROM ${SLIM_IMAGE} AS slim
FROM ${SLIM_IMAGE}
# buildpack-deps:bookworm-curl
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates curl gnupg netbase sq wget \
    && rm -rf /var/lib/apt/lists/*
# buildpack-deps:bookworm-scm
RUN apt-get update && apt-get install -y --no-install-recommends \
        git mercurial openssh-client subversion procps \
    && rm -rf /var/lib/apt/lists/*
# buildpack-deps:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick \
        libbz2-dev libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev \
        libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev \
        libmagickwand-dev libmaxminddb-dev libncurses5-dev libncursesw5-dev libpng-dev libpq-dev \
        libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt-dev \
        libyaml-dev make patch unzip xz-utils zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
# Machine-specific, not part of the official image: this machine reaches the npm registry
# through a TLS-intercepting proxy whose CA the slim image carries in its CA bundle, named by
# NODE_EXTRA_CA_CERTS. Installing ca-certificates above regenerated that bundle without the
# proxy's CA, so keep the slim image's bundle under a name of its own for node and npm.
COPY --from=slim /etc/ssl/certs/ca-certificates.crt /usr/local/share/ca-bundle-from-slim.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-bundle-from-slim.crt
LABEL org.opencontainers.image.description="Local stand-in for node:24-bookworm (full), made by bench/ from node:24-bookworm-slim + buildpack-deps:bookworm packages" \
      com.generator-container-api.bench="base"
CMD ["node"]
