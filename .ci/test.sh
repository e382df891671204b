#!/usr/bin/env bash
# npm test: provision our own dockerd (single-node swarm) and Redis, deploy the fixture stack,
# then run vitest with DOCKER_HOST and REDIS_URL exported. Extra arguments go to vitest.
#
# The infrastructure stays up afterwards so re-runs are fast (`bash .ci/infra.sh down` stops
# it), except under CI=true, where it is stopped at exit by the pids we recorded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
  # Keeps vitest's (or a failed provisioning step's) exit code.
  stop_infra() {
    local rc=$?
    bash .ci/infra.sh down || true
    exit "$rc"
  }
  trap stop_infra EXIT
fi

[ -d node_modules ] || npm ci

# Types and lint first: they fail in seconds, the integration tests take minutes.
npm run --silent typecheck
npm run --silent lint

bash .ci/infra.sh up
bash .ci/fixture-stack.sh deploy tasfix

set -a
# shellcheck source=/dev/null
. .infra/env
set +a

# Projects unit and integration, then chaos (test/chaos: worker and Redis SIGKILLs at instants
# drawn from a seed; TAS_CHAOS_SEED replays a run, TAS_CHAOS_ITERATIONS=200 makes a long one).
npx vitest run "$@"
