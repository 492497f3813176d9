#!/usr/bin/env bash
# Runs the example clients' tests (Axios in Node, fetch and the React app in headless Chromium)
# against a live API. By default each suite starts its own development server
# from the repository root (or BACKEND_DIR) with a two-second access token;
# set API_BASE_URL to test a server that is already running instead (and
# PAGE_ORIGIN to the origin it allows by CORS, for the browser suite).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Seconds. Generous, since the machine may be busy, but nothing here may wait forever.
APT_TIMEOUT=900
NPM_INSTALL_TIMEOUT=600
SUITE_TIMEOUT=600

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

interrupted=0

# Runs a command under timeout, which gives it a process group of its own so that it can stop all
# of it. That group no longer gets Ctrl-C from the terminal: timeout passes on what it is sent.
bounded() {
  local seconds=$1 pid rc
  shift
  timeout --kill-after=30 "$seconds" "$@" &
  pid=$!
  trap 'interrupted=1; kill -TERM "$pid" 2>/dev/null' INT TERM HUP
  wait "$pid"
  rc=$?
  # A trapped signal ends wait early; the command is still stopping.
  while kill -0 "$pid" 2>/dev/null; do
    wait "$pid"
    rc=$?
  done
  trap - INT TERM HUP
  if [ "$rc" -eq 124 ]; then echo "timed out after ${seconds}s: $*" >&2; fi
  [ "$interrupted" -eq 0 ] || exit 130
  return "$rc"
}

# CI runs the suites with the ports they once hard-coded held busy (a frontend dev server's 5173,
# the old 8100-8199 range of the API server), so that none of them creeps back. HOLD_PORTS sets
# the list anywhere; empty turns it off.
read -ra hold_ports <<<"${HOLD_PORTS-${CI:+5173 5999 8100-8199}}"
if [ "${#hold_ports[@]}" -gt 0 ]; then
  # Taken by someone else already is as good as held. The holder ends with this script, however
  # that ends, because its standard input closes then.
  coproc HOLDER {
    exec node -e '
      const net = require("node:net");
      const ports = process.argv.slice(1).flatMap((spec) => {
        const [low, high = low] = spec.split("-").map(Number);
        return Array.from({ length: high - low + 1 }, (_, i) => low + i);
      });
      let pending = ports.length;
      const done = () => --pending === 0 && console.log("holding");
      for (const port of ports) net.createServer().once("error", done).listen(port, "127.0.0.1", done);
      process.stdin.on("end", () => process.exit()).resume();
    ' "${hold_ports[@]}"
  }
  if ! read -r -t 60 _ <&"${HOLDER[0]}"; then
    echo "could not hold ports ${hold_ports[*]}" >&2
    exit 1
  fi
  echo "== holding ports ${hold_ports[*]} busy"
fi

# Debian's build, never a browser downloaded by npm.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "chromium is missing: installing it with apt-get"
  # In the foreground, where sudo can ask for a password; apt-get's helpers end with it.
  as_root timeout --foreground "$APT_TIMEOUT" apt-get update -q || exit 1
  as_root env DEBIAN_FRONTEND=noninteractive \
    timeout --foreground "$APT_TIMEOUT" apt-get install -y -q chromium || exit 1
fi

# In this shell rather than in subshells, so that an interrupted step stops the whole run.
for suite in axios browser react; do
  echo "== installing $suite dependencies"
  cd "$here/$suite" || exit 1
  if [ -f package-lock.json ]; then install=ci; else install=install; fi
  bounded "$NPM_INSTALL_TIMEOUT" npm "$install" --no-audit --no-fund || exit 1
done

status=0
# The client's declarations (api.d.ts and its siblings) compile under `strict`, as an app's would.
echo "== axios types"
cd "$here/axios" || exit 1
bounded "$SUITE_TIMEOUT" npm run typecheck --silent || status=1
# schema.d.ts, the types generated from the backend's OpenAPI schema, matches the schema of now.
echo "== axios schema types"
bounded "$SUITE_TIMEOUT" npm run types:check --silent || status=1
# The React app and the client's declarations together, under the app's `strict` tsconfig.
echo "== react types"
cd "$here/react" || exit 1
bounded "$SUITE_TIMEOUT" npm run typecheck --silent || status=1

# The Axios and browser suites run four test files at once: each starts servers of its own (free
# ports, a database in a directory of its own) and spends most of its time waiting for them or
# for a token to expire. One server for all (API_BASE_URL) takes them one at a time, since they
# would share its rate limits.
for suite in axios browser react; do
  echo "== $suite tests"
  cd "$here/$suite" || exit 1
  one_at_a_time=()
  if [ -n "${API_BASE_URL:-}" ] && [ "$suite" != react ]; then one_at_a_time=(-- --test-concurrency=1); fi
  bounded "$SUITE_TIMEOUT" npm test --silent "${one_at_a_time[@]}" || status=1
done

if [ "$status" -ne 0 ]; then
  echo "client tests FAILED"
else
  echo "client tests passed"
fi
exit "$status"
