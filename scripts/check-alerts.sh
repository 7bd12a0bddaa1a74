#!/usr/bin/env bash
# The alert rules are valid and each alert fires and clears as its unit test says.
set -euo pipefail
cd "$(dirname "$0")/.."
promtool="$(scripts/promtool.sh)"
"$promtool" --version | head -1
"$promtool" check rules deploy/prometheus/alerts.yml
"$promtool" test rules deploy/prometheus/alerts.test.yml
