#!/usr/bin/env bash
# Benchmark of the delivery to OpenCTI (io.ctifeeds.bench.OpenCtiBenchmark): a full IPsum run, about 361,000
# one-object messages, published to the local RabbitMQ (127.0.0.1:5672) with publisher confirms, against a fake
# platform; then RabbitMQ PerfTest with the same message count, size, persistence and confirms. Prints our
# messages/s, MB/s and peak heap, PerfTest's rate, and our rate as a fraction of it (target >= 0.7).
#
#   bench/opencti.sh            from anywhere; builds what it needs with Maven (MAVEN_OFFLINE=1 for mvn -o)
set -euo pipefail
cd "$(dirname "$0")/.."
offline=()
[[ "${MAVEN_OFFLINE:-0}" == 1 ]] && offline=(-o)
mvn -q -B "${offline[@]}" test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
mvn -q -B "${offline[@]}" -f bench/perftest/pom.xml dependency:build-classpath \
    -Dmdep.outputFile="$PWD/target/perftest.classpath"
exec java -Xmx"${BENCH_HEAP:-256m}" -Dsun.net.httpserver.nodelay=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dbench.perftest.classpath="$(cat target/perftest.classpath)" \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    io.ctifeeds.bench.OpenCtiBenchmark
