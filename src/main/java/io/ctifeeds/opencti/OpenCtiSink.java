package io.ctifeeds.opencti;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.deadletter.DeadLetterStore;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.metrics.PyctiMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a bundle to OpenCTI as pycti's send_stix2_bundle does: in AMQP mode split into one-object
 * bundles, expectations added to the run's work, then published with confirms; in API mode the whole
 * bundle through stixBundlePush. Throws on any failure so that the route redelivers it and, in the end,
 * dead-letters it.
 * <p>
 * Each run keeps one connection and remembers what reached the platform, so that what all bundles share goes once
 * per run ({@link #claimShared}), and labels are created with their colours before the first bundle that needs
 * them ({@link #ensureLabels}).
 */
public class OpenCtiSink {

    /** Set once a bundle's expectations are on its work, so a redelivery does not count them twice. */
    static final String EXPECTATIONS_ADDED = "ctiExpectationsAdded";
    /**
     * How long a bundle waits for another one delivering an object they share (PlatformRun.claimShared): past the
     * broker's connect and confirm time-outs, after which that delivery has failed anyway.
     */
    private static final Duration SHARED_PATIENCE = Duration.ofSeconds(90);
    private static final Logger LOG = LoggerFactory.getLogger(OpenCtiSink.class);

    private final OpenCtiConnector connector;
    private final AmqpPublisher publisher;
    private boolean apiProtocol;
    private boolean updateExistingData;
    private volatile boolean labelsRefused;
    private PyctiMetrics metrics = new PyctiMetrics("", "");

    public OpenCtiSink(OpenCtiConnector connector, AmqpPublisher publisher) {
        this.connector = connector;
        this.publisher = publisher;
    }

    /** Body: the bundle JSON. Property feedRun: the run it belongs to, absent for a replayed dead letter. */
    public void deliver(Exchange exchange) throws IOException, InvalidPayloadException {
        exchange.setProperty(DeadLetterStore.ATTEMPTS, exchange.getProperty(DeadLetterStore.ATTEMPTS, 0, Integer.class) + 1);
        byte[] bundle = exchange.getMessage().getMandatoryBody(byte[].class);
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        String workId = run == null ? null : PlatformRun.of(run).workId();
        Registration registration = connector.registration();
        JsonNode parsed = OpenCtiApi.JSON.readTree(bundle);
        if (!(parsed instanceof ObjectNode object) || !(object.get("objects") instanceof ArrayNode objects)) {
            throw new IllegalArgumentException("not a STIX bundle: a JSON object with an objects array is expected");
        }
        // pycti's records: the objects of the bundle handed to it, before what the platform has already is dropped
        int records = objects.size();
        List<PlatformRun.SharedClaim> claimed = claimShared(objects, run);
        try {
            ensureLabels(objects, run);
            send(exchange, object, objects, run, workId, registration, records);
        } catch (Throwable e) {
            // not delivered (a retry or the dead letter carries the whole bundle): the objects this bundle claimed
            // must go with a later bundle of the run, or the platform gets them only when the letter is replayed
            if (run != null) {
                claimed.forEach(PlatformRun.of(run)::releaseShared);
            }
            throw e;
        }
        if (run != null) {
            claimed.forEach(PlatformRun.of(run)::deliveredShared);
        }
    }

    private void send(Exchange exchange, ObjectNode object, ArrayNode objects, FeedRun run, String workId,
                      Registration registration, int records) throws IOException {
        if (apiProtocol) {
            if (!objects.isEmpty()) {
                connector.stixBundlePush(OpenCtiApi.JSON.writeValueAsString(object), workId);
                count(run, 1);
                metrics.bundlesSent(1, records);
                if (run != null && objects.size() > 1) {
                    // the worker splits it as pycti does and adds these expectations to the work
                    PlatformRun.of(run).expectFromWorkers(StixSplitter.split(object).expectations());
                }
            }
            return;
        }
        SplitResult split = StixSplitter.split(object);
        int n = split.expectations();
        if (n == 0) {
            return;
        }
        if (workId != null && !exchange.getProperty(EXPECTATIONS_ADDED, false, Boolean.class)) {
            connector.addExpectations(workId, n);
            exchange.setProperty(EXPECTATIONS_ADDED, true);
        }
        List<byte[]> messages = new ArrayList<>(n);
        int sequence = 0;
        for (SplitBundle one : split.bundles()) {
            messages.add(QueueMessage.body(registration.applicantId(), ++sequence, one.utf8(), workId,
                    updateExistingData, registration.platform().atLeast(PlatformVersion.NO_SPLIT_FIELD)));
        }
        publisher.publish(run == null ? "replay" : run.id(), registration.broker(), registration.pushExchange(),
                registration.pushRouting(), messages);
        count(run, n);
        metrics.bundlesSent(n, records);
    }

    /**
     * Within a run, an object many bundles share (author, marking, a technique, a country, a label) goes to the
     * platform once: the bundles stay self-contained for the folder and the dead-letter files, while the
     * platform's workers do not upsert the same object again and again. Each such object is claimed atomically
     * ({@link PlatformRun#claimShared}): with several delivery threads, the bundles being sent at once would
     * otherwise all find it not yet sent, and all send it; and one leaves it out only once it is delivered. A replay
     * (no run) sends everything.
     *
     * @return the claims of the objects this bundle carries, to settle once it is delivered or not
     */
    private static List<PlatformRun.SharedClaim> claimShared(ArrayNode objects, FeedRun run) throws IOException {
        if (run == null) {
            return List.of();
        }
        // in id order, so that two bundles never wait for each other (PlatformRun.claimShared)
        SortedSet<String> shared = new TreeSet<>();
        objects.forEach(o -> {
            String id = o.path("id").asText("");
            if (run.isShareable(id)) {
                shared.add(id);
            }
        });
        List<PlatformRun.SharedClaim> claimed = new ArrayList<>();
        Set<String> leftOut = new HashSet<>();
        try {
            for (String id : shared) {
                PlatformRun.of(run).claimShared(id, SHARED_PATIENCE).ifPresentOrElse(claimed::add,
                        () -> leftOut.add(id));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claimed.forEach(PlatformRun.of(run)::releaseShared);
            throw new InterruptedIOException("stopped while another bundle was delivering the run's shared "
                    + "objects");
        }
        for (Iterator<JsonNode> it = objects.iterator(); it.hasNext(); ) {
            if (leftOut.contains(it.next().path("id").asText(""))) {
                it.remove();
            }
        }
        return claimed;
    }

    /**
     * Label colours: a label object in the bundle gets its colour from the worker only if it is imported before
     * any object that carries the label's value (that creates the label with the platform's default colour,
     * which stays). Creating the labels first, once per label per run, makes the colour certain. Best effort:
     * a platform that refuses (the connector's user may not manage labels) still gets the bundle.
     */
    private void ensureLabels(ArrayNode objects, FeedRun run) {
        if (labelsRefused) {
            return;
        }
        for (JsonNode object : objects) {
            String value = object.path("value").asText("");
            if (!"label".equals(object.path("type").asText()) || value.isEmpty() || !object.hasNonNull("color")
                    || (run != null && !PlatformRun.of(run).claimLabel(value))) {
                continue;
            }
            try {
                connector.labelAdd(object.path("id").asText(), value, object.path("color").asText());
            } catch (OpenCtiException e) {
                if (run != null) {
                    PlatformRun.of(run).releaseLabel(value);
                }
                labelsRefused = e.isFatal();
                LOG.warn("label '{}' not created with its colour ({}){}", value, e.getMessage(), labelsRefused
                        ? "; labels get the platform's default colour: give the connector's user the "
                        + "'Manage labels' capability (SETTINGS_SETLABELS) and restart" : "; the worker creates it");
                return;
            }
        }
    }

    private static void count(FeedRun run, int messages) {
        if (run != null) {
            run.add(FeedRun.Counter.MESSAGES, messages);
        }
    }

    /** CONNECTOR_UPDATE_EXISTING_DATA: the queue messages' update flag, so the worker overwrites what exists. */
    public void setUpdateExistingData(boolean updateExistingData) {
        this.updateExistingData = updateExistingData;
    }

    /** Where pycti's bundles_sent_total (a queue message, or a pushed bundle) and records_sent_total are counted. */
    public void setMetrics(PyctiMetrics metrics) {
        this.metrics = metrics;
    }

    /** CONNECTOR_QUEUE_PROTOCOL: amqp (default) or api. */
    public void setQueueProtocol(String protocol) {
        this.apiProtocol = "api".equals(protocol.trim().toLowerCase(Locale.ROOT));
    }
}
