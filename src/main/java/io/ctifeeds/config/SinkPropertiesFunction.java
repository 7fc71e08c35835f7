package io.ctifeeds.config;

/**
 * {@code {{sink:directory}}} and {@code {{sink:opencti}}}: whether bundles go to that sink, for the routes'
 * autoStartup and filters.
 * <ul>
 * <li>opencti: OPENCTI_URL is set and CONNECTOR_SEND_TO_QUEUE is true (pycti's send_to_queue);</li>
 * <li>directory: CONNECTOR_SEND_TO_DIRECTORY true, or auto (the default) and no OpenCTI, so that with no
 * platform the bundles still land somewhere and with one the disk does not fill up unasked.</li>
 * </ul>
 */
public class SinkPropertiesFunction extends ContextPropertiesFunction {

    @Override
    public String getName() {
        return "sink";
    }

    @Override
    public String apply(String sink) {
        return switch (sink.trim()) {
            case "opencti" -> Boolean.toString(opencti());
            case "directory" -> Boolean.toString(directory());
            // the heartbeat: registered and pinged whenever OPENCTI_URL is set, even with CONNECTOR_SEND_TO_QUEUE
            // false (pycti does so), so the connector stays visible in the platform while it writes to a folder
            case "platform" -> Boolean.toString(!property("opencti.url", "").isEmpty());
            default -> throw new IllegalArgumentException("unknown sink '" + sink + "': directory, opencti or platform");
        };
    }

    public boolean opencti() {
        return opencti(property("opencti.url", ""), property("connector.send-to-queue", "true"));
    }

    public boolean directory() {
        return directory(property("connector.send-to-directory", "auto"), property("opencti.url", ""));
    }

    /** The rule itself, also what the configuration check applies before Camel starts. */
    static boolean opencti(String openctiUrl, String sendToQueue) {
        return !openctiUrl.isEmpty() && PyctiValues.bool(sendToQueue, false);
    }

    static boolean directory(String sendToDirectory, String openctiUrl) {
        return sendToDirectory.equalsIgnoreCase("auto") ? openctiUrl.isEmpty() : PyctiValues.bool(sendToDirectory, false);
    }
}
