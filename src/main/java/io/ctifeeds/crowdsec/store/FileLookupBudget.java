package io.ctifeeds.crowdsec.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.state.AtomicFile;

/**
 * The lookups CrowdSec enrichment may still make: a budget per UTC day and per month (0: none), and a stop until
 * the next day once CrowdSec says the key's quota is spent. Kept on disk so a restart does not hand out the
 * budget again; written on every lookup it grants, so it never overspends, even after a crash.
 */
public class FileLookupBudget implements LookupBudget {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What the file holds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(String day, long dayUsed, String month, long monthUsed, String quotaSpentUntil) {
        static final State EMPTY = new State(null, 0, null, 0, null);
    }

    private final Path file;
    private final long daily;
    private final long monthly;
    private State state;

    public FileLookupBudget(Path file, long daily, long monthly) {
        this.file = file;
        this.daily = daily;
        this.monthly = monthly;
    }

    /** Grants one lookup (and counts it), or says which budget is spent. */
    @Override
    public synchronized Refusal take(Instant now) {
        State s = current(now);
        if (s.quotaSpentUntil() != null && now.isBefore(Instant.parse(s.quotaSpentUntil()))) {
            return Refusal.QUOTA;
        }
        if (daily > 0 && s.dayUsed() >= daily) {
            return Refusal.DAILY;
        }
        if (monthly > 0 && s.monthUsed() >= monthly) {
            return Refusal.MONTHLY;
        }
        save(new State(s.day(), s.dayUsed() + 1, s.month(), s.monthUsed() + 1, null));
        return Refusal.NONE;
    }

    /** CrowdSec answered "Limit Exceeded": no lookup until the next UTC day. */
    @Override
    public synchronized void quotaSpent(Instant now) {
        State s = current(now);
        Instant tomorrow = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        save(new State(s.day(), s.dayUsed(), s.month(), s.monthUsed(), tomorrow.toString()));
    }

    /** Lookups left today and this month, whichever is fewer; -1 when neither budget is set. */
    @Override
    public synchronized long left(Instant now) {
        State s = current(now);
        long left = -1;
        if (daily > 0) {
            left = Math.max(0, daily - s.dayUsed());
        }
        if (monthly > 0) {
            long m = Math.max(0, monthly - s.monthUsed());
            left = left < 0 ? m : Math.min(left, m);
        }
        return left;
    }

    /** The state for now: a new day or month starts its budget from zero. */
    private State current(Instant now) {
        if (state == null) {
            state = load();
        }
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        String month = YearMonth.from(LocalDate.ofInstant(now, ZoneOffset.UTC)).toString();
        long dayUsed = day.equals(state.day()) ? state.dayUsed() : 0;
        long monthUsed = month.equals(state.month()) ? state.monthUsed() : 0;
        return new State(day, dayUsed, month, monthUsed, state.quotaSpentUntil());
    }

    private State load() {
        if (!Files.exists(file)) {
            return State.EMPTY;
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CrowdSec enrichment budget " + file + " ("
                    + e.getMessage() + "); move it away to start the budget afresh", e);
        }
    }

    private void save(State next) {
        try {
            AtomicFile.write(file, JSON.writeValueAsBytes(next));
            state = next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CrowdSec enrichment budget " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
