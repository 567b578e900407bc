#!/usr/bin/env bash
# The campaign benchmark (issue 18), in process on PostgreSQL with the shipped metadata: a target group's live count at
# 1M contacts (loaded by COPY) against the same COUNT by hand, preparing a campaign of about 15,000 members against a
# JDBC batch insert, and sending its mails to a GreenMail on 127.0.0.1 against JavaMail alone. Bounded, loopback only.
# Writes bench/results/<date>-campaigns-1m.md. See bench/README.md "Campaign benchmark".
#
#   bench/campaigns.sh                                # ≈ 5 minutes: builds, loads, measures
#   bench/campaigns.sh -Dbench.reuse=true             # keeps the loaded contacts of an earlier run
#   bench/campaigns.sh -Dbench.rows=20000 -Dbench.samples=5 -Dbench.out=bench/target/campaigns-quick.md
#
# Needs PostgreSQL at 127.0.0.1:5432 (trust auth for user postgres; -Dbench.pg=host:port, -Dbench.pg.user=...);
# drops and creates the database relata_bench_campaigns (-Dbench.db=...). BENCH_MVN_ARGS is passed to every mvn call.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn "${mvn_args[@]}" -B -q -DskipTests install
rm -rf bench/target/campaigns-lib
mvn "${mvn_args[@]}" -B -q -f bench/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/campaigns-lib
cp -r bench/target/classes bench/target/campaigns-lib/classes
exec java -Xmx2g "-Dbench.repository=$root" "$@" \
  -cp "bench/target/campaigns-lib/classes:bench/target/campaigns-lib/*" io.relata.bench.core.CampaignBenchmark
