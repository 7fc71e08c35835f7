package io.ctifeeds.opencti;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.deadletter.DeadLetterStore;
import io.ctifeeds.feed.FeedRun;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * Delivers a bundle to OpenCTI as pycti's send_stix2_bundle does: in AMQP mode split into one-object
 * bundles, expectations added to the run's work, then published with confirms; in API mode the whole
 * bundle through stixBundlePush. Throws on any failure so that the route redelivers it and, in the end,
 * dead-letters it.
 */
public class OpenCtiSink {

    /** Set once a bundle's expectations are on its work, so a redelivery does not count them twice. */
    static final String EXPECTATIONS_ADDED = "ctiExpectationsAdded";

    private final OpenCtiConnector connector;
    private final AmqpPublisher publisher;
    private boolean apiProtocol;

    public OpenCtiSink(OpenCtiConnector connector, AmqpPublisher publisher) {
        this.connector = connector;
        this.publisher = publisher;
    }

    /** Body: the bundle JSON. Property feedRun: the run it belongs to, absent for a replayed dead letter. */
    public void deliver(Exchange exchange) throws IOException, InvalidPayloadException {
        exchange.setProperty(DeadLetterStore.ATTEMPTS, exchange.getProperty(DeadLetterStore.ATTEMPTS, 0, Integer.class) + 1);
        byte[] bundle = exchange.getMessage().getMandatoryBody(byte[].class);
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        String workId = run == null ? null : run.workId();
        Registration registration = connector.registration();
        if (apiProtocol) {
            connector.stixBundlePush(new String(bundle, StandardCharsets.UTF_8), workId);
            count(run, 1);
            return;
        }
        JsonNode parsed = OpenCtiApi.JSON.readTree(bundle);
        if (!(parsed instanceof ObjectNode object)) {
            throw new IllegalArgumentException("not a STIX bundle: a JSON object is expected");
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
            messages.add(QueueMessage.body(registration.applicantId(), ++sequence, one, workId));
        }
        publisher.publish(run == null ? "replay" : run.id(), registration.broker(), registration.pushExchange(),
                registration.pushRouting(), messages);
        count(run, n);
    }

    private static void count(FeedRun run, int messages) {
        if (run != null) {
            run.add(FeedRun.Counter.MESSAGES, messages);
        }
    }

    /** CONNECTOR_QUEUE_PROTOCOL: amqp (default) or api. */
    public void setQueueProtocol(String protocol) {
        this.apiProtocol = "api".equals(protocol.trim().toLowerCase(Locale.ROOT));
    }
}
