package io.ctifeeds.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.RunHook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metrics of pycti's OpenCTIMetricHandler, with its names, help texts and types, so that the dashboards and alerts
 * made for OpenCTI's connectors work on this one ({@code CONNECTOR_EXPOSE_METRICS}); served on their own port by
 * {@link PyctiMetricsServer}, apart from the richer {@code ctifeeds_*} series of /observe/metrics:
 * <ul>
 * <li>{@code bundles_sent_total}: what pycti counts, a message published to the platform's queue (one per split
 * bundle) or a bundle pushed in api mode; without a platform, a bundle file written;</li>
 * <li>{@code records_sent_total}: the STIX objects of those bundles;</li>
 * <li>{@code runs_total}: feed runs begun (the connectors' {@code inc("run_count")} at the start of a run);</li>
 * <li>{@code ping_api_total}, {@code ping_api_errors_total}: heartbeats answered, and failed;</li>
 * <li>{@code errors_total}: runs that failed or could not start; {@code client_errors_total}: kept for the
 * dashboards, always 0 (no feed makes client calls pycti would count so);</li>
 * <li>{@code state{state="idle|running|stopped"}}: pycti's Enum, 1 for the current state: running while any feed
 * runs.</li>
 * </ul>
 * pycti's CONNECTOR_METRICS_NAMESPACE and _SUBSYSTEM prefix every name (and the state's label) as prometheus_client
 * does: {@code <namespace>_<subsystem>_<name>}, empty parts left out.
 */
public class PyctiMetrics implements RunHook {

    public static final List<String> STATES = List.of("idle", "running", "stopped");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter bundlesSent;
    private final Counter recordsSent;
    private final Counter runs;
    private final Counter pings;
    private final Counter pingErrors;
    private final Counter errors;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopped;

    public PyctiMetrics(String namespace, String subsystem) {
        String prefix = prefix(namespace) + prefix(subsystem);
        bundlesSent = counter(prefix + "bundles_sent", "Number of bundles sent");
        recordsSent = counter(prefix + "records_sent", "Number of records (objects per bundle) sent");
        runs = counter(prefix + "runs", "Number of run");
        pings = counter(prefix + "ping_api", "Number of pings to the API");
        pingErrors = counter(prefix + "ping_api_errors", "Number of errors when pinging the API");
        errors = counter(prefix + "errors", "Number of errors");
        counter(prefix + "client_errors", "Number of client errors");
        String state = prefix + "state";
        for (String s : STATES) {
            Gauge.builder(state, this, m -> s.equals(m.state()) ? 1 : 0).tag(state, s)
                    .description("State of connector").register(registry);
        }
    }

    private static String prefix(String part) {
        return part == null || part.isBlank() ? "" : part.trim() + "_";
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    /** Bundles that reached their sink, and the objects they carried. */
    public void bundlesSent(long bundles, long records) {
        bundlesSent.increment(bundles);
        recordsSent.increment(records);
    }

    public void pinged() {
        pings.increment();
    }

    public void pingFailed() {
        pingErrors.increment();
    }

    /** A run that could not start (its state unreadable): an error, as pycti counts a failed schedule tick. */
    public void error() {
        errors.increment();
    }

    @Override
    public void begun(FeedRun run) {
        runs.increment();
        running.incrementAndGet();
    }

    @Override
    public void ending(FeedRun run, String summary) {
        if (run.failed()) {
            errors.increment();
        }
        running.decrementAndGet();
    }

    /** The connector is shutting down. */
    public void stopped() {
        stopped = true;
    }

    String state() {
        return stopped ? "stopped" : running.get() > 0 ? "running" : "idle";
    }

    /** The Prometheus text exposition (format 0.0.4, as prometheus_client serves it). */
    public String scrape() {
        return registry.scrape();
    }
}
