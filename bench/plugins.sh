#!/usr/bin/env bash
# The plugin benchmark (issue 13): reinstall and upgrade time of the insurance plugin, requests per second of 4
# clients without and during back-to-back upgrades (every failed request counted), plugin class loaders alive
# afterwards. The CRM runs on H2 on 127.0.0.1:18090 (-Dbench.port=...), data in bench/target/plugins.
# Writes bench/results/<date>-plugins.md. See bench/README.md "Plugin benchmark".
#
#   bench/plugins.sh                                  # ≈ 3 minutes
#   bench/plugins.sh -Dbench.cycles=3 -Dbench.seconds=5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -DskipTests install
rm -rf bench/target/plugins-lib
mvn -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/plugins-lib
cp -r bench/target/classes bench/target/plugins-lib/classes
exec java -Xmx512m "-Dbench.repository=$root" "$@" \
  -cp "bench/target/plugins-lib/classes:bench/target/plugins-lib/*" io.relata.bench.core.PluginBenchmark
