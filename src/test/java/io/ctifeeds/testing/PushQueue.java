package io.ctifeeds.testing;

import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * A connector's push queue on this machine's RabbitMQ, declared as the platform declares it
 * (registerConnectorQueues: the durable direct exchange amqp.worker.exchange, the queue push_&lt;id&gt; bound with
 * push_routing_&lt;id&gt;, which the fake platform's registration hands out), and deleted on close.
 */
public final class PushQueue implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String EXCHANGE = "amqp.worker.exchange";

    private final Connection connection;
    private final Channel channel;
    private final String queue;

    public PushQueue(String connectorId) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("test");
        channel = connection.createChannel();
        queue = "push_" + connectorId;
        channel.exchangeDeclare(EXCHANGE, "direct", true);
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, EXCHANGE, "push_routing_" + connectorId);
    }

    /** The STIX bundle a queue message carries: pycti's envelope holds it base64-encoded under "content". */
    public static JsonNode bundle(byte[] message) throws IOException {
        return bundle(JSON.readTree(message));
    }

    public static JsonNode bundle(JsonNode message) throws IOException {
        return JSON.readTree(Base64.getDecoder().decode(message.get("content").asText()));
    }

    public Channel channel() {
        return channel;
    }

    public String name() {
        return queue;
    }

    @Override
    public void close() throws IOException, TimeoutException {
        channel.queueDelete(queue);
        connection.close();
    }
}
