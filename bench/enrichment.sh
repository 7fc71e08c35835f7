#!/usr/bin/env bash
# Benchmark of the CrowdSec enrichment's throttle (io.ctifeeds.bench.EnrichmentBenchmark): an IPsum feed of 2,000
# IPs, each looked up on a local CTI API that answers 429 above 50 requests in any second, with the enrichment at
# 50 lookups/s. Prints the achieved rate against the configured one (target: within 5 %) and the 429s (target:
# none). Exit status 1 when a target is missed. Not part of mvn test. About a minute.
#
#   bench/enrichment.sh         from anywhere; builds what it needs with Maven (MAVEN_OFFLINE=1 for mvn -o)
#
# Environment: BENCH_IPS (2000), BENCH_RATE (50), BENCH_HEAP (256m), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/build.sh
source bench/build.sh
exec java -Xmx"${BENCH_HEAP:-256m}" -Dsun.net.httpserver.nodelay=true \
    -Dbench.ips="${BENCH_IPS:-2000}" -Dbench.rate="${BENCH_RATE:-50}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    io.ctifeeds.bench.EnrichmentBenchmark
