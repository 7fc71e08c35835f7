package io.ctifeeds.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every shipped default passes; each kind of bad value gives one line naming the environment variable. */
class ConfigurationCheckTest {

    /** application.properties as shipped, key to value. */
    static Map<String, String> defaults() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(in);
        }
        Map<String, String> map = new HashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return map;
    }

    private static List<String> check(Map<String, String> values) {
        return ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k)));
    }

    private static List<String> checkWith(String key, String value) throws IOException {
        Map<String, String> values = defaults();
        values.put(key, value);
        return check(values);
    }

    @Test
    void theShippedDefaultsAreValid() throws IOException {
        assertEquals(List.of(), check(defaults()));
    }

    @Test
    void everyCheckedKeyHasADefaultInApplicationProperties() throws IOException {
        Map<String, String> defaults = defaults();
        for (List<Setting> group : List.of(ConnectorSettings.all(), io.ctifeeds.ipsum.IpsumSettings.all(),
                io.ctifeeds.crowdsec.CrowdSecSettings.all())) {
            for (Setting s : group) {
                assertTrue(defaults.containsKey(s.key()), s.key() + " has no line in application.properties");
            }
        }
    }

    @Test
    void everySettingTheCheckKnowsHasADefault() throws IOException {
        Map<String, String> defaults = defaults();
        for (Setting s : ConfigurationCheck.settings()) {
            assertTrue(defaults.containsKey(s.key()), s.key() + " has no line in application.properties");
        }
    }

    @Test
    void badValuesNameTheirEnvironmentVariable() throws IOException {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("camel.server.enabled", "maybe"),
                Map.entry("camel.server.port", "http"),
                Map.entry("connector.health-check-timeout-ms", "0"),
                Map.entry("camel.main.routes-reload-enabled", "on"),
                Map.entry("connector.id", "1234"),
                Map.entry("connector.ipsum.tlp-level", "purple"),
                Map.entry("connector.ipsum.api-base-url", "not a url"),
                Map.entry("connector.ipsum.default-x-opencti-score", "101"),
                Map.entry("connector.ipsum.score-base", "-1"),
                Map.entry("connector.ipsum.score-mode", "random"),
                Map.entry("connector.ipsum.cron", "every day"),
                Map.entry("connector.duration-period", "6 hours"),
                Map.entry("connector.ipsum.indicator-lifetime", "PT0S"),
                Map.entry("connector.ipsum.delisting-policy", "delete"),
                Map.entry("connector.ipsum.min-size-ratio", "1.5"),
                Map.entry("connector.ipsum.enabled", "yes please"),
                Map.entry("connector.log-level", "verbose"),
                Map.entry("connector.bundle-size", "5"),
                Map.entry("connector.worker-wait", "30 seconds"),
                Map.entry("opencti.url", "ftp://opencti"),
                Map.entry("crowdsec.api-base-url", "cti.api.crowdsec.net"),
                Map.entry("crowdsec.import-enabled", "sometimes"),
                Map.entry("crowdsec.import-query", " "),
                Map.entry("crowdsec.import-query-since", "0"),
                Map.entry("crowdsec.import-page-size", "5000"),
                Map.entry("crowdsec.enrichment-threshold-per-import", "-3"),
                Map.entry("crowdsec.max-tlp", "TLP:PURPLE"),
                Map.entry("crowdsec.tlp-level", "black"),
                Map.entry("crowdsec.indicator-lifetime", "P20000D"),
                Map.entry("crowdsec.create-note", "maybe"),
                Map.entry("crowdsec.labels-reputation-malicious-color", "red"),
                Map.entry("crowdsec.import-duration-period", "daily"),
                Map.entry("crowdsec.import-cron", "at noon"));
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            List<String> problems = checkWith(bad.getKey(), bad.getValue());
            String variable = bad.getKey().toUpperCase().replace('.', '_').replace('-', '_');
            assertEquals(1, problems.size(), bad + " -> " + problems);
            assertTrue(problems.get(0).startsWith("Invalid configuration: " + variable + " (" + bad.getKey() + ")"),
                    problems.get(0));
        }
    }

    @Test
    void acceptedSpellings() throws IOException {
        assertEquals(List.of(), checkWith("connector.ipsum.tlp-level", "AMBER+STRICT"));
        assertEquals(List.of(), checkWith("connector.ipsum.tlp-level", "clear"));
        assertEquals(List.of(), checkWith("connector.ipsum.cron", "0 30 3 * * ?"));
        assertEquals(List.of(), checkWith("connector.log-level", "warning"));
        assertEquals(List.of(), checkWith("connector.id", "7f2a3c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b"));
    }

    @Test
    void openCtiNeedsAnIdAndAToken() throws IOException {
        List<String> problems = checkWith("opencti.url", "http://opencti:8080");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("CONNECTOR_ID")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("OPENCTI_TOKEN")));
    }

    @Test
    void aConfigurationWithNoSinkIsRefused() throws IOException {
        Map<String, String> noOpenCti = defaults();
        noOpenCti.put("connector.send-to-directory", "false");
        List<String> problems = check(noOpenCti);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("CONNECTOR_SEND_TO_DIRECTORY"), problems.get(0));

        Map<String, String> queueOff = defaults();
        queueOff.put("opencti.url", "http://opencti:8080");
        queueOff.put("opencti.token", "t");
        queueOff.put("connector.id", "7f2a3c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b");
        queueOff.put("connector.send-to-queue", "false");
        problems = check(queueOff);
        assertEquals(1, problems.size(), "auto means no directory when OpenCTI is set: " + problems);
        assertTrue(problems.get(0).contains("CONNECTOR_SEND_TO_QUEUE"), problems.get(0));

        queueOff.put("connector.send-to-directory", "true");
        assertEquals(List.of(), check(queueOff));
    }

    @Test
    void theCrowdSecImportNeedsAKeyWhenSwitchedOn() throws IOException {
        List<String> problems = checkWith("crowdsec.import-enabled", "true");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Missing configuration: CROWDSEC_KEY (crowdsec.key)"), problems.get(0));
        Map<String, String> withKey = defaults();
        withKey.put("crowdsec.import-enabled", "true");
        withKey.put("crowdsec.key", "\"abc\"");
        assertEquals(List.of(), check(withKey));
        // auto (the default) without a key: simply off
        assertEquals(List.of(), check(defaults()));
        assertFalse(SwitchPropertiesFunction.enabled("auto", ""));
        assertTrue(SwitchPropertiesFunction.enabled("auto", "k"));
        assertFalse(SwitchPropertiesFunction.enabled("false", "k"));
    }

    @Test
    void secretsAreNeverEchoed() {
        Setting secret = new Setting("connector.ipsum.api-key", true, v -> {
            throw new IllegalArgumentException("bad");
        });
        String line = secret.describe("hunter2", "bad");
        assertFalse(line.contains("hunter2"), line);
        assertTrue(line.contains("CONNECTOR_IPSUM_API_KEY"), line);
    }
}
