# syntax=docker/dockerfile:1
# topmock: a local mock of the Taobao Open Platform gateway for alibaba.pos.pay.action.query.
#
#   docker build -t topmock .
#   docker run --rm -p 8080:8080 topmock
#
# Build stage: a static-stdlib release binary (only libc, libmicrohttpd, libyaml and their own
# dependencies stay dynamic).
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd-dev libyaml-dev libcurl4-gnutls-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# SwiftPM checks every target's folder when it reads the manifest, test targets included.
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product topmock \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/topmock" /out/topmock \
 && strip /out/topmock

# Runtime stage: Debian slim with the two C libraries topmock links. CI builds this file with
# buildah and runs the image from its config (scripts/image).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd12 libyaml-0-2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 topmock \
 && useradd --uid 10001 --gid 10001 --no-create-home --no-log-init --shell /usr/sbin/nologin topmock \
 && mkdir /scenarios
COPY --from=build /out/topmock /usr/local/bin/topmock
COPY scenarios /usr/share/topmock/scenarios
# The shipped scenarios, then the user's own in /scenarios (mount a directory there; set
# TOPMOCK_SCENARIOS=/scenarios to serve only yours).
ENV TOPMOCK_HOST=0.0.0.0 \
    TOPMOCK_PORT=8080 \
    TOPMOCK_SCENARIOS=/usr/share/topmock/scenarios:/scenarios
# Numeric, so Kubernetes' runAsNonRoot can check it without the image's /etc/passwd.
USER 10001:10001
VOLUME ["/scenarios"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["topmock", "healthcheck", "--quiet"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["topmock"]
CMD ["serve"]
