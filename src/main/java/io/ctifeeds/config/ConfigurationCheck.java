package io.ctifeeds.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Checks every setting before a route is loaded, so that bad configuration stops start-up with one line per
 * problem that names the environment variable, instead of a stack trace from deep inside a route.
 */
public class ConfigurationCheck extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Function<String, Optional<String>> lookup = key -> context.getPropertiesComponent().resolveProperty(key);
        // pycti's spellings (YES, 0, ...) become what Camel's converters and our beans read, for every route
        normalised(lookup).forEach(context.getPropertiesComponent()::addOverrideProperty);
        List<String> problems = check(lookup);
        if (!problems.isEmpty()) {
            throw new ConfigurationError(String.join(System.lineSeparator(), problems));
        }
    }

    /** The groups of the other parts (META-INF/services/io.ctifeeds.config.SettingGroup), in that file's order. */
    private static final List<SettingGroup> GROUPS = ServiceLoader.load(SettingGroup.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    /** Every checked setting, of every feed. */
    public static List<Setting> settings() {
        List<Setting> settings = new ArrayList<>(ConnectorSettings.all());
        GROUPS.forEach(group -> settings.addAll(group.settings()));
        return settings;
    }

    /** The settings whose value is a pycti spelling to normalise (see {@link PyctiValues#normalise}). */
    static java.util.Map<String, String> normalised(Function<String, Optional<String>> lookup) {
        java.util.Map<String, String> changed = new java.util.LinkedHashMap<>();
        for (Setting setting : settings()) {
            lookup.apply(setting.key()).map(String::trim).ifPresent(v -> {
                String n = PyctiValues.normalise(setting, v);
                if (!n.equals(v)) {
                    changed.put(setting.key(), n);
                }
            });
        }
        return changed;
    }

    /** @return one message per invalid setting, empty when all is well */
    public static List<String> check(Function<String, Optional<String>> raw) {
        java.util.Map<String, String> normalised = normalised(raw);
        Function<String, Optional<String>> lookup = key -> normalised.containsKey(key)
                ? Optional.of(normalised.get(key)) : raw.apply(key);
        List<String> problems = new ArrayList<>();
        for (Setting setting : settings()) {
            String value = lookup.apply(setting.key()).map(String::trim).orElse("");
            try {
                setting.check().accept(value);
            } catch (IllegalArgumentException e) {
                problems.add(setting.describe(value, e.getMessage()));
            }
        }
        String url = lookup.apply("opencti.url").map(String::trim).orElse("");
        boolean urlReported = problems.stream().anyMatch(p -> p.contains("(opencti.url)"));
        if (!url.isEmpty() && !urlReported) {
            requireWhenOpenCti(lookup, "connector.id", "the UUID this connector registers with", problems);
            requireWhenOpenCti(lookup, "opencti.token", "the API token of the connector's OpenCTI user", problems);
        }
        // e.g. the broker's TLS files are read now, not at the first connection, which may come hours later
        GROUPS.forEach(group -> problems.addAll(group.crossCheck(lookup)));
        String directory = lookup.apply("connector.send-to-directory").map(String::trim).orElse("auto");
        String toQueue = lookup.apply("connector.send-to-queue").map(String::trim).orElse("true");
        if (!SinkPropertiesFunction.directory(directory, url) && !SinkPropertiesFunction.opencti(url, toQueue)) {
            problems.add("Invalid configuration: CONNECTOR_SEND_TO_DIRECTORY (connector.send-to-directory) = '"
                    + directory + "' with " + (url.isEmpty() ? "OPENCTI_URL empty"
                    : "CONNECTOR_SEND_TO_QUEUE (connector.send-to-queue) = '" + toQueue + "'")
                    + ": bundles would have nowhere to go; enable the directory or OpenCTI");
        }
        return problems;
    }

    private static void requireWhenOpenCti(Function<String, Optional<String>> lookup, String key, String what,
                                           List<String> problems) {
        if (lookup.apply(key).map(String::trim).orElse("").isEmpty()) {
            Setting setting = new Setting(key, false, Checks.any());
            problems.add("Missing configuration: " + setting.environmentVariable() + " (" + key + "): "
                    + what + ", required when OPENCTI_URL is set");
        }
    }
}
