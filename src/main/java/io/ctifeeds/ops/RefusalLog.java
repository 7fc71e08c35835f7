package io.ctifeeds.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Refused trigger requests, logged: one line per kind at most every ten seconds, the next one counting those
 * left out. Whoever floods the trigger floods neither the platform nor the log.
 */
final class RefusalLog {

    private static final long EVERY = TimeUnit.SECONDS.toNanos(10);

    private record Kind(AtomicLong last, AtomicInteger quiet) {
    }

    private final Logger log;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    RefusalLog(Logger log) {
        this.log = log;
    }

    void refused(String kind, String format, Object... arguments) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind(new AtomicLong(System.nanoTime() - EVERY),
                new AtomicInteger()));
        long now = System.nanoTime();
        long last = k.last().get();
        if (now - last < EVERY || !k.last().compareAndSet(last, now)) {
            k.quiet().incrementAndGet();
            return;
        }
        int quiet = k.quiet().getAndSet(0);
        log.warn(quiet == 0 ? format : format + " (and " + quiet + " more refused like it since the last line)",
                arguments);
    }
}
