package io.ctifeeds.opencti;

/**
 * MQ_HOST, MQ_PORT, MQ_VHOST, MQ_USER, MQ_PASS, MQ_USE_SSL: what the connector uses instead of what
 * registration returned (a broker reached through another name, as in pycti). Empty means keep. How TLS is spoken
 * when it is used (MQ_USE_SSL_*) is {@link BrokerTlsSettings}'.
 */
public record BrokerOverrides(String host, String port, String vhost, String user, String password,
                              String useSsl) {

    public static final BrokerOverrides NONE = new BrokerOverrides("", "", "", "", "", "");

    public BrokerSettings apply(BrokerSettings from) {
        return new BrokerSettings(
                blank(host) ? from.host() : host.trim(),
                blank(port) ? from.port() : Integer.parseInt(port.trim()),
                blank(vhost) ? from.vhost() : vhost.trim(),
                blank(user) ? from.user() : user.trim(),
                blank(password) ? from.password() : password,
                blank(useSsl) ? from.useSsl() : io.ctifeeds.config.PyctiValues.bool(useSsl, false));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
