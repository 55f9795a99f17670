#!/usr/bin/env bash
# Real-browser tests of a site built by preflight, then the Nu Html Checker over its pages.
#
#   bash tests/browser/run.sh SITE_DIR [SCREENSHOT_DIR [RELEASE_SITE_DIR]]
#
# SITE_DIR is the example book's site (site.test.mjs); RELEASE_SITE_DIR, when given, the site of
# the versioned fixture book of tests/fixtures/releases (releases.test.mjs). SCREENSHOT_DIR
# defaults to SITE_DIR/../screenshots. CHROMIUM overrides the browser
# (default /usr/bin/chromium). Needs node >= 20, npm and java >= 11.
set -euo pipefail

usage() {
  echo "usage: $0 SITE_DIR [SCREENSHOT_DIR [RELEASE_SITE_DIR]]" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 3 ]] || usage
[[ -f "$1/index.html" ]] || { echo "$0: $1 is not a built site (no index.html)" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
site="$(cd "$1" && pwd)"
shots="${2:-$site/../screenshots}"
mkdir -p "$shots"
shots="$(cd "$shots" && pwd)"
releases=""
if [[ $# -eq 3 ]]; then
  [[ -f "$3/index.html" ]] || { echo "$0: $3 is not a built site (no index.html)" >&2; exit 2; }
  releases="$(cd "$3" && pwd)"
fi

cd "$here"
if [[ ! -d node_modules ]]; then
  # --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the system java is used.
  npm ci --ignore-scripts --no-audit --no-fund
fi

status=0

echo "== browser tests: $site (screenshots: $shots)"
PREFLIGHT_SITE="$site" PREFLIGHT_SHOTS="$shots" node --test --test-reporter=spec site.test.mjs || status=1

if [[ -n "$releases" ]]; then
  echo "== browser tests of the versioned site: $releases"
  PREFLIGHT_SITE="$releases" PREFLIGHT_SHOTS="$shots" node --test --test-reporter=spec releases.test.mjs || status=1
fi

echo "== Nu Html Checker: $site $releases"
if java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site" ${releases:+"$releases"}; then
  echo "vnu: no errors"
else
  echo "vnu: errors found (above)" >&2
  status=1
fi

exit "$status"
