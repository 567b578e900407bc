#!/usr/bin/env bash
# Old (4837f5a) and new engine in one session, same JMH settings as run.sh, engine benchmarks only
cd /work/main/bench
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin
M=$(ls target/compiler/*.jar | paste -sd: -)
RCP=$(cat target/runtime-classpath.txt)
NEWRULES=$(echo "$RCP" | tr ':' '\n' | grep relata-rules)
OLDCP="target/relata-bench-0.1.0-SNAPSHOT.jar:$(echo "$RCP" | sed "s#$NEWRULES#/tmp/old/platform/rules/target/relata-rules-0.1.0-SNAPSHOT.jar#")"
NEWCP="target/relata-bench-0.1.0-SNAPSHOT.jar:$RCP"
for v in old new; do
  cp=$([ $v = old ] && echo "$OLDCP" || echo "$NEWCP")
  echo "== $v engine =="
  $J/java -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 5 -w 10s -i 5 -r 5s -jvmArgs "-Xms1g -Xmx1g -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=$M" 'RulesBenchmark.(score|validation)Engine' 2>&1 | grep -E "^RulesBenchmark|Relata:|Iteration" 
done
