package io.ctifeeds.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ctifeeds.config.ConfigurationCheck;
import io.ctifeeds.config.Setting;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The root docker-compose.yml, the connector as a service to paste into an OpenCTI stack: a compose document whose
 * environment names only settings the connector knows (the keys of application.properties and the settings of the
 * start-up configuration check, named as the application maps them), with values that check accepts once the
 * ChangeMe placeholders are filled in.
 */
class ComposeFileTest {

    private static final String SERVICE = "connector-cti-feeds";
    private static final String PLACEHOLDER = "ChangeMe";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertInstanceOf(Map.class, node, what + " is not a mapping");
        return (Map<String, Object>) node;
    }

    private static Map<String, Object> compose() throws IOException {
        Object document = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        return map(document, "docker-compose.yml");
    }

    private static Map<String, Object> service() throws IOException {
        Map<String, Object> services = map(compose().get("services"), "services");
        assertTrue(services.containsKey(SERVICE), "no service " + SERVICE + " in " + services.keySet());
        return map(services.get(SERVICE), SERVICE);
    }

    /** Compose takes either a list of NAME=value or a mapping. */
    private static Map<String, String> environment() throws IOException {
        Object node = service().get("environment");
        Map<String, String> environment = new LinkedHashMap<>();
        if (node instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        } else {
            map(node, "environment").forEach((k, v) -> environment.put(k, v == null ? "" : String.valueOf(v)));
        }
        return environment;
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** Environment variable -> key, for every key of application.properties and every checked setting. */
    private static Map<String, String> knownSettings() throws IOException {
        Map<String, String> known = new TreeMap<>();
        for (String key : applicationProperties().stringPropertyNames()) {
            known.put(new Setting(key, false, v -> { }).environmentVariable(), key);
        }
        for (Setting s : ConfigurationCheck.settings()) {
            known.put(s.environmentVariable(), s.key());
        }
        return known;
    }

    /** The configuration check over application.properties with the compose environment on top. */
    private static List<String> check(Map<String, String> environment) throws IOException {
        Map<String, String> values = new HashMap<>();
        Properties defaults = applicationProperties();
        defaults.stringPropertyNames().forEach(k -> values.put(k, defaults.getProperty(k)));
        Map<String, String> known = knownSettings();
        environment.forEach((name, value) -> values.put(known.get(name), value));
        return ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void everyEnvironmentNameIsASettingTheConnectorKnows() throws IOException {
        Map<String, String> known = knownSettings();
        List<String> unknown = new ArrayList<>(environment().keySet());
        unknown.removeIf(known::containsKey);
        assertEquals(List.of(), unknown, "docker-compose.yml sets variables no setting of application.properties "
                + "or of the configuration check answers to");
        assertTrue(environment().keySet().containsAll(List.of("OPENCTI_URL", "OPENCTI_TOKEN", "CONNECTOR_ID")),
                "the service must set the three variables of the quick start: " + environment().keySet());
    }

    @Test
    void itsValuesPassTheConfigurationCheckOnceTheChangeMeValuesAreFilledIn() throws IOException {
        Map<String, String> filled = new LinkedHashMap<>(environment());
        filled.replaceAll((name, value) -> PLACEHOLDER.equals(value) ? UUID.randomUUID().toString() : value);
        assertEquals(List.of(), check(filled));
    }

    @Test
    void asShippedItIsRefusedWithOneLineNamingConnectorId() throws IOException {
        List<String> problems = check(environment());
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("Invalid configuration: CONNECTOR_ID (connector.id) = 'ChangeMe'"),
                problems.get(0));
    }

    @Test
    void itKeepsTheImagesDataVolumeOnANamedVolumeItDeclares() throws IOException {
        Matcher volume = Pattern.compile("(?m)^VOLUME\\s*\\[\\s*\"([^\"]+)\"").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(volume.find(), "the Dockerfile declares no VOLUME");
        String data = volume.group(1);
        Map<String, Object> declared = map(compose().get("volumes"), "volumes");
        List<String> namedMountsOfData = new ArrayList<>();
        for (Object mount : (List<?>) service().get("volumes")) {
            String[] parts = String.valueOf(mount).split(":");
            boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/");
            if (named) {
                assertTrue(declared.containsKey(parts[0]), "volume " + parts[0] + " is not declared at the top level");
            }
            if (named && parts.length > 1 && parts[1].equals(data)) {
                namedMountsOfData.add(parts[0]);
            }
        }
        assertEquals(1, namedMountsOfData.size(), data + " must be on one named volume: " + service().get("volumes"));
    }

    @Test
    void itGivesARunInProgressItsShutdownTimeoutToFinish() throws IOException {
        String grace = String.valueOf(service().get("stop_grace_period"));
        Matcher m = Pattern.compile("(\\d+)s").matcher(grace);
        assertTrue(m.matches(), "stop_grace_period in seconds expected: " + grace);
        long timeout = Long.parseLong(applicationProperties().getProperty("camel.main.shutdown-timeout").trim());
        assertTrue(Long.parseLong(m.group(1)) > timeout,
                "stop_grace_period " + grace + " must exceed camel.main.shutdown-timeout (" + timeout + " s)");
    }
}
