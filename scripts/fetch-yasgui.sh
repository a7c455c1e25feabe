#!/bin/sh
# Vendor the YASGUI query editor (npm package @zazuko/yasgui) into the web
# package's static files, so /query works offline and loads nothing from a CDN.
# Without it /query still works as a plain form. Usage: scripts/fetch-yasgui.sh [VERSION]
set -eu
version="${1:-4.6.2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
target="$here/src/budgetgraph/web/static/vendor/yasgui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$version" >/dev/null)
tar -xzf "$work"/zazuko-yasgui-"$version".tgz -C "$work"
mkdir -p "$target"
cp "$work/package/build/yasgui.min.js" "$work/package/build/yasgui.min.css" "$target/"
cp "$work/package/LICENSE" "$target/LICENSE" 2>/dev/null || true
echo "@zazuko/yasgui $version" > "$target/VERSION"
echo "YASGUI $version vendored into $target"
