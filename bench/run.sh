#!/usr/bin/env bash
# Builds the rule benchmark and runs it: the same score and validation rule through the platform's rule
# engine (GraalJS), Nashorn standalone and plain Java, in one run. Prints ops/s per variant and the ratios.
#
#   bench/run.sh                  compiled GraalJS (JVMCI + Graal compiler jars on the upgrade module path)
#   bench/run.sh --interpreted    same JDK, no Graal compiler: GraalJS interpreted (Nashorn/Java unchanged)
#   bench/run.sh --quick          1 s iterations, to check the set-up (figures meaningless)
#   bench/run.sh --graal 25.0.3   GraalJS/Truffle/compiler of another version than the project's (the Graal
#                                 compiler needs a JDK at least as new as itself: 25.0.4 needs JDK 25.0.4+)
#   Extra arguments after -- go to JMH, e.g.  bench/run.sh -- 'RulesBenchmark.validation.*'
#
# Needs relata-api and relata-rules in the local repository:
#   mvn -B -q -pl platform/api,platform/rules install -DskipTests
# JAVA_HOME for the run: $BENCH_JAVA_HOME, else the newest JDK under /usr/lib/jvm. The build uses mvn's own JDK.
set -euo pipefail
cd "$(dirname "$0")"

mode=compiled
warmup=(-wi 5 -w 10s)
measure=(-i 5 -r 5s)
jmh_extra=()
graal=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --interpreted) mode=interpreted ;;
    --compiled) mode=compiled ;;
    --quick) warmup=(-wi 1 -w 1s); measure=(-i 2 -r 1s) ;;
    --graal) shift; graal=("-Dbench.graalvm.version=$1") ;;
    --) shift; jmh_extra=("$@"); break ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done

if [[ -n "${BENCH_JAVA_HOME:-}" ]]; then
  java_home="$BENCH_JAVA_HOME"
else
  # newest JDK: highest feature version among /usr/lib/jvm/*/bin/java
  java_home=$(for j in /usr/lib/jvm/*/; do
      [[ -x "$j/bin/java" && ! -L "${j%/}" ]] || continue
      v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
      echo "${v:-0} ${j%/}"
    done | sort -n -k1,1 | tail -1 | cut -d' ' -f2)
fi
java="$java_home/bin/java"
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

echo "== building bench (mvn package, tests skipped) =="
rm -rf target/compiler
mvn -B -q "${graal[@]}" package -DskipTests
mvn -B -q "${graal[@]}" dependency:build-classpath@runtime-classpath dependency:copy@compiler-jars
jar=$(ls target/relata-bench-*.jar | head -1)
classpath="$jar:$(cat target/runtime-classpath.txt)"

fork_args=(-Xms1g -Xmx1g)
if [[ "$mode" == compiled ]]; then
  if (( feature < 21 )); then
    echo "compiled mode needs JDK 21+ (found $feature at $java_home)" >&2
    exit 1
  fi
  modules=$(ls target/compiler/*.jar | paste -sd: -)
  fork_args+=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$modules")
fi

# Pre-flight: a compiled run that would silently run interpreted stops here, with Truffle's reason.
engine_mode=$("$java" "${fork_args[@]}" -cp "$classpath" io.relata.bench.EngineMode 2>target/engine-mode.err | tail -1)
echo "   $engine_mode"
if [[ "$mode" == compiled && "$engine_mode" != *"run compiled"* ]]; then
  grep -i -A2 'cause' target/engine-mode.err >&2 || cat target/engine-mode.err >&2
  echo "Compiled mode is not available with these jars on this JDK (see the cause above); try --graal with the" >&2
  echo "GraalVM version of this JDK's release, e.g. --graal 25.0.3 on JDK 25.0.3, or --interpreted." >&2
  exit 1
fi

out=target/jmh-$mode
echo "== $mode run on $("$java" -version 2>&1 | head -1) ($java_home), $(nproc) cores =="
echo "   fork JVM flags: ${fork_args[*]}"
(( ${#jmh_extra[@]} > 0 )) || jmh_extra=(RulesBenchmark)
"$java" -cp "$classpath" org.openjdk.jmh.Main \
  -f 1 "${warmup[@]}" "${measure[@]}" -jvmArgs "${fork_args[*]}" \
  -rf csv -rff "$out.csv" "${jmh_extra[@]}" 2>&1 | tee "$out.txt"

if [[ "$mode" == compiled ]] && grep -q 'rules run interpreted' "$out.txt"; then
  echo "WARNING: the engine ran interpreted although compiled mode was asked for (see '# Relata:' above)" >&2
fi

# Ratios from the CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
echo
echo "== summary ($mode) =="
awk -F, '
  NR > 1 {
    gsub(/"/, "", $1); name = $1; sub(/.*\./, "", name)
    score[name] = $5; err[name] = $6
    printf "%-20s %14.0f ± %10.0f ops/s\n", name, $5, $6
  }
  END {
    split("score validation", rules, " ")
    for (i = 1; i <= 2; i++) {
      r = rules[i]; e = score[r "Engine"]; n = score[r "Nashorn"]; j = score[r "Java"]
      if (e > 0 && n > 0) printf "%-10s engine/Nashorn = %6.2f×\n", r, e / n
      if (e > 0 && j > 0) printf "%-10s Java/engine    = %6.2f×\n", r, j / e
    }
    f = score["scoreGraalFloor"]; n = score["scoreNashorn"]; j = score["scoreJava"]
    if (f > 0 && n > 0) printf "floor      GraalJS floor/Nashorn (score)      = %6.2f×, Java/floor = %6.2f×\n", f / n, j / f
    f = score["validationGraalFloor"]; c = score["crossingGraalFloor"]
    n = score["validationNashorn"]; j = score["validationJava"]
    if (f > 0 && n > 0) printf "floor      GraalJS floor/Nashorn (validation) = %6.2f×, Java/floor = %6.2f×\n", f / n, j / f
    if (c > 0 && n > 0) printf "crossing   bare call/Nashorn (validation)     = %6.2f×, Java/bare call = %6.2f×\n", c / n, j / c
  }' "$out.csv" | tee "$out-summary.txt"
