#!/usr/bin/env bash
# The runbook's manual status sequence, as an on-call engineer would type it, run as a script:
#   docker service ls
#   docker service ps <stack>_<service>      for each service of the stack
#   curl -s -o /dev/null -w '%{http_code}'   for each status route (and its time_total)
# Usage: runbook-status.sh STACK "svc1 svc2 …" "url1 url2 …"   (DOCKER_HOST must be set)
# Everything it prints is what the engineer would then read; bench/status-vs-runbook.ts times it.
# No -e: an engineer reads on past a service that is not there.
set -uo pipefail
stack=$1
read -r -a services <<<"$2"
read -r -a urls <<<"$3"
docker=(/usr/bin/docker -H "$DOCKER_HOST")

"${docker[@]}" service ls
for service in "${services[@]}"; do
  "${docker[@]}" service ps "${stack}_${service}"
done
for url in "${urls[@]}"; do
  # time_total is curl's own measure of the request, for comparison with the bot's probe latency.
  printf '%s %s\n' "$url" "$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$url")"
done
