package io.ctifeeds.opencti;

/**
 * What registerConnector gave back and the connector keeps: its id, the user its messages are applied as,
 * where its bundles go on the platform's RabbitMQ, and the platform's version.
 */
public record Registration(String connectorId, String applicantId, BrokerSettings broker, String pushExchange,
                           String pushRouting, String pushQueue, PlatformVersion platform) {
}
