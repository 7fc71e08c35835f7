package io.ctifeeds.observe;

import java.io.IOException;
import java.time.Duration;

import io.ctifeeds.opencti.AmqpPublisher;
import io.ctifeeds.opencti.BrokerSettings;
import io.ctifeeds.opencti.OpenCtiConnector;

/**
 * Readiness: the platform's RabbitMQ, as registration gave it (or MQ_*), accepts a connection with the
 * connector's credentials. Bound only when bundles are published over AMQP.
 */
public class BrokerHealthCheck extends ReachabilityCheck {

    private final OpenCtiConnector connector;
    private final AmqpPublisher publisher;

    public BrokerHealthCheck(OpenCtiConnector connector, AmqpPublisher publisher, Duration timeout,
                             Duration cacheFor) {
        super("opencti-broker", "the OpenCTI broker", timeout, cacheFor);
        this.connector = connector;
        this.publisher = publisher;
    }

    @Override
    protected String probe() throws IOException {
        BrokerSettings broker = connector.registeredBroker();
        if (broker == null) {
            throw new IOException("the broker is not known yet: it comes with the registration with OpenCTI, "
                    + "which the heartbeat retries");
        }
        publisher.probe(broker);
        return "RabbitMQ " + broker;
    }
}
