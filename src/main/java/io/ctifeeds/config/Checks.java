package io.ctifeeds.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.quartz.CronExpression;

/** The value checks settings are made of; each throws IllegalArgumentException saying what is expected. */
public final class Checks {

    private Checks() {
    }

    public static Consumer<String> bool() {
        return v -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
        };
    }

    public static Consumer<String> intRange(long min, long max) {
        return v -> {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
            }
        };
    }

    /** Empty (keep the platform's value) or the inner check. */
    public static Consumer<String> optional(Consumer<String> check) {
        return v -> {
            if (!v.isEmpty()) {
                check.accept(v);
            }
        };
    }

    public static Consumer<String> nonNegativeNumber() {
        return v -> {
            try {
                if (Double.parseDouble(v) >= 0) {
                    return;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("expected a number of 0 or more");
        };
    }

    public static Consumer<String> fraction() {
        return v -> {
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number from 0 to 1");
            }
            if (!(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException("expected a number from 0 to 1");
            }
        };
    }

    public static Consumer<String> oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return v -> {
            if (!set.contains(v.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
            }
        };
    }

    /** An http(s) URL with a host; {@code optional} lets it be empty. */
    public static Consumer<String> httpUrl(boolean optional) {
        return v -> {
            if (v.isEmpty() && optional) {
                return;
            }
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("expected an http:// or https:// URL");
                }
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("expected an http:// or https:// URL");
            }
        };
    }

    public static Consumer<String> uuid(boolean optional) {
        return v -> {
            if (v.isEmpty() && optional) {
                return;
            }
            try {
                if (!UUID.fromString(v).toString().equalsIgnoreCase(v)) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected a UUID such as 7f2a3c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b");
            }
        };
    }

    public static Consumer<String> positiveIsoDuration() {
        return v -> {
            try {
                Duration d = Duration.parse(v);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected a positive ISO-8601 duration such as PT6H or P30D");
            }
        };
    }

    public static Consumer<String> nonNegativeIsoDuration() {
        return v -> {
            try {
                if (Duration.parse(v).isNegative()) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected an ISO-8601 duration such as PT1M, or PT0S for none");
            }
        };
    }

    /**
     * connector.duration-period: a positive ISO-8601 duration as pycti takes it (weeks too), or 0 / PT0S for pycti's
     * run once and exit.
     */
    public static Consumer<String> periodOrRunOnce() {
        return v -> {
            if (!PyctiValues.runsOnce(v)) {
                try {
                    Duration d = PyctiValues.duration(v);
                    if (d.isNegative() || d.isZero()) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("expected a positive ISO-8601 duration such as PT6H, "
                            + "P1D or P1W, or 0 to run once and exit");
                }
            }
        };
    }

    public static Consumer<String> optionalCron() {
        return v -> {
            if (!v.isEmpty() && !CronExpression.isValidExpression(v)) {
                throw new IllegalArgumentException("expected empty or a Quartz cron expression such as "
                        + "'0 30 3 * * ?' (seconds minutes hours day-of-month month day-of-week)");
            }
        };
    }

    /** Empty, or a part of a Prometheus metric name (pycti's CONNECTOR_METRICS_NAMESPACE and _SUBSYSTEM). */
    public static Consumer<String> optionalMetricName() {
        return v -> {
            if (!v.isEmpty() && !v.matches("[a-zA-Z_][a-zA-Z0-9_]{0,63}")) {
                throw new IllegalArgumentException("expected empty or up to 64 letters, digits and '_', not starting "
                        + "with a digit (a part of a Prometheus metric name)");
            }
        };
    }

    /** A host name or an IP address to listen on. */
    public static Consumer<String> listenHost() {
        return v -> {
            if (!v.matches("[a-zA-Z0-9_.:\\-]{1,253}")) {
                throw new IllegalArgumentException("expected an address to listen on, such as 0.0.0.0 (every "
                        + "interface) or 127.0.0.1 (this host only)");
            }
        };
    }

    public static Consumer<String> any() {
        return v -> {
        };
    }
}
