package io.ctifeeds.opencti;

/**
 * What registerConnector gave back and the connector keeps: its id, the user its messages are applied as,
 * and where its bundles go on the platform's RabbitMQ.
 */
public record Registration(String connectorId, String applicantId, BrokerSettings broker, String pushExchange,
                           String pushRouting, String pushQueue) {
}
