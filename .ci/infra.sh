#!/usr/bin/env bash
# Our own Docker engine (single-node swarm) and Redis for tests and the demo, on loopback only.
#
#   .ci/infra.sh up       install what is missing, start (or reuse) dockerd + swarm and redis,
#                         write .infra/env (DOCKER_HOST=..., REDIS_URL=...)
#   .ci/infra.sh down     stop the dockerd and redis that we started, by their recorded pids
#   .ci/infra.sh status   what is running
#   .ci/infra.sh purge    down, then delete .infra/ and the exec root (images, swarm, redis data)
#
# The daemons are started in their own session (setsid) with no inherited descriptors beyond
# their logs, so neither Ctrl-C in `npm test` nor the lock in .infra/.lock reaches them.
#
# Never touches another daemon: ours has its own socket, data root, exec root and pidfile, and a
# pid is only stopped when its command line names our socket / port. See
# docs/test-swarm.md for why dockerd is started the way it is.
set -euo pipefail
CI_SCRIPT=infra
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_packages() {
  local missing=()
  [ -x "$DOCKERD_BIN" ] && [ -x "$DOCKER_BIN" ] || missing+=(docker.io)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
  # The HA tests start their own primary, replica and three sentinels (test/support/sentinel-set.ts).
  command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
  # The image needs a static busybox; the dynamic one from package busybox would not run in it.
  [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null || true)" = 'install ok installed' ] ||
    missing+=(busybox-static)
  [ "${#missing[@]}" -eq 0 ] && return 0

  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]}; install them as root:
  apt-get install -y ${missing[*]}"
  log "installing ${missing[*]}"
  # Packages must not start their own system services (a second redis on 6379, a sentinel on
  # 26379, a dockerd with a bridge and iptables rules): policy-rc.d exit 101 forbids it, as
  # Debian's docker images do.
  local own_policy=''
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y "${missing[@]}"; then
    log "apt-get install failed; refreshing the package lists and retrying"
    apt-get update && apt-get install -y "${missing[@]}" || rc=$?
  fi
  if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$rc" -eq 0 ] || die "could not install ${missing[*]} (apt-get exit $rc)"
}

docker_answers() {
  dk version --format '{{.Server.Version}}' >/dev/null 2>&1
}

start_dockerd() {
  local pid
  if pid=$(live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK"); then
    for _ in $(seq 1 100); do docker_answers && break; sleep 0.2; done
    if docker_answers; then
      log "reusing our dockerd (pid $pid) at $DOCKER_HOST_URL"
      return 0
    fi
    log "our dockerd (pid $pid) does not answer; restarting it"
    stop_pid "$pid" dockerd 60
  fi

  mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC_ROOT" "$(dirname "$DOCKER_SOCK")"
  # An empty config file, so a system /etc/docker/daemon.json cannot add hosts or a bridge.
  [ -f "$DOCKER_CONFIG_FILE" ] || echo '{}' >"$DOCKER_CONFIG_FILE"
  rm -f "$DOCKER_PIDFILE"
  # backend-cron's restart loop logs a few lines every couple of seconds: keep one old log only.
  if [ "$(stat -c %s "$DOCKER_LOG" 2>/dev/null || echo 0)" -gt 20000000 ]; then
    mv -f "$DOCKER_LOG" "$DOCKER_LOG.old"
  fi
  log "starting dockerd at $DOCKER_HOST_URL (log: ${DOCKER_LOG#"$ROOT"/})"
  # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: swarm tasks use the local image instead of asking a
  # registry (docs/test-swarm.md). No bridge, no iptables: every service uses host networking.
  env -u DOCKER_HOST DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid "$DOCKERD_BIN" \
    --host "$DOCKER_HOST_URL" \
    --data-root "$DOCKER_DATA" \
    --exec-root "$DOCKER_EXEC_ROOT" \
    --pidfile "$DOCKER_PIDFILE" \
    --config-file "$DOCKER_CONFIG_FILE" \
    --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
    >>"$DOCKER_LOG" 2>&1 </dev/null 9>&- &
  local launched=$!
  for _ in $(seq 1 300); do
    docker_answers && break
    kill -0 "$launched" 2>/dev/null || break
    sleep 0.2
  done
  if ! docker_answers; then
    tail -n 30 "$DOCKER_LOG" >&2 || true
    die "dockerd did not answer at $DOCKER_HOST_URL within 60s (full log: $DOCKER_LOG)"
  fi
  pid=$(live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK") || die "dockerd answers but wrote no pidfile at $DOCKER_PIDFILE"
  log "dockerd up (pid $pid, $(dk version --format '{{.Server.Version}}'))"
}

swarm_state() {
  dk info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown
}

ensure_swarm() {
  local state
  # After a daemon restart the node passes through "pending" while raft comes back.
  for _ in $(seq 1 150); do
    state=$(swarm_state)
    case "$state" in active | inactive | error | locked) break ;; esac
    sleep 0.2
  done
  case "$state" in
    active) return 0 ;;
    inactive) ;;
    *)
      log "swarm is '$state'; leaving it and initialising a fresh one"
      dk swarm leave --force >/dev/null 2>&1 || true
      ;;
  esac
  if port_open "${SWARM_LISTEN##*:}"; then
    die "swarm listen address $SWARM_LISTEN is already taken by another process; ours needs it"
  fi
  log "initialising a single-node swarm on $SWARM_LISTEN"
  dk swarm init --advertise-addr 127.0.0.1 --listen-addr "$SWARM_LISTEN" >/dev/null
}

redis_answers() {
  [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true)" = PONG ]
}

start_redis() {
  local pid
  if pid=$(live_pid "$REDIS_PIDFILE" "127.0.0.1:$REDIS_PORT"); then
    if redis_answers; then
      log "reusing our redis (pid $pid) at $REDIS_URL_VALUE"
      return 0
    fi
    log "our redis (pid $pid) does not answer; restarting it"
    stop_pid "$pid" redis 20
  fi
  if port_open "$REDIS_PORT"; then
    die "127.0.0.1:$REDIS_PORT is already taken by a process we did not start (pidfile $REDIS_PIDFILE);
  stop it, or run the tests from the checkout that started it"
  fi

  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_PIDFILE"
  log "starting redis-server on 127.0.0.1:$REDIS_PORT (log: ${REDIS_LOG#"$ROOT"/})"
  # noeviction: BullMQ must never lose keys silently (STYLE.md rule 10).
  setsid redis-server \
    --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --dir "$REDIS_DIR" --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" \
    --daemonize yes </dev/null >/dev/null 2>>"$REDIS_DIR/redis-start.err" 9>&-
  for _ in $(seq 1 100); do redis_answers && break; sleep 0.1; done
  redis_answers || {
    tail -n 20 "$REDIS_DIR/redis-start.err" "$REDIS_LOG" >&2 || true
    die "redis-server did not answer on 127.0.0.1:$REDIS_PORT within 10s (log: $REDIS_LOG)"
  }
  pid=$(live_pid "$REDIS_PIDFILE" "127.0.0.1:$REDIS_PORT") || die "redis answers but wrote no pidfile at $REDIS_PIDFILE"
  log "redis up (pid $pid)"
}

write_env() {
  mkdir -p "$INFRA"
  cat >"$INFRA_ENV.tmp" <<EOF
# Written by .ci/infra.sh up; sourced by .ci/test.sh and .ci/demo.sh.
DOCKER_HOST=$DOCKER_HOST_URL
REDIS_URL=$REDIS_URL_VALUE
EOF
  mv "$INFRA_ENV.tmp" "$INFRA_ENV"
}

cmd_up() {
  local started=$SECONDS
  ensure_packages
  start_dockerd
  ensure_swarm
  start_redis
  write_env
  log "infra ready in $((SECONDS - started))s: DOCKER_HOST=$DOCKER_HOST_URL REDIS_URL=$REDIS_URL_VALUE"
}

cmd_down() {
  local pid
  rm -f "$INFRA_ENV"
  if pid=$(live_pid "$REDIS_PIDFILE" "127.0.0.1:$REDIS_PORT"); then
    log "stopping our redis (pid $pid)"
    stop_pid "$pid" redis 20
  fi
  if pid=$(live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK"); then
    # dockerd stops its containers and its own containerd on TERM; fixture tasks trap TERM.
    log "stopping our dockerd (pid $pid)"
    stop_pid "$pid" dockerd 90
  fi
  log "infra down"
}

cmd_status() {
  local pid
  if pid=$(live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK"); then
    echo "dockerd: pid $pid at $DOCKER_HOST_URL, swarm $(swarm_state)"
  else
    echo "dockerd: not running (ours would be at $DOCKER_HOST_URL)"
  fi
  if pid=$(live_pid "$REDIS_PIDFILE" "127.0.0.1:$REDIS_PORT"); then
    echo "redis:   pid $pid at $REDIS_URL_VALUE"
  else
    echo "redis:   not running (ours would be at $REDIS_URL_VALUE)"
  fi
}

# Mounts dockerd leaves under its own exec and data roots (netns/default always; overlays too
# after a crash). Only ever ours, and only once our dockerd is gone.
unmount_ours() {
  local mnt
  live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK" >/dev/null && die "our dockerd is still running; not unmounting"
  awk -v a="$DOCKER_EXEC_ROOT" -v b="$DOCKER_DATA" \
    '$2 == a || index($2, a "/") == 1 || $2 == b || index($2, b "/") == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
  done
}

cmd_purge() {
  cmd_down
  unmount_ours
  log "removing $INFRA and $DOCKER_EXEC_ROOT"
  rm -rf "$INFRA" "$DOCKER_EXEC_ROOT" "/tmp/tas-chatops-run-$ROOT_ID"
}

case "${1:-}" in
  up) take_lock && cmd_up ;;
  down) take_lock && cmd_down ;;
  status) cmd_status ;;
  purge) take_lock && cmd_purge ;;
  *)
    echo "usage: $0 up|down|status|purge" >&2
    exit 2
    ;;
esac
