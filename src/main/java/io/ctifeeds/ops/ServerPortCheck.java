package io.ctifeeds.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.ctifeeds.config.ConfigurationError;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Stops start-up with one line when the HTTP port is taken. Vert.x would only log the failed bind and the
 * connector would run on without health, metrics or trigger, which a container then reports as unhealthy
 * with no word of why.
 */
public class ServerPortCheck extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        boolean enabled = Boolean.parseBoolean(properties.resolveProperty(OperationsSettings.SERVER_ENABLED)
                .orElse("true").trim());
        String port = properties.resolveProperty(OperationsSettings.SERVER_PORT).orElse("8080").trim();
        String host = properties.resolveProperty("camel.server.host").orElse("0.0.0.0").trim();
        if (!enabled || !port.matches("\\d{1,5}")) {
            // a malformed port is ConfigurationCheck's to report
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, Integer.parseInt(port)));
        } catch (IOException e) {
            throw new ConfigurationError("Invalid configuration: CAMEL_SERVER_PORT (camel.server.port) = '" + port
                    + "': cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); choose a free port, "
                    + "or CAMEL_SERVER_ENABLED=false for no HTTP server");
        }
    }
}
