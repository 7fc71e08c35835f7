#!/usr/bin/env bash
# Benchmark of the IPsum pipeline (io.ctifeeds.bench.IpsumBenchmark): the whole application in-process (the real
# routes/*.yaml and application.properties), the full IPsum list (120,430 IPs) served over local HTTP, bundles
# written to a temporary folder. After one warm-up run it prints, per run, IPs, IPs/s end to end, objects,
# bundles, bytes written, seconds, CPU seconds and peak heap, then one verdict per target (>= 50,000 IPs/s,
# heap never above 256 MB, unchanged re-run < 1 s). Exit status 1 when a target is missed. Not part of mvn test.
#
#   bench/ipsum.sh                    from anywhere; builds what it needs with Maven, then runs (~1 min)
#
# Environment:
#   MAVEN_OFFLINE=1     build with mvn -o (dependencies already in ~/.m2)
#   SKIP_BUILD=1        reuse target/classes, target/test-classes and target/bench.classpath as they are
#   BENCH_HEAP=256m     the heap limit (-Xmx) under test
#   BENCH_GC=...        the collector, default -XX:+UseG1GC (see below); e.g. BENCH_GC=-XX:+UseParallelGC
#   BENCH_WARMUPS=1     warm-up runs before the measured ones
#   BENCH_JAVA_OPTS     extra JVM options, e.g. a flight recording:
#                       BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/ipsum.jfr bench/ipsum.sh
#   CONNECTOR_LOG_LEVEL the application's log level (default info: a start and a summary line per run);
#                       Camel's own start/stop lines are turned down to warn
#
# GC: G1, named explicitly. It is what the container runs (the Dockerfile leaves the choice to the JVM, which
# picks G1 with >= 2 CPUs and >= 2 GB), so the figures are the production ones; naming it keeps a 1-CPU
# machine (where the JVM would pick Serial) measuring the same collector. Parallel GC measured ~12-15 % faster
# end to end here (2 CPUs; G1 pays for its concurrent work and for the ~0.6 MB bundle buffers, humongous
# objects in its 1 MB regions at a 256 MB heap): compare with BENCH_GC=-XX:+UseParallelGC.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/build.sh
source bench/build.sh

# shellcheck disable=SC2086 # BENCH_GC and BENCH_JAVA_OPTS are lists of options
exec java -Xmx"${BENCH_HEAP:-256m}" ${BENCH_GC:--XX:+UseG1GC} ${BENCH_JAVA_OPTS:-} \
    -Dbench.warmups="${BENCH_WARMUPS:-1}" \
    -Dorg.slf4j.simpleLogger.logFile=System.out \
    -Dorg.slf4j.simpleLogger.log.org.apache.camel=warn \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    io.ctifeeds.bench.IpsumBenchmark
