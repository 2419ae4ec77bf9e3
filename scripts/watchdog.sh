#!/usr/bin/env bash
# watchdog.sh SECONDS COMMAND...: runs COMMAND; if it is still running after SECONDS, prints the
# thread stacks of every process it started (gdb, when installed) and kills them, exit status 124.
# `make test` runs `swift test` under it: a hang inside the test process then fails within the
# limit, with the stacks that show where, instead of running into CI's own time limit.
set -u
limit=$1; shift
setsid "$@" &
child=$!
# The command runs in a session of its own (so the stacks and the kill reach all it started):
# pass on an interrupt or termination, which would otherwise stop only this script.
trap 'kill -TERM -- "-$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 130' INT TERM
deadline=$((SECONDS + limit))
while kill -0 "$child" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "watchdog: '$*' ran past ${limit} s; its processes and their stacks:" >&2
    pids=$(ps -o pid= -s "$child" 2>/dev/null)
    ps -o pid,ppid,stat,etime,wchan:24,args -s "$child" >&2
    if command -v gdb >/dev/null 2>&1; then
      for p in $pids; do
        echo "--- pid $p: $(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-200)" >&2
        timeout 60 gdb -p "$p" -batch -nx -ex "thread apply all bt 25" 2>/dev/null | grep -E '^(Thread|#)' >&2
      done
    fi
    # Every process of the session: the programs tests start have process groups of their own.
    kill -KILL -- "-$child" $pids 2>/dev/null
    wait "$child" 2>/dev/null
    exit 124
  fi
  sleep 1 & wait $!  # an interrupt is handled at once, not after the sleep
done
wait "$child"
