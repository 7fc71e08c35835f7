package io.ctifeeds.feed;

import io.ctifeeds.state.SnapshotEntry;
import io.ctifeeds.state.DelistedIp;
import io.ctifeeds.state.DeltaKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.ctifeeds.feed.DelistingPolicy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.IpRecord;
import org.apache.camel.ExchangeProperty;

/**
 * Compares each record with the last delivered snapshot while building the next one, so that a run sends
 * only what changed, and lists the IPs that left the feed once the whole feed has been read.
 */
public class SnapshotDelta {

    /** Body in: records of the feed, in order. Body out: those that must be sent (each one classified). */
    public List<IpRecord> toSendAll(List<IpRecord> records,
                                              @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        List<IpRecord> out = new ArrayList<>();
        for (IpRecord record : records) {
            if (classify(record, run).mustSend()) {
                out.add(record);
            }
        }
        return out;
    }

    public DeltaKind classify(IpRecord record, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        String ip = record.ip().value();
        long now = run.started().getEpochSecond();
        SnapshotEntry before = run.previous().get(ip);
        DeltaKind kind;
        if (run.next().contains(ip)) {
            kind = DeltaKind.DUPLICATE;
        } else if (before == null) {
            kind = DeltaKind.NEW;
        } else if (before.score() != record.score()) {
            kind = DeltaKind.CHANGED;
        } else if (now - before.epochSecond() >= run.policy().refreshAfter().toSeconds()) {
            kind = DeltaKind.REFRESHED;
        } else {
            kind = DeltaKind.UNCHANGED;
        }
        switch (kind) {
            case DUPLICATE -> run.increment(FeedRun.Counter.DUPLICATES);
            case UNCHANGED -> {
                run.next().put(ip, before);
                run.increment(FeedRun.Counter.UNCHANGED);
            }
            case NEW, CHANGED, REFRESHED -> {
                run.next().put(ip, new SnapshotEntry(record.score(), now));
                run.increment(switch (kind) {
                    case NEW -> FeedRun.Counter.NEW;
                    case CHANGED -> FeedRun.Counter.CHANGED;
                    default -> FeedRun.Counter.REFRESHED;
                });
            }
        }
        return kind;
    }

    /**
     * The IPs of the last snapshot that this run did not see, produced lazily for a streaming split. Under
     * the KEEP policy they are counted but nothing is produced: they just drop out of the snapshot.
     */
    public Iterator<DelistedIp> delisted(@ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        Iterator<String> ips = run.previous().ips();
        boolean emit = run.policy().delisting() != DelistingPolicy.KEEP;
        return new Iterator<>() {
            private DelistedIp pending = advance();

            private DelistedIp advance() {
                while (ips.hasNext()) {
                    String ip = ips.next();
                    if (!run.next().contains(ip)) {
                        run.increment(FeedRun.Counter.DELISTED);
                        if (emit) {
                            return new DelistedIp(ip, run.previous().get(ip));
                        }
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public DelistedIp next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                DelistedIp current = pending;
                pending = advance();
                return current;
            }
        };
    }
}
