# syntax=docker/dockerfile:1
# topmock: a local mock of the Taobao Open Platform gateway for the POS payment APIs.
#
#   docker build -t topmock .
#   docker run --rm -p 8080:8080 topmock
#
# Build stage: a static-stdlib release binary (only libc, libmicrohttpd, libyaml and their own
# dependencies stay dynamic), then the runtime's whole file tree in /rootfs: the binary, the
# shared libraries it loads (what `ldd` lists, the dynamic loader included, copied to the paths
# the loader looks in), and the two files glibc's name lookup reads. docs/ci.md lists them.
FROM swift:6.3-bookworm AS build
# A failing `ldd` must fail its pipe below.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmicrohttpd-dev libyaml-dev libcurl4-gnutls-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# The dashboard's files and the plugin that puts them into the binary at build time.
COPY Plugins ./Plugins
COPY ui ./ui
# SwiftPM checks every target's folder when it reads the manifest, test targets included.
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product topmock \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/topmock" /rootfs/usr/local/bin/topmock \
 && strip /rootfs/usr/local/bin/topmock \
 && ldd /rootfs/usr/local/bin/topmock \
    | sed -n -e 's/^.*=> \(\/[^ ]*\) .*$/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' \
    | while read -r library; do install -D -m 0644 "$(readlink -f "$library")" "/rootfs$library"; done \
 && chmod 0755 /rootfs/lib64/ld-linux-*.so.* \
 && mkdir -p /rootfs/etc /rootfs/scenarios \
 && printf 'hosts: files\n' > /rootfs/etc/nsswitch.conf \
 && printf '127.0.0.1 localhost\n::1 localhost\n' > /rootfs/etc/hosts

# Runtime stage: nothing but that tree and the shipped scenarios. No shell, no package manager:
# `topmock` itself answers health, version, scenarios and configuration (docs/ci.md, "Debugging
# the image"). CI builds this file with buildah and runs the image from its config (scripts/image).
FROM scratch
COPY --from=build /rootfs/ /
COPY scenarios /usr/share/topmock/scenarios
# The shipped scenarios, then the user's own in /scenarios (mount a directory there; set
# TOPMOCK_SCENARIOS=/scenarios to serve only yours).
ENV PATH=/usr/local/bin \
    TOPMOCK_HOST=0.0.0.0 \
    TOPMOCK_PORT=8080 \
    TOPMOCK_SCENARIOS=/usr/share/topmock/scenarios:/scenarios
# Numeric, so Kubernetes' runAsNonRoot can check it without an /etc/passwd.
USER 10001:10001
VOLUME ["/scenarios"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["topmock", "healthcheck", "--quiet"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["topmock"]
CMD ["serve"]
