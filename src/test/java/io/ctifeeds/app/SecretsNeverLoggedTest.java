package io.ctifeeds.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestDatabase;
import io.ctifeeds.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as a container runs it, at debug level, with every secret setting given a value of its own:
 * one feed succeeds (CrowdSec), one is retried and fails (IPsum); not one of the values may appear anywhere in
 * the output, neither as given nor URL-encoded nor base64-encoded.
 */
class SecretsNeverLoggedTest {

    private static final String TOKEN = "tok3n-Zq9VvXa";
    private static final String MQ_PASS = "mqpass-Kd83Jwb";
    private static final String CROWDSEC_KEY = "cskey-Pz71Lmc";
    private static final String IPSUM_KEY = "ipsumkey-Rt55Qad";
    private static final String PG_PASSWORD = "pgpass-Wy20Nce";
    private static final String PG_URL_PASSWORD = "pgurlpass-Hm47Bdf";
    private static final String PROXY_PASSWORD = "proxypass-Gj62Ueg";
    private static final String HEADER_SECRET = "hdr-Vb38Tkh";
    private static final String QUERY_KEY = "qkey-Ft19Xsi";
    private static final String QUERY_SIGNATURE = "qsig-Lp04Mrj";
    private static final String HTTP_TOKEN = "httptoken-Sx83Vnk0123";
    private static final String MQ_KEY_PASSPHRASE = "mqkeypass-Jc51Rwa";

    @TempDir
    Path data;

    @Test
    void noSecretReachesTheOutputAtDebugLevel() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("proxyuser:" + PROXY_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        try (FeedServer feed = new FeedServer(); CtiApiServer cti = new CtiApiServer(CROWDSEC_KEY);
             FakeOpenCti platform = FakeOpenCti.builder().token(TOKEN).start(); TestDatabase db = new TestDatabase()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            // every attempt of the IPsum download fails with an error that may pass: retried, then the run fails
            feed.thenReply(new FeedServer.Reply.Status(503, "busy"), new FeedServer.Reply.Status(503, "busy"),
                    new FeedServer.Reply.Status(503, "busy"), new FeedServer.Reply.Status(503, "busy"));
            cti.serve(CtiApiServer.fixtureItems());

            Map<String, String> env = new HashMap<>(db.environment());
            env.putAll(Map.of(
                    "CONNECTOR_RUN_AND_TERMINATE", "true",
                    "CONNECTOR_LOG_LEVEL", "debug",
                    "CONNECTOR_DATA_PATH", data.toString(),
                    "CONNECTOR_ID", UUID.randomUUID().toString(),
                    "CONNECTOR_QUEUE_PROTOCOL", "api",
                    "OPENCTI_URL", platform.url(),
                    "OPENCTI_TOKEN", TOKEN,
                    "OPENCTI_CUSTOM_HEADERS", "Proxy-Authorization:Basic " + basic + ";X-Proxy-Secret:" + HEADER_SECRET,
                    "MQ_PASS", MQ_PASS));
            env.putAll(Map.of(
                    "CROWDSEC_KEY", CROWDSEC_KEY,
                    "CROWDSEC_API_BASE_URL", cti.url(),
                    "CROWDSEC_ENRICHMENT_THRESHOLD_PER_IMPORT", "4",
                    "CONNECTOR_IPSUM_API_KEY", IPSUM_KEY,
                    "CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt?key=" + QUERY_KEY + "&sig=" + QUERY_SIGNATURE),
                    "CONNECTOR_FETCH_RETRY_DELAY_MS", "10",
                    "CONNECTOR_POSTGRESQL_URL", TestDatabase.URL + "?password=" + PG_URL_PASSWORD,
                    "CONNECTOR_POSTGRESQL_PASSWORD", PG_PASSWORD));
            env.put("CONNECTOR_HTTP_TOKEN", HTTP_TOKEN);
            // the broker's client key given as PEM text (pycti takes it so), encrypted with the passphrase
            TestPki.Issued client = TestPki.client(TestPki.ca("broker CA"), "cti-feeds");
            String key = TestPki.encryptedPkcs8(client.keys().getPrivate(), MQ_KEY_PASSPHRASE);
            env.put("MQ_USE_SSL_CERT", TestPki.certificates(data.resolve("client.pem"), client.certificate())
                    .toString());
            env.put("MQ_USE_SSL_KEY", key);
            env.put("MQ_USE_SSL_PASSPHRASE", MQ_KEY_PASSPHRASE);
            // a line of the key's base64 body stands for all of it
            String keyLine = key.lines().filter(l -> !l.startsWith("-----")).skip(1).findFirst().orElseThrow();

            String output;
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), env,
                    data.resolve("app.log"))) {
                int status = app.waitFor(Duration.ofSeconds(120));
                output = app.log();
                assertEquals(1, status, "the IPsum run failed, the CrowdSec one did not:\n" + output);
            }

            assertTrue(output.contains("crowdsec-import run crowdsec-import-"), output);
            assertTrue(output.contains("fetched=4"), "the CrowdSec run went through:\n" + output);
            assertEquals(4, feed.requests().size(), "the IPsum download was retried:\n" + output);
            assertTrue(output.contains("ipsum: download failed: HTTP 503 Service Unavailable from "
                    + feed.url("/levels/8.txt") + "; retry 3 of 3"), "each retry has its line:\n" + output);
            assertEquals(TOKEN, platform.calls().get(0).header("Authorization").substring("Bearer ".length()));

            List<String> leaks = new ArrayList<>();
            for (String secret : List.of(TOKEN, MQ_PASS, CROWDSEC_KEY, IPSUM_KEY, PG_PASSWORD, PG_URL_PASSWORD,
                    PROXY_PASSWORD, basic, HEADER_SECRET, QUERY_KEY, QUERY_SIGNATURE, HTTP_TOKEN, MQ_KEY_PASSPHRASE,
                    keyLine)) {
                Set<String> forms = new LinkedHashSet<>(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))));
                for (String form : forms) {
                    output.lines().filter(l -> l.contains(form)).forEach(l -> leaks.add(secret + " in: " + l));
                }
            }
            assertEquals(List.of(), leaks, "secrets in the output:\n" + output);
        }
    }
}
