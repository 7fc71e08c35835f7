package io.ctifeeds.observe;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check that something outside the connector answers: DOWN with the probe's own one-line reason
 * (which names the platform or broker), or after the timeout.
 */
abstract class ReachabilityCheck extends AbstractHealthCheck {

    private final BoundedProbe<String> probe;

    ReachabilityCheck(String id, String what, Duration timeout, Duration cacheFor) {
        super("cti-feeds", id);
        this.probe = new BoundedProbe<>(what, timeout, cacheFor);
    }

    /** @return what answered, for the check's details; throws saying why it did not */
    protected abstract String probe() throws Exception;

    @Override
    public boolean isLiveness() {
        // an unreachable platform is not cured by restarting the connector
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            builder.detail("answered", probe.run(this::probe));
            builder.up();
        } catch (Exception e) {
            builder.message(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            builder.down();
        }
    }
}
