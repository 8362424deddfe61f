# syntax=docker/dockerfile:1
#
# planbook's container images, built from the static (musl) release
# binaries, which the release workflow puts at dist/docker/ARCH/planbook
# (ARCH as Docker names it: amd64, arm64). Two targets:
#
#   planbook (the default): FROM scratch, the binary alone, planbook as the
#     entrypoint, for `docker run`:
#       docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/work" IMAGE build
#   ci: Alpine with a shell and git, for CI systems whose jobs run shell
#     scripts (GitLab's `script:`) and for `planbook diff`, which the
#     plan-changes job runs after `git fetch`.
#
# Both run as a non-root user.

FROM alpine:3.22 AS ci
ARG TARGETARCH
# git follows Alpine's security updates; pinning its exact package revision
# would break the build at every Alpine point release.
# hadolint ignore=DL3018
RUN apk add --no-cache git \
  && adduser -D -u 10001 -h /home/planbook planbook \
  && git config --system --add safe.directory '*'
COPY --chown=0:0 dist/docker/${TARGETARCH}/planbook /usr/local/bin/planbook
USER 10001
CMD ["planbook", "--help"]

FROM scratch AS planbook
ARG TARGETARCH
COPY --chown=0:0 dist/docker/${TARGETARCH}/planbook /planbook
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/planbook"]
CMD ["--help"]
