#!/usr/bin/env bash
# The dashboard benchmark (issue 17), in process on PostgreSQL with the shipped metadata and dashboards: the sales
# funnel and the won revenue per month at 1M opportunities (loaded by COPY) against the same GROUP BY by hand, as a
# sales manager and as a rep, and the whole shipped sales dashboard (8 widgets). Bounded (fixed calls), loopback only.
# Writes bench/results/<date>-dashboards-1m.md. See bench/README.md "Dashboard benchmark".
#
#   bench/dashboards.sh                               # ≈ 4 minutes: builds, loads, measures
#   bench/dashboards.sh -Dbench.reuse=true            # keeps the loaded database of an earlier run (also orders.sh's)
#   bench/dashboards.sh -Dbench.rows=20000 -Dbench.samples=20 -Dbench.out=bench/target/dashboards-quick.md
#
# Needs PostgreSQL at 127.0.0.1:5432 (trust auth for user postgres; -Dbench.pg=host:port, -Dbench.pg.user=...);
# drops and creates the database relata_bench_orders (-Dbench.db=...). BENCH_MVN_ARGS is passed to every mvn call.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn "${mvn_args[@]}" -B -q -DskipTests install
rm -rf bench/target/dashboards-lib
mvn "${mvn_args[@]}" -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/dashboards-lib
cp -r bench/target/classes bench/target/dashboards-lib/classes
exec java -Xmx2g "-Dbench.repository=$root" "$@" \
  -cp "bench/target/dashboards-lib/classes:bench/target/dashboards-lib/*" io.relata.bench.core.DashboardBenchmark
