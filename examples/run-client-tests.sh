#!/usr/bin/env bash
# Runs the example clients' tests (Axios in Node, fetch in headless Chromium)
# against a live API. By default each suite starts its own development server
# from the repository root (or BACKEND_DIR) with a two-second access token;
# set API_BASE_URL to test a server that is already running instead.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's build, never a browser downloaded by npm.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "chromium is missing: installing it with apt-get"
  as_root apt-get update -q || exit 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || exit 1
fi

for suite in axios browser; do
  echo "== installing $suite dependencies"
  (
    cd "$here/$suite" || exit 1
    if [ -f package-lock.json ]; then
      npm ci --no-audit --no-fund
    else
      npm install --no-audit --no-fund
    fi
  ) || exit 1
done

status=0
for suite in axios browser; do
  echo "== $suite tests"
  (cd "$here/$suite" && npm test --silent) || status=1
done

if [ "$status" -ne 0 ]; then
  echo "client tests FAILED"
else
  echo "client tests passed"
fi
exit "$status"
