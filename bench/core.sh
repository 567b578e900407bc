#!/usr/bin/env bash
# The core benchmark (issue 12): the CRM on PostgreSQL with 1M leads loaded by COPY; lists, search, counts and
# reads through REST next to the same SQL run directly, creates at 8 clients through REST (Basic, token) next to
# single-row JDBC inserts, start-up, first visits and memory. Bounded (fixed calls and seconds), loopback only.
# Writes bench/results/<date>-core-1m.md. See bench/README.md "Core benchmark".
#
#   bench/core.sh                               # ≈ 15 minutes: builds, loads, measures
#   bench/core.sh -Dbench.reuse=true            # keeps the loaded database of an earlier run (skips the load)
#   bench/core.sh -Dbench.rows=20000 -Dbench.samples=40 -Dbench.write.seconds=3   # a quick check of the set-up
#
# Needs PostgreSQL at 127.0.0.1:5432 (trust auth for user postgres; -Dbench.pg=host:port, -Dbench.pg.user=...);
# drops and creates the database relata_bench (-Dbench.db=...). The CRM runs on 127.0.0.1:18080 (-Dbench.port=...).
# BENCH_MVN_ARGS is passed to every mvn call (e.g. "-o -Dmaven.repo.local=/path/to/repo"), as in bench/customer.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn "${mvn_args[@]}" -B -q -DskipTests install
# a copy of the jars: a build in this checkout during the run (it takes minutes) must not change them under it
rm -rf bench/target/core-lib
mvn "${mvn_args[@]}" -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/core-lib
cp -r bench/target/classes bench/target/core-lib/classes
exec java -Xmx1g "-Dbench.repository=$root" "$@" \
  -cp "bench/target/core-lib/classes:bench/target/core-lib/*" io.relata.bench.core.CoreBenchmark
