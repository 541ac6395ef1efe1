# syntax=docker/dockerfile:1
# The chasi image: the one binary every workload of the Helm chart runs (`chasi run --components ...`).
#
#   docker build -t ghcr.io/chasi-sre/chasi:0.1.0 .                        # with chDB (embedded: true needs it)
#   docker build --build-arg WITH_CHDB=false -t ghcr.io/chasi-sre/chasi:0.1.0 .   # external ClickHouse only, ~170 MB smaller
#
# Stages: chdb (libchdb.so from npm, integrity-checked by eng/fetch-chdb.sh), build (dotnet publish), runtime
# (ASP.NET Core runtime, non-root user 10001 as the chart's podSecurityContext, read-only root file system friendly).
# tests/ChasiSre.Deploy.Tests/DockerfileTests.cs checks the COPY sources, runs the publish command below and
# compares the user, version and image name with the chart.

ARG DOTNET_VERSION=10.0
ARG VERSION=0.1.0

FROM node:22-bookworm-slim AS chdb
ARG WITH_CHDB=true
WORKDIR /src
COPY eng/fetch-chdb.sh eng/fetch-chdb.sh
COPY eng/lib/ eng/lib/
COPY platform/ChasiSre.Platform.ClickHouse/ChDbLibrary.cs platform/ChasiSre.Platform.ClickHouse/ChDbLibrary.cs
RUN mkdir -p /chdb \
 && if [ "$WITH_CHDB" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
      && lib="$(CHASI_CACHE=/tmp/cache bash eng/fetch-chdb.sh)" && cp "$lib" /chdb/libchdb.so && rm -rf /tmp/cache; \
    fi

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY schemas/ schemas/
COPY platform/ platform/
COPY ingest/ ingest/
COPY streams/ streams/
COPY diagnosis/ diagnosis/
COPY executor/ executor/
COPY operator/ operator/
COPY api/ api/
COPY sdk/ sdk/
COPY cli/ cli/
RUN dotnet publish cli/ChasiSre.Cli/ChasiSre.Cli.csproj -c Release -r linux-x64 --self-contained false -p:UseAppHost=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
ARG VERSION
ARG REVISION=unknown
LABEL org.opencontainers.image.title="chasi" \
      org.opencontainers.image.description="ChasiSre: an AI SRE pipeline for Kubernetes platforms hosting many tenants in vClusters" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.url="https://ghcr.io/chasi-sre/chasi" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:10.0"
RUN groupadd --gid 10001 chasi && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/chasi --shell /usr/sbin/nologin chasi \
 && mkdir -p /var/lib/chasi /etc/chasi && chown 10001:10001 /var/lib/chasi
COPY --from=build /app /opt/chasi
COPY --from=chdb /chdb/ /opt/chasi/native/
# The starter runbooks the knowledge component indexes by default (found beside the binary: diagnosis/runbooks).
COPY diagnosis/runbooks/ /opt/chasi/diagnosis/runbooks/
ENV CHASI_CHDB_LIB=/opt/chasi/native/libchdb.so \
    DOTNET_gcServer=0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /var/lib/chasi
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/opt/chasi/chasi"]
CMD ["run", "--listen", "http://0.0.0.0:8080"]
