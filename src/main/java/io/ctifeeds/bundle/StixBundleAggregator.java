package io.ctifeeds.bundle;

import io.ctifeeds.stix.StixObject;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Gathers the objects of several records into one bundle of at most {@code maxObjects} objects, counting the
 * objects every bundle of the run repeats (author, marking); an object that several records bring (a shared
 * technique, country, label) is held once. Bodies in: {@code List<StixObject>} of one record.
 * Body out: {@link BundleParts}.
 * <p>
 * The size check happens before a record is added (preComplete), so a record's objects never straddle two
 * bundles and no bundle ever exceeds the limit.
 */
public class StixBundleAggregator implements AggregationStrategy {

    private int maxObjects = 1000;

    public void setMaxObjects(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    @Override
    public boolean canPreComplete() {
        return true;
    }

    @Override
    public boolean preComplete(Exchange oldExchange, Exchange newExchange) {
        if (oldExchange == null) {
            return false;
        }
        BundleParts held = oldExchange.getMessage().getBody(BundleParts.class);
        // the objects every bundle of the run repeats (author, marking) count against the limit too
        FeedRun run = oldExchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        int common = run == null ? 0 : run.commonObjects().size();
        return held.size() > 0 && common + held.size() + held.countNew(incoming(newExchange)) > maxObjects;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        FeedRun run = newExchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        // once a bundle of the run could neither be delivered nor dead-lettered (a full disk), the run fails and
        // its IPs stay pending: bundling the rest would only retry, and fail, once per bundle
        List<StixObject> incoming = incoming(newExchange);
        if (run != null && run.hasDeliveryFailed() && !incoming.isEmpty()) {
            run.increment(FeedRun.Counter.HELD_BACK);
            incoming = List.of();
        }
        if (oldExchange == null) {
            BundleParts parts = new BundleParts();
            parts.addAll(incoming);
            newExchange.getMessage().setBody(parts);
            return newExchange;
        }
        oldExchange.getMessage().getBody(BundleParts.class).addAll(incoming);
        return oldExchange;
    }

    /**
     * A bundle is complete and about to be handed to the delivery thread: from here until its delivery is
     * dealt with (delivered, dead-lettered or failed), its run waits for it before committing its snapshot.
     * This runs in the feed's thread, before the hand-over, so the run cannot miss a bundle still queued.
     */
    @Override
    public void onCompletion(Exchange exchange) {
        BundleParts parts = exchange.getMessage().getBody(BundleParts.class);
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        if (parts == null || parts.size() == 0 || run == null) {
            return;
        }
        int page = run.deliveryStarted();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                // an error no sink dealt with, such as a dead letter that could not be written: the bundle is
                // neither delivered nor durable, so the run must not record its IPs as sent
                run.deliveryFailed(FeedRuns.describe(failed.getException(), run));
                super.onFailure(failed);
            }

            @Override
            public void onDone(Exchange done) {
                run.deliveryEnded(page);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<StixObject> incoming(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof List<?> list ? (List<StixObject>) list : List.of();
    }
}
