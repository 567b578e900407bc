#!/usr/bin/env bash
# Starts Relata CRM on http://localhost:${CRM_HTTP_PORT:-8080} (bound to 127.0.0.1), building first what is
# missing or out of date. Settings come from the environment; see README.md "Configuration".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
war=platform/web/target/relata.war
micro=platform/web/target/payara-micro.jar

stale() {
  [ ! -f "$war" ] || [ ! -f "$micro" ] && return 0
  [ -n "$(find pom.xml platform admin-ui -newer "$war" -type f -not -path '*/target/*' -not -name run.sh -print -quit)" ] && return 0
  # each shipped plugin against its own jar (a build of the web module alone leaves the plugin jars as they were)
  for plugin in plugins/*/pom.xml; do
    [ -f "$plugin" ] || continue
    dir=$(dirname "$plugin")
    jar=$(ls "$dir"/target/*.jar 2>/dev/null | head -1)
    [ -z "$jar" ] && return 0
    [ -n "$(find "$dir" -newer "$jar" -type f -not -path '*/target/*' -print -quit)" ] && return 0
  done
  return 1
}
if stale; then
  echo "Building Relata (first start or changed sources) ..."
  mvn -B -q -DskipTests install
fi

# The newest JDK found runs the server (JavaScript rules run compiled on JDK 21+); the build stays on 17.
java_bin=""
best=0
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
  [ -x "$candidate" ] || continue
  major=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p' | head -1)
  major=${major:-0}
  if [ "${major%%.*}" -gt "$best" ]; then best=${major%%.*}; java_bin=$candidate; fi
done
[ -n "$java_bin" ] || { echo "No Java runtime found; install JDK 17 or newer." >&2; exit 1; }

# JavaScript rules run compiled (about 3x Nashorn) with the Graal JIT on JDK 21+, interpreted otherwise.
compiler_dir=platform/web/target/graal-compiler
rules_options=()
if [ "$best" -ge 21 ] && ls "$compiler_dir"/*.jar >/dev/null 2>&1; then
  rules_options=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$(ls "$compiler_dir"/*.jar | paste -sd:)")
  echo "Relata CRM: Graal compiler enabled for JavaScript rules on Java $best (the log line 'JavaScript rules run …' confirms the mode)."
else
  rules_options=(-Dpolyglot.engine.WarnInterpreterOnly=false)
  echo "Relata CRM: JavaScript rules run interpreted (slower): compiled mode needs Java 21 or newer."
fi

port=${CRM_HTTP_PORT:-8080}
data_dir=$(mkdir -p "${CRM_DATA_DIR:-$root/data}" && cd "${CRM_DATA_DIR:-$root/data}" && pwd)
export CRM_DATA_DIR=$data_dir
# Payara Micro keeps the applications deployed into --rootdir in its domain.xml and starts them again, before
# --deploy deploys the war once more: every start after the first initialised the CRM twice, and the second
# instance, the one that serves, ran the JavaScript rules interpreted (the first had taken the Graal compiler).
# The directory holds only Payara's work files, so each start begins with an empty one.
rm -rf "$data_dir/payara"
mkdir -p "$data_dir/tmp" "$data_dir/payara"
preboot="$data_dir/payara-preboot.txt"
cat > "$preboot" <<PREBOOT
set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
set configs.config.server-config.network-config.protocols.protocol.http-listener.http.server-header=false
set configs.config.server-config.network-config.protocols.protocol.http-listener.http.xpowered-by=false
PREBOOT

# Memory: glibc opens further malloc arenas (up to 8 per core) when threads allocate at the same time, and each
# keeps what it once held; two bound the native part of the server's memory (not measured on its own: RSS after
# the core benchmark's load was 671 MiB with it, 684 MiB in an earlier run without).
# (A class-data archive for a faster start is not possible here: the JVM disables CDS with --upgrade-module-path.)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

echo "Relata CRM: Java $best ($java_bin), data in $data_dir, database ${CRM_DB_URL:-H2 file in the data directory}"
echo "Relata CRM: starting on http://localhost:$port/ ..."
if [ -n "${CRM_ADMIN_PASSWORD:-}" ]; then
  echo "Relata CRM: log in as 'admin' with the password in CRM_ADMIN_PASSWORD (set on the first start)."
else
  echo "Relata CRM: log in as 'admin'; on the first start a generated password is printed below (once)."
fi
# the shipped industry plugins (plugins/*), installed on the first start (CRM_PLUGINS_INSTALL)
shipped_plugins=$(ls plugins/*/target/*.jar 2>/dev/null | grep -v -e '-sources.jar$' -e '-tests.jar$' | paste -sd: - || true)
exec "$java_bin" -Xms256m -Xmx1g "${rules_options[@]}" \
  -Dcrm.http.port="$port" \
  -Dcrm.plugins.install="${CRM_PLUGINS_INSTALL:-$shipped_plugins}" \
  -Dcrm.metadata.base="${CRM_METADATA_BASE:-$root/metadata}" \
  -Dcrm.exit.on.startup.failure=true \
  -Dh2.bindAddress=127.0.0.1 \
  -Djava.io.tmpdir="$data_dir/tmp" \
  -jar "$micro" \
  --nohazelcast --disablephonehome \
  --prebootcommandfile "$preboot" \
  --rootdir "$data_dir/payara" \
  --port "$port" \
  --contextroot / \
  --deploy "$war"
