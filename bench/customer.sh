#!/usr/bin/env bash
# The customer view benchmark (issue 15): the CRM on PostgreSQL with 1M accounts, contacts, opportunities and
# activities loaded by COPY, plus one account with 50 contacts, 200 activities and 30 opportunities; its customer view
# (customer.xhtml), its record page, a small account's customer view and the health check, as a sales manager and as
# the sales rep who owns the account, interleaved call by call; then where the time goes (the statements the view
# runs, their plans, table scans per page). Bounded (fixed calls), loopback only.
# Writes bench/results/<date>-customer-view-1m.md. See bench/README.md "Customer view benchmark".
#
#   bench/customer.sh                              # ≈ 12 minutes: builds, loads, measures
#   bench/customer.sh -Dbench.reuse=true           # keeps the loaded database of an earlier run (skips the load)
#   bench/customer.sh -Dbench.rows=20000 -Dbench.samples=20 -Dbench.out=bench/target/customer/quick.md   # a quick check
#   bench/customer.sh -Dbench.jfr=true             # adds a JFR profile of the server serving the view
#
# Needs PostgreSQL at 127.0.0.1:5432 (trust auth for user postgres; -Dbench.pg=host:port, -Dbench.pg.user=...);
# drops and creates the database relata_bench_customer (-Dbench.db=...). The CRM runs on 127.0.0.1:18081
# (-Dbench.port=...). BENCH_MVN_ARGS is passed to every mvn call, e.g. a private local repository for a build that
# must not touch ~/.m2: BENCH_MVN_ARGS="-o -Dmaven.repo.local=/path/to/repo" (set MAVEN_OPTS the same way if
# platform/run.sh may have to build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn "${mvn_args[@]}" -B -q -DskipTests install
# a copy of the jars: a build in this checkout during the run must not change them under it
rm -rf bench/target/customer-lib
mvn "${mvn_args[@]}" -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/customer-lib
cp -r bench/target/classes bench/target/customer-lib/classes
exec java -Xmx1g "-Dbench.repository=$root" "$@" \
  -cp "bench/target/customer-lib/classes:bench/target/customer-lib/*" io.relata.bench.core.CustomerViewBenchmark
