package io.ctifeeds.opencti;

import io.ctifeeds.display.LogText;

/** The platform's RabbitMQ as registration returns it, possibly overridden by MQ_* settings. */
public record BrokerSettings(String host, int port, String vhost, String user, String password, boolean useSsl) {

    @Override
    public String toString() {
        // the password stays out of every log line that prints these settings
        // and what registration returned is the platform's text: one bounded line
        return LogText.oneLine((useSsl ? "amqps://" : "amqp://") + user + "@" + host + ":" + port + "/" + vhost, 300);
    }
}
