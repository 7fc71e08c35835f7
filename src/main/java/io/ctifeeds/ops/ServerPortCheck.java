package io.ctifeeds.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.ctifeeds.config.ConfigurationError;
import io.ctifeeds.config.ConnectorSettings;
import io.ctifeeds.config.PyctiValues;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Stops start-up with one line when a port to listen on is taken: the HTTP server's, and pycti's metrics port when
 * it is exposed. Vert.x would only log the failed bind and the connector would run on without health, metrics or
 * trigger, which a container then reports as unhealthy with no word of why; a failed bind at the context's start
 * would come with Camel's stack trace.
 */
public class ServerPortCheck extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        if (Boolean.parseBoolean(value(properties, OperationsSettings.SERVER_ENABLED, "true"))) {
            probe(value(properties, "camel.server.host", "0.0.0.0"),
                    value(properties, OperationsSettings.SERVER_PORT, "8080"), "CAMEL_SERVER_PORT",
                    OperationsSettings.SERVER_PORT, "CAMEL_SERVER_ENABLED=false for no HTTP server");
        }
        if (PyctiValues.bool(value(properties, ConnectorSettings.EXPOSE_METRICS, "false"), false)) {
            probe(value(properties, ConnectorSettings.METRICS_HOST, "0.0.0.0"),
                    value(properties, ConnectorSettings.METRICS_PORT, "9095"), "CONNECTOR_METRICS_PORT",
                    ConnectorSettings.METRICS_PORT, "CONNECTOR_EXPOSE_METRICS=false");
        }
    }

    private static String value(PropertiesComponent properties, String key, String defaultValue) {
        return properties.resolveProperty(key).orElse(defaultValue).trim();
    }

    private static void probe(String host, String port, String variable, String key, String orElse) {
        if (!port.matches("\\d{1,5}")) {
            // a malformed port is ConfigurationCheck's to report
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, Integer.parseInt(port)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationError("Invalid configuration: " + variable + " (" + key + ") = '" + port
                    + "': cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); choose a free port, "
                    + "or " + orElse);
        }
    }
}
