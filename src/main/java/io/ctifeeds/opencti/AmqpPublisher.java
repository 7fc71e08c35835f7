package io.ctifeeds.opencti;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ctifeeds.display.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes queue messages to the platform's RabbitMQ exactly as pycti does (persistent, content_encoding
 * utf-8, publisher confirms), but over one connection per run instead of one per bundle, and confirming a
 * whole batch at once, so that throughput is bounded by the broker rather than by round trips.
 */
public class AmqpPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpPublisher.class);
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder()
            .deliveryMode(2)
            .contentEncoding("utf-8")
            .build();

    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private long confirmTimeoutMillis = 60_000;
    private int connectTimeoutMillis = 10_000;
    private BrokerTls tls = BrokerTls.jvmDefaults();

    /** A run's connection and channel, with what the broker returned unroutable on it since the last batch. */
    private record Link(Connection connection, Channel channel, AtomicReference<String> returned) {
    }

    /**
     * Publishes every message and waits until the broker has confirmed them all.
     *
     * @param key the run the messages belong to: its connection is reused for its next batches
     * @throws IOException when the broker is unreachable, refuses a message or does not confirm in time;
     *                     the link is dropped so that a retry starts on a fresh connection
     */
    public void publish(String run, BrokerSettings broker, String exchange, String routingKey,
                        List<byte[]> messages) throws IOException {
        // a channel per run and per delivery thread: confirms are counted per channel, so two threads may
        // each have a batch in flight, which keeps the broker busy while the other waits for its confirms
        String key = run + "/" + Thread.currentThread().getName();
        Link link = link(key, broker);
        try {
            link.returned().set(null);
            for (byte[] message : messages) {
                // mandatory: a message no queue takes (the connector's queue deleted, a wrong routing key) comes
                // back instead of being confirmed and dropped, as pycti's are
                link.channel().basicPublish(exchange, routingKey, true, PERSISTENT, message);
            }
            link.channel().waitForConfirmsOrDie(confirmTimeoutMillis);
            // the broker sends a message's return before its confirm, on the same channel
            String returned = link.returned().get();
            if (returned != null) {
                throw new IOException("the broker routed no queue for exchange '" + exchange + "' and key '"
                        + routingKey + "' (" + returned + "): the connector's queue is missing; OpenCTI makes it "
                        + "when the connector registers");
            }
        } catch (IOException | RuntimeException e) {
            closeLink(key);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            closeLink(key);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for publisher confirms", e);
        } catch (TimeoutException e) {
            closeLink(key);
            throw new IOException("the broker did not confirm " + messages.size() + " messages within "
                    + confirmTimeoutMillis + " ms", e);
        }
    }

    private Link link(String key, BrokerSettings broker) throws IOException {
        Link link = links.get(key);
        if (link != null && link.channel().isOpen()) {
            return link;
        }
        closeLink(key);
        Connection connection = connect(broker, "cti-feeds " + key);
        try {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            AtomicReference<String> returned = new AtomicReference<>();
            channel.addReturnListener(r -> returned.compareAndSet(null,
                    r.getReplyCode() + " " + LogText.oneLine(r.getReplyText(), 300)));
            link = new Link(connection, channel, returned);
            links.put(key, link);
            return link;
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    /**
     * Opens a connection and closes it again: the broker is reachable and accepts these credentials.
     *
     * @throws IOException saying which broker (without its password) and why not
     */
    public void probe(BrokerSettings broker) throws IOException {
        Connection connection = connect(broker, "cti-feeds health check");
        connection.close(connectTimeoutMillis);
    }

    private Connection connect(BrokerSettings broker, String name) throws IOException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setVirtualHost(broker.vhost());
        factory.setUsername(broker.user());
        factory.setPassword(broker.password());
        factory.setConnectionTimeout(connectTimeoutMillis);
        factory.setRequestedHeartbeat(10);
        // a broken connection fails the batch, which Camel redelivers on a new one: no hidden recovery
        factory.setAutomaticRecoveryEnabled(false);
        CountDownLatch handshaken = broker.useSsl() ? tls.apply(factory) : new CountDownLatch(1);
        try {
            return factory.newConnection(name);
        } catch (TimeoutException | IOException e) {
            String why = tls.explain(e, broker.host(), handshaken).orElseGet(() -> e.getMessage() == null
                    ? e.getClass().getSimpleName() : LogText.oneLine(e.getMessage(), 300));
            throw new IOException("cannot connect to the broker " + broker + ": " + why, e);
        }
    }

    /** Ends a run's connections. */
    public void close(String run) {
        for (String key : List.copyOf(links.keySet())) {
            if (key.startsWith(run + "/")) {
                closeLink(key);
            }
        }
    }

    private void closeLink(String key) {
        Link link = links.remove(key);
        if (link == null) {
            return;
        }
        try {
            if (link.connection().isOpen()) {
                link.connection().close(5_000);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the broker connection of {}: {}", key, e.getMessage());
        }
    }

    public void closeAll() {
        List.copyOf(links.keySet()).forEach(this::closeLink);
    }

    public void setConfirmTimeoutMillis(long confirmTimeoutMillis) {
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    /** The TLS of every connection to a broker that uses it (MQ_USE_SSL_*); the JVM's trust store without. */
    public void setTls(BrokerTls tls) {
        this.tls = tls;
    }

    public void setConnectTimeoutMillis(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }
}
