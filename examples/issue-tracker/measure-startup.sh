#!/usr/bin/env bash
# Measures the one-command start of the example: the time from the command's start to the first
# successful HTTP answer. Then stops it with SIGTERM to its process group (what Ctrl+C does in a
# terminal, except that a script's background job ignores SIGINT; the JVMs shut down the same way).
#
#   examples/issue-tracker/measure-startup.sh            # embedded: mvn -q -Prun ... (http://127.0.0.1:8080/)
#   examples/issue-tracker/measure-startup.sh wildfly    # WildFly:  mvn -Pwildfly ... (http://127.0.0.1:8080/issue-tracker/)
#
# Runs the same commands as the README, from the repository root; the command's output goes to
# examples/issue-tracker/target/measure-<mode>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."

mode=${1:-embedded}
case "$mode" in
  embedded) command=(mvn -q -B -ntp -Prun -pl examples/issue-tracker -am -DskipTests package)
            url=http://127.0.0.1:8080/ ;;
  wildfly)  command=(mvn -B -ntp -Pwildfly -pl examples/issue-tracker -am -DskipTests package)
            url=http://127.0.0.1:8080/issue-tracker/ ;;
  *) echo "usage: $0 [embedded|wildfly]" >&2; exit 2 ;;
esac
if curl -fsS -o /dev/null "$url" 2>/dev/null; then
  echo "something already answers at $url: stop it first" >&2
  exit 1
fi

mkdir -p examples/issue-tracker/target
log=examples/issue-tracker/target/measure-$mode.log
start=$(date +%s%N)
setsid "${command[@]}" >"$log" 2>&1 &   # its own process group, to stop it as a whole
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  echo "still running after 60 s; killing it" >&2
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop EXIT

deadline=$((start + 600 * 1000000000))
until curl -fsS -o /dev/null "$url" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "the command ended before answering; see $log" >&2; exit 1; fi
  if (( $(date +%s%N) > deadline )); then echo "no answer within 600 s; see $log" >&2; exit 1; fi
  sleep 0.1
done
end=$(date +%s%N)
echo "$mode: $url answered $(( (end - start) / 1000000 )) ms after: ${command[*]}"
