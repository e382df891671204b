#!/usr/bin/env bash
# npm run demo: the bot against the tasfix fixture stack on our own swarm, in a console chat.
#
# Provisions like npm test (own dockerd + Redis on loopback, fixture stack), builds, writes a
# demo config to .infra/demo/tas-chatops.yml and execs `tas-chatops start`. Arguments replace
# the default `--as alice --env tasfix`. Chat tokens from the caller's environment are dropped
# (set DEMO_KEEP_CHAT_ENV=1 to keep them, e.g. for the local Slack/Discord stand-ins), so the
# demo never talks to a real chat service.
#
# npm run demo -- --mattermost [step …] runs the bot, from its sources, against the local
# Mattermost stand-in (test/stand-ins/mattermost) instead: both on 127.0.0.1, the stand-in
# knowing the people and channels by the config's Mattermost ids below. A step is command text
# typed in the tasfix ops channel (default: status; as alice until `--as NAME`) or
# `--click NAME:LABEL` (NAME clicks that button on the latest card); it prints what the bot
# posted, edited and showed only to that person, then stops both. The bot keeps its own private
# Redis and log under .infra/demo/mattermost. E.g.
#   npm run demo -- --mattermost "restart tika" --click alice:Approve --click dave:Approve
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CI_SCRIPT=demo
# shellcheck source=lib.sh
. .ci/lib.sh

[ -d node_modules ] || npm ci

bash .ci/infra.sh up
bash .ci/fixture-stack.sh deploy tasfix

set -a
# shellcheck source=/dev/null
. .infra/env
set +a

config="$INFRA/demo/tas-chatops.yml"
mkdir -p "$(dirname "$config")"
cat >"$config" <<EOF
# Written by .ci/demo.sh on every run; edit .ci/demo.sh instead.
# The tasfix fixture stack (test/fixtures/stack/tas-stack.yml) on our own swarm.
command: tas
people:
  # Mattermost user ids (26 lowercase letters and digits): the --mattermost stand-in's users.
  alice: { mattermost: "gxto1rhu7338oqwsozjktkyr8i" }
  bob: { mattermost: "bftpa3hg8zmg9cthp91og8ftt8" }
  carol: { mattermost: "bk48f56ka7u9754go63xh9rj9t" }
  dave: { mattermost: "hb35bsz6osucn6ogagncuby1so" }
roles:
  lead: [alice, dave]
  operator: [alice, bob]
  viewer: [carol]
defaultEnvironment: tasfix
environments:
  tasfix:
    platform: swarm
    stack: tasfix
    docker:
      host: $DOCKER_HOST
      timeout: 10s
    facts:
      tasVersion: '5.15'
      note: fixture stack; backend readiness answers 503 by design
    # Runbook section 3.4 stop order; start runs the reverse.
    services: [backend-cron, backend, frontend, arango, elasticsearch, redis, tika]
    probes:
      - name: frontend
        url: http://127.0.0.1:$FRONTEND_PORT/
        severity: degraded
      - name: backend-liveness
        url: http://127.0.0.1:$BACKEND_PORT/cgi-bin/liveness
        expect: { status: 200, json: { status: OK } }
      - name: backend-readiness
        url: http://127.0.0.1:$BACKEND_PORT/cgi-bin/readiness
        expect: { status: 200, json: { status: OK } }
    channels:
      demo: { console: tasfix }
      ops: { mattermost: "8njcyqoomxpi1znkcz9axaw9nx" }
      support: { console: tasfix-support, mattermost: "56ifogecdjpo9headgoz54ehqf" }
    policy:
      read: [viewer, operator, lead]
      restart: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      scale: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      stop: { request: [lead], approve: [lead], approvals: 1, expires: 15m }
      start: { request: [operator], approve: [lead], approvals: 1, expires: 15m }
      rollback: { request: [lead], approve: [lead], approvals: 1, expires: 15m }
      escalate: [operator, lead]
    watch: { every: 1m, escalateAfter: 3 }
    restartLoop: { failures: 3, window: 10m }
    logs:
      # The runbook's section 9.3 patterns are built in; add site-specific ones here.
      patterns:
        - { name: sequelize, regex: 'Sequelize\\w*Error' }
      defaultSince: 15m
      defaultTail: 200
EOF
log "config: ${config#"$ROOT"/}"

if [ "${1:-}" = --mattermost ]; then
  shift
  mkdir -p "$INFRA/demo/mattermost"
  exec node --import tsx test/demo/mattermost-demo.ts "$config" "$INFRA/demo/mattermost" "$@"
fi
log "Mattermost: npm run demo -- --mattermost [\"<command>\" | --as NAME | --click NAME:Approve …] tries the bot against the local Mattermost stand-in (loopback only)"

npm run build

export TAS_CHATOPS_CONFIG="$config"
# The console writes its log records to $TAS_CHATOPS_DATA_DIR/console.log (the path is printed at start).
export TAS_CHATOPS_DATA_DIR="${TAS_CHATOPS_DATA_DIR:-$INFRA/demo}"
if [ "${DEMO_KEEP_CHAT_ENV:-}" != 1 ]; then
  unset SLACK_BOT_TOKEN SLACK_APP_TOKEN SLACK_SIGNING_SECRET SLACK_API_URL \
    DISCORD_TOKEN DISCORD_APPLICATION_ID DISCORD_API_URL DISCORD_GUILD_ID
fi
[ "$#" -gt 0 ] || set -- --as alice --env tasfix
exec node dist/src/cli/bin.js start "$@"
