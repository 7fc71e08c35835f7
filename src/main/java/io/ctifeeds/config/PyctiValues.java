package io.ctifeeds.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings as pycti reads them, so an operator's existing connector environment works unchanged: the boolean
 * spellings {@code true/false/yes/no/1/0} in any case, and a duration period of {@code 0} or {@code PT0S} meaning
 * "run once and exit" (pycti then starts no schedule and no heartbeat).
 */
public final class PyctiValues {

    private PyctiValues() {
    }

    /** {@code true/yes/1} or {@code false/no/0}, any case, trimmed; empty for anything else. */
    public static Optional<Boolean> bool(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Optional.of(true);
            case "false", "no", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** {@link #bool}, or the default for an empty or unknown value. */
    public static boolean bool(String value, boolean otherwise) {
        return bool(value).orElse(otherwise);
    }

    /**
     * A value in the spelling our checks and Camel's converters expect: a pycti boolean spelling the setting's
     * check refuses ("YES", "0") becomes "true"/"false" when the check accepts that; anything else stays.
     */
    static String normalise(Setting setting, String value) {
        Optional<Boolean> b = bool(value);
        if (b.isEmpty() || passes(setting, value)) {
            return value;
        }
        String normalised = b.get().toString();
        return passes(setting, normalised) ? normalised : value;
    }

    /**
     * An ISO-8601 duration as pycti's period accepts it: besides Java's {@code PnDTnHnMnS}, weeks, months and years
     * ({@code P1W}, {@code P1M} = 30 days, {@code P1Y} = 365 days, PROTOCOL §8).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Duration duration(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            // a date part Java's Duration does not take: Period reads it, the time part stays Duration's
        }
        try {
            int t = v.indexOf('T');
            java.time.Period date = java.time.Period.parse(t < 0 ? v : v.substring(0, t));
            Duration time = t < 0 ? Duration.ZERO : Duration.parse("PT" + v.substring(t + 1));
            return Duration.ofDays(date.getYears() * 365L + date.getMonths() * 30L + date.getDays()).plus(time);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration: " + value);
        }
    }

    /** CONNECTOR_DURATION_PERIOD 0 or a zero ISO-8601 duration: pycti's run-once-and-exit. */
    public static boolean runsOnce(String durationPeriod) {
        String v = durationPeriod == null ? "" : durationPeriod.trim();
        if (v.equals("0")) {
            return true;
        }
        try {
            return duration(v).isZero();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean passes(Setting setting, String value) {
        try {
            setting.check().accept(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
