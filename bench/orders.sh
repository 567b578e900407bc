#!/usr/bin/env bash
# The order management benchmark (issue 16), in process on PostgreSQL with the shipped metadata: the forecast at 1M
# opportunities (loaded by COPY) against the same aggregation in SQL by hand, as a sales manager and as a rep; a quote
# with 200 lines, one line changed and the line form's preview. Bounded (fixed calls), loopback only.
# Writes bench/results/<date>-orders-1m.md. See bench/README.md "Order management benchmark".
#
#   bench/orders.sh                                   # ≈ 4 minutes: builds, loads, measures
#   bench/orders.sh -Dbench.reuse=true                # keeps the loaded database of an earlier run
#   bench/orders.sh -Dbench.rows=20000 -Dbench.samples=20 -Dbench.out=bench/target/orders-quick.md
#
# Needs PostgreSQL at 127.0.0.1:5432 (trust auth for user postgres; -Dbench.pg=host:port, -Dbench.pg.user=...);
# drops and creates the database relata_bench_orders (-Dbench.db=...). BENCH_MVN_ARGS is passed to every mvn call.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn "${mvn_args[@]}" -B -q -DskipTests install
rm -rf bench/target/orders-lib
mvn "${mvn_args[@]}" -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/orders-lib
cp -r bench/target/classes bench/target/orders-lib/classes
exec java -Xmx2g "-Dbench.repository=$root" "$@" \
  -cp "bench/target/orders-lib/classes:bench/target/orders-lib/*" io.relata.bench.core.OrdersBenchmark
