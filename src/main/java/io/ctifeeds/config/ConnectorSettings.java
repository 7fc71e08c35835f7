package io.ctifeeds.config;

import static io.ctifeeds.config.Checks.bool;
import static io.ctifeeds.config.Checks.httpUrl;
import static io.ctifeeds.config.Checks.intRange;
import static io.ctifeeds.config.Checks.oneOf;
import static io.ctifeeds.config.Checks.uuid;

import java.util.List;

/** The settings every feed shares: OpenCTI, the connector, the sinks. */
public final class ConnectorSettings {

    public static final String RUN_AND_TERMINATE = "connector.run-and-terminate";
    public static final String LOG_LEVEL = "connector.log-level";
    public static final String DURATION_PERIOD = "connector.duration-period";
    public static final String FETCH_MAX_BYTES = "connector.fetch-max-bytes";
    public static final String FETCH_MAX_GROWTH = "connector.fetch-max-growth";
    public static final String FETCH_MAX_LINE_LENGTH = "connector.fetch-max-line-length";
    public static final String FETCH_DEADLINE_MS = "connector.fetch-deadline-ms";
    public static final String MAX_RUN_TIME = "connector.max-run-time";
    public static final String EXPOSE_METRICS = "connector.expose-metrics";
    public static final String METRICS_PORT = "connector.metrics-port";
    public static final String METRICS_HOST = "connector.metrics-host";
    public static final String METRICS_NAMESPACE = "connector.metrics-namespace";
    public static final String METRICS_SUBSYSTEM = "connector.metrics-subsystem";

    private ConnectorSettings() {
    }

    /** pycti's OPENCTI_CUSTOM_HEADERS: "name1:value1;name2:value2". */
    private static void customHeaders(String value) {
        for (String pair : value.split(";")) {
            if (!pair.isBlank() && pair.indexOf(':') <= 0) {
                throw new IllegalArgumentException("expected name:value pairs separated by ';'");
            }
        }
    }

    /** CONNECTOR_RUN_AND_TERMINATE, or a duration period of 0 (pycti: run once and exit). */
    public static boolean runsOnce(java.util.function.Function<String, String> property) {
        return PyctiValues.bool(property.apply(RUN_AND_TERMINATE), false)
                || PyctiValues.runsOnce(property.apply(DURATION_PERIOD));
    }

    public static List<Setting> all() {
        return List.of(
                new Setting("opencti.url", false, httpUrl(true)),
                new Setting("opencti.token", true, Checks.any()),
                new Setting("connector.id", false, uuid(true)),
                new Setting(LOG_LEVEL, false, oneOf("debug", "info", "warn", "warning", "error")),
                new Setting(DURATION_PERIOD, false, Checks.periodOrRunOnce()),
                new Setting(RUN_AND_TERMINATE, false, bool()),
                new Setting("connector.send-to-directory", false, oneOf("true", "false", "auto")),
                new Setting("opencti.ssl-verify", false, bool()),
                new Setting("opencti.custom-headers", true, ConnectorSettings::customHeaders),
                new Setting("opencti.ping-period-ms", false, intRange(1_000, 3_600_000)),
                new Setting("connector.send-to-queue", false, bool()),
                new Setting("connector.update-existing-data", false, bool()),
                new Setting("connector.send-to-directory-retention", false, intRange(0, 36_500)),
                new Setting("connector.queue-protocol", false, oneOf("amqp", "api")),
                new Setting("connector.queue-threshold", false, Checks.nonNegativeNumber()),
                new Setting("connector.delivery-retries", false, intRange(0, 100)),
                new Setting("connector.delivery-retry-delay-ms", false, intRange(0, 600_000)),
                new Setting("connector.dead-letter-replay-period-ms", false, intRange(1_000, 86_400_000)),
                new Setting("connector.progress-period-ms", false, intRange(1_000, 86_400_000)),
                new Setting("mq.port", false, Checks.optional(intRange(1, 65_535))),
                new Setting("mq.use-ssl", false, Checks.optional(bool())),
                new Setting("mq.pass", true, Checks.any()),
                new Setting("connector.bundle-size", false, intRange(10, 100_000)),
                new Setting("connector.delivery-threads", false, intRange(1, 16)),
                new Setting("connector.fetch-retries", false, intRange(0, 20)),
                new Setting("connector.fetch-retry-delay-ms", false, intRange(0, 600_000)),
                new Setting(FETCH_MAX_BYTES, false, intRange(65_536, 64L << 30)),
                new Setting(FETCH_MAX_GROWTH, false, intRange(0, 1_000)),
                new Setting(FETCH_MAX_LINE_LENGTH, false, intRange(256, 16L << 20)),
                new Setting(FETCH_DEADLINE_MS, false, intRange(1_000, 86_400_000)),
                new Setting(MAX_RUN_TIME, false, Checks.positiveIsoDuration()),
                new Setting("connector.worker-wait", false, Checks.positiveIsoDuration()),
                new Setting(EXPOSE_METRICS, false, bool()),
                new Setting(METRICS_PORT, false, intRange(1, 65_535)),
                new Setting(METRICS_HOST, false, Checks.listenHost()),
                new Setting(METRICS_NAMESPACE, false, Checks.optionalMetricName()),
                new Setting(METRICS_SUBSYSTEM, false, Checks.optionalMetricName()));
    }
}
