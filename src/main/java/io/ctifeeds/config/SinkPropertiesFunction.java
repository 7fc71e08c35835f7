package io.ctifeeds.config;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{sink:directory}}} and {@code {{sink:opencti}}}: whether bundles go to that sink, for the routes'
 * autoStartup and filters.
 * <ul>
 * <li>opencti: OPENCTI_URL is set and CONNECTOR_SEND_TO_QUEUE is true (pycti's send_to_queue);</li>
 * <li>directory: CONNECTOR_SEND_TO_DIRECTORY true, or auto (the default) and no OpenCTI, so that with no
 * platform the bundles still land somewhere and with one the disk does not fill up unasked.</li>
 * </ul>
 */
public class SinkPropertiesFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext camelContext;

    @Override
    public String getName() {
        return "sink";
    }

    @Override
    public String apply(String sink) {
        return switch (sink.trim()) {
            case "opencti" -> Boolean.toString(opencti());
            case "directory" -> Boolean.toString(directory());
            default -> throw new IllegalArgumentException("unknown sink '" + sink + "': directory or opencti");
        };
    }

    public boolean opencti() {
        return !property("opencti.url", "").isEmpty()
                && Boolean.parseBoolean(property("connector.send-to-queue", "true"));
    }

    public boolean directory() {
        String value = property("connector.send-to-directory", "auto");
        return value.equalsIgnoreCase("auto") ? property("opencti.url", "").isEmpty() : Boolean.parseBoolean(value);
    }

    private String property(String key, String defaultValue) {
        return camelContext.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(defaultValue);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
