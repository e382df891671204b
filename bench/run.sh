#!/usr/bin/env bash
# npm run bench: provisions like npm test (our own dockerd + swarm and Redis on loopback, the
# tasfix fixture stack), bundles the CLI as `npm run build` does (dist/, what the package's bin
# runs) for the cold-process rows, compiles the bench's child processes for the RSS
# measurements, then runs bench/run.ts. Arguments go to bench/run.ts (e.g. --only=cold,status).
#
# Whatever this script starts it stops again: the dockerd, Redis and fixture stack if they were
# not up before (BENCH_KEEP_INFRA=1 keeps them, for repeated runs). The benchmarks remove their
# own services, Redis keys and child processes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -d node_modules ] || npm ci

# The runbook's sequence probes with curl (Debian's; the CI scripts need none).
if ! command -v curl >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "bench: curl is missing; install it as root: apt-get install -y curl" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y curl || { apt-get update && apt-get install -y curl; }
fi

# What is up already (others' test runs use the same dockerd and Redis): that stays up. The
# status goes into a variable first: `… | grep -q` under pipefail fails when grep's early exit
# breaks the pipe.
infra_status=$(bash .ci/infra.sh status || true)
infra_was_up=0
if grep -q '^dockerd: pid' <<<"$infra_status" && grep -Eq '^redis: +pid' <<<"$infra_status"; then
  infra_was_up=1
fi
stack_was_up=0
if [ "$infra_was_up" = 1 ] && (set -a && . .infra/env && /usr/bin/docker -H "$DOCKER_HOST" service inspect tasfix_frontend >/dev/null 2>&1); then
  stack_was_up=1
fi

cleanup() {
  local rc=$?
  if [ "${BENCH_KEEP_INFRA:-}" != 1 ]; then
    if [ "$infra_was_up" = 0 ]; then
      bash .ci/infra.sh down || true
    elif [ "$stack_was_up" = 0 ]; then
      bash .ci/fixture-stack.sh remove tasfix || true
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT

bash .ci/infra.sh up
bash .ci/fixture-stack.sh deploy tasfix
mkdir -p .infra/bench

set -a
# shellcheck source=/dev/null
. .infra/env
set +a

# The CLI as deployed: the esbuild bundle of `npm run build`, without its type-check (someone's
# work in progress may not type-check; the bundle does not need it).
if ! npm run --silent bundle >.infra/bench/bundle.log 2>&1; then
  echo "bench: the bundle failed (see .infra/bench/bundle.log); the cold rows run through tsx" >&2
  rm -rf dist
fi

# The children (logs-child, slack-bot-child, …) as plain node on compiled JS, as a deployed bot
# runs: tsx would add ~1.5 s to a start and ~35 MB to the logs process's RSS. tsc still emits
# when someone's work in progress has type errors; the build log says so.
dist=.infra/bench/dist
rm -rf "$dist"
if ! npx tsc -p bench/tsconfig.json --noEmit false --outDir "$dist" >.infra/bench/build.log 2>&1; then
  echo "bench: tsc reported type errors (see .infra/bench/build.log); using what it emitted" >&2
fi
if [ -f "$dist/bench/logs-child.js" ]; then
  export BENCH_DIST="$PWD/$dist"
else
  echo "bench: no compiled build; the logs and ack children run through tsx" >&2
fi

node --import tsx bench/run.ts "$@"
