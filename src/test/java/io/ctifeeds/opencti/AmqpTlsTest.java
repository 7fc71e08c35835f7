package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestPki;
import io.ctifeeds.testing.TestPki.Issued;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's TLS (MQ_USE_SSL_*) through a TLS endpoint in front of this machine's RabbitMQ, with a private PKI
 * made at run time: the broker's certificate is verified (its CA, its name) unless
 * MQ_USE_SSL_REJECT_UNAUTHORIZED=false says otherwise, the client certificate is presented when the broker asks,
 * and every way the files can be wrong stops start-up with one line naming the setting.
 */
class AmqpTlsTest {

    private static final int RABBITMQ = 5672;
    private static final String PASSPHRASE = "pass-Qm27Hvd";

    private static Issued ca;
    private static Issued foreignCa;
    private static Issued clientCa;
    private static Issued server;
    private static Issued foreignServer;
    private static Issued misnamedServer;
    private static Issued client;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        ca = TestPki.ca("broker CA");
        foreignCa = TestPki.ca("another CA");
        clientCa = TestPki.ca("client CA");
        server = TestPki.server(ca, "127.0.0.1", "localhost");
        foreignServer = TestPki.server(foreignCa, "127.0.0.1", "localhost");
        misnamedServer = TestPki.server(ca, "rabbitmq.example");
        client = TestPki.client(clientCa, "cti-feeds");
    }

    private static BrokerSettings broker(String host, TcpProxy proxy) {
        return new BrokerSettings(host, proxy.port(), "/", "guest", "guest", true);
    }

    private static BrokerTls tls(Map<String, String> settings) {
        return BrokerTlsSettings.load(key -> Optional.ofNullable(settings.get(key)));
    }

    private static AmqpPublisher publisher(BrokerTls tls) {
        AmqpPublisher publisher = new AmqpPublisher();
        publisher.setTls(tls);
        publisher.setConnectTimeoutMillis(10_000);
        return publisher;
    }

    private static TcpProxy endpoint(Issued certificate, Issued itsCa, Issued... clientCas) throws Exception {
        return TcpProxy.tls(RABBITMQ, TestPki.serverContext(certificate, itsCa, clientCas), clientCas.length > 0)
                .up();
    }

    private Map<String, String> trusting(Issued authority) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put(BrokerTlsSettings.CA, TestPki.certificates(dir.resolve(UUID.randomUUID() + "-ca.pem"),
                authority.certificate()).toString());
        return settings;
    }

    private Map<String, String> withClient(Map<String, String> settings, String keyPem) throws IOException {
        settings.put(BrokerTlsSettings.CERT, TestPki.certificates(dir.resolve("client.pem"), client.certificate())
                .toString());
        settings.put(BrokerTlsSettings.KEY, Files.writeString(dir.resolve(UUID.randomUUID() + "-client.key"), keyPem)
                .toString());
        return settings;
    }

    /** A message published through the endpoint and confirmed reaches the queue behind it. */
    private static void publishesThrough(TcpProxy endpoint, AmqpPublisher publisher) throws Exception {
        String id = UUID.randomUUID().toString();
        try (PushQueue queue = new PushQueue(id)) {
            byte[] body = ("{\"through\":\"tls " + id + "\"}").getBytes(StandardCharsets.UTF_8);
            publisher.publish("tls-run", broker("127.0.0.1", endpoint), PushQueue.EXCHANGE, "push_routing_" + id,
                    List.of(body));
            GetResponse got = queue.channel().basicGet(queue.name(), true);
            assertNotNull(got, "the confirmed message is in the queue");
            assertArrayEquals(body, got.getBody());
        } finally {
            publisher.closeAll();
        }
    }

    private static String refused(AmqpPublisher publisher, BrokerSettings broker) {
        IOException e = assertThrows(IOException.class, () -> publisher.probe(broker));
        String line = e.getMessage();
        assertFalse(line.contains("\n") || line.contains("\r"), "one line: " + line);
        assertTrue(line.startsWith("cannot connect to the broker amqps://guest@"), line);
        return line;
    }

    @Test
    void theBrokersOwnCaIsTrustedAndAMessageGoesThroughEndToEnd() throws Exception {
        try (TcpProxy endpoint = endpoint(server, ca)) {
            AmqpPublisher publisher = publisher(tls(trusting(ca)));
            publishesThrough(endpoint, publisher);
            // the certificate names localhost too
            publisher.probe(broker("localhost", endpoint));
        }
    }

    @Test
    void aPrivateCaIsNotTrustedWithoutMqUseSslCa() throws Exception {
        try (TcpProxy endpoint = endpoint(server, ca)) {
            String line = refused(publisher(tls(Map.of())), broker("127.0.0.1", endpoint));
            assertTrue(line.contains("the broker's TLS certificate is not signed by a CA this JVM trusts"), line);
            assertTrue(line.contains("MQ_USE_SSL_CA"), line);
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        try (TcpProxy endpoint = endpoint(foreignServer, foreignCa)) {
            String line = refused(publisher(tls(trusting(ca))), broker("127.0.0.1", endpoint));
            assertTrue(line.contains("the broker's TLS certificate is not signed by the CA of MQ_USE_SSL_CA"), line);
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        try (TcpProxy endpoint = endpoint(misnamedServer, ca)) {
            AmqpPublisher publisher = publisher(tls(trusting(ca)));
            String line = refused(publisher, broker("127.0.0.1", endpoint));
            assertTrue(line.contains("the broker's TLS certificate does not name 127.0.0.1"), line);
            line = refused(publisher, broker("localhost", endpoint));
            assertTrue(line.contains("the broker's TLS certificate does not name localhost"), line);
        }
    }

    @Test
    void aBrokerAskingForAClientCertificateGetsOursAndRefusesNone() throws Exception {
        try (TcpProxy endpoint = endpoint(server, ca, clientCa)) {
            publishesThrough(endpoint, publisher(tls(withClient(trusting(ca), TestPki.pkcs8(client.keys()
                    .getPrivate())))));

            String line = refused(publisher(tls(trusting(ca))), broker("127.0.0.1", endpoint));
            // TLS 1.3 tells it by an alert, or by closing the connection when the client writes first
            assertTrue(line.contains("TLS client certificate (none is set: give it in MQ_USE_SSL_CERT and "
                    + "MQ_USE_SSL_KEY)"), line);
        }
    }

    @Test
    void clientKeysAreReadInTheFormsOperatorsHave() throws Exception {
        var key = client.keys().getPrivate();
        try (TcpProxy endpoint = endpoint(server, ca, clientCa)) {
            Map<String, String> forms = Map.of(
                    "PKCS#1", TestPki.pkcs1(key),
                    "encrypted PKCS#8", TestPki.encryptedPkcs8(key, PASSPHRASE),
                    "encrypted PKCS#1", TestPki.encryptedPkcs1(key, PASSPHRASE));
            assertTrue(forms.get("PKCS#1").startsWith("-----BEGIN RSA PRIVATE KEY"));
            assertTrue(forms.get("encrypted PKCS#8").startsWith("-----BEGIN ENCRYPTED PRIVATE KEY"));
            assertTrue(forms.get("encrypted PKCS#1").contains("Proc-Type: 4,ENCRYPTED"));
            for (Map.Entry<String, String> form : forms.entrySet()) {
                Map<String, String> settings = withClient(trusting(ca), form.getValue());
                settings.put(BrokerTlsSettings.PASSPHRASE, PASSPHRASE);
                publisher(tls(settings)).probe(broker("127.0.0.1", endpoint));
            }
            // an EC key in its SEC1 form ("BEGIN EC PRIVATE KEY")
            Issued ecClient = TestPki.ecClient(clientCa, "cti-feeds ec");
            Map<String, String> ec = trusting(ca);
            ec.put(BrokerTlsSettings.CERT, TestPki.certificates(dir.resolve("ec.pem"), ecClient.certificate()).toString());
            ec.put(BrokerTlsSettings.KEY, Files.writeString(dir.resolve("ec.key"), TestPki.sec1(
                    (java.security.interfaces.ECPrivateKey) ecClient.keys().getPrivate())).toString());
            assertTrue(Files.readString(Path.of(ec.get(BrokerTlsSettings.KEY))).startsWith("-----BEGIN EC PRIVATE KEY"));
            publisher(tls(ec)).probe(broker("127.0.0.1", endpoint));
            // pycti also takes the PEM text itself in place of a path
            Map<String, String> inline = new HashMap<>();
            inline.put(BrokerTlsSettings.CA, Files.readString(Path.of(trusting(ca).get(BrokerTlsSettings.CA))));
            inline.put(BrokerTlsSettings.CERT, Files.readString(TestPki.certificates(dir.resolve("c.pem"),
                    client.certificate())));
            inline.put(BrokerTlsSettings.KEY, TestPki.encryptedPkcs8(key, PASSPHRASE));
            inline.put(BrokerTlsSettings.PASSPHRASE, PASSPHRASE);
            publisher(tls(inline)).probe(broker("127.0.0.1", endpoint));
        }
    }

    @Test
    void rejectUnauthorizedFalseAcceptsAnyCertificateAndSaysSoAtStartUp() throws Exception {
        try (TcpProxy endpoint = endpoint(foreignServer, foreignCa)) {
            Map<String, String> settings = trusting(ca);
            settings.put(BrokerTlsSettings.REJECT_UNAUTHORIZED, "false");
            CapturedLog<BrokerTls> loaded = CapturedLog.of(() -> tls(settings));
            assertEquals(1, loaded.lines("WARN"), loaded.text());
            assertEquals(1, loaded.lines("MQ_USE_SSL_REJECT_UNAUTHORIZED=false: the broker's TLS certificate is not "
                    + "verified"), loaded.text());
            publishesThrough(endpoint, publisher(loaded.result()));
        }
        try (TcpProxy endpoint = endpoint(misnamedServer, ca)) {
            Map<String, String> settings = new HashMap<>(Map.of(BrokerTlsSettings.REJECT_UNAUTHORIZED, "false"));
            publisher(tls(settings)).probe(broker("127.0.0.1", endpoint));
        }
        // verifying is the default: no WARN
        assertEquals(0, CapturedLog.of(() -> tls(trusting(ca))).lines("WARN"));
    }

    /** The application as configured: registration says the broker speaks TLS, on the endpoint's port. */
    private TestApp app(Path data, FakeOpenCti platform, FeedServer feed, String connectorId,
                        Map<String, String> tls) throws Exception {
        Map<String, String> overrides = new HashMap<>(tls);
        overrides.put("connector.ipsum.api-base-url", feed.url("/levels/8.txt"));
        overrides.put("opencti.url", platform.url());
        overrides.put("opencti.token", platform.token());
        overrides.put("connector.id", connectorId);
        overrides.put("connector.delivery-retries", "0");
        overrides.put("connector.dead-letter-replay-period-ms", "3600000");
        return new TestApp(data, overrides).start();
    }

    @Test
    void aRunReachesABrokerThatRegistrationSaysUsesTlsOnlyThroughAVerifiedEndpoint() throws Exception {
        String connectorId = UUID.randomUUID().toString();
        try (TcpProxy endpoint = endpoint(server, ca); PushQueue queue = new PushQueue(connectorId);
             FeedServer feed = new FeedServer();
             FakeOpenCti platform = FakeOpenCti.builder().rabbitMq(new FakeOpenCti.RabbitMq("127.0.0.1", "/", true,
                     endpoint.port(), "guest", "guest")).start()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));

            try (TestApp app = app(dir.resolve("trusting"), platform, feed, connectorId, trusting(ca))) {
                FeedRun run = app.run("ipsum");
                assertFalse(run.failed(), run.failure());
                assertEquals(0, run.count(Counter.DEAD_LETTERED));
                assertTrue(run.count(Counter.MESSAGES) > 0);
                long delivered = 0;
                while (queue.channel().basicGet(queue.name(), true) != null) {
                    delivered++;
                }
                assertEquals(run.count(Counter.MESSAGES), delivered, "every message came through TLS");
            }

            // the same platform without MQ_USE_SSL_CA: the JVM does not trust the private CA, nothing is sent
            try (TestApp app = app(dir.resolve("jvm-trust"), platform, feed, connectorId, Map.of())) {
                FeedRun run = app.run("ipsum");
                assertEquals(0, run.count(Counter.MESSAGES));
                assertEquals(1, run.count(Counter.DEAD_LETTERED));
                try (var letters = Files.list(dir.resolve("jvm-trust").resolve("dead-letter"))) {
                    String letter = Files.readString(letters.findFirst().orElseThrow());
                    assertTrue(letter.contains("the broker's TLS certificate is not signed by a CA this JVM trusts"),
                            letter.substring(0, Math.min(letter.length(), 2000)));
                }
                assertEquals(null, queue.channel().basicGet(queue.name(), true));
            }
        }
    }

    /** The configuration check's problems for these settings. */
    private static List<String> problems(Map<String, String> settings) {
        return BrokerTlsSettings.check(key -> Optional.ofNullable(settings.get(key)));
    }

    private static void oneProblem(Map<String, String> settings, String variable, String... saying) {
        List<String> problems = problems(settings);
        assertEquals(1, problems.size(), problems.toString());
        String line = problems.get(0);
        assertTrue(line.startsWith("Invalid configuration: " + variable + " ("), line);
        assertFalse(line.contains("\n"), line);
        assertFalse(line.contains(PASSPHRASE), "the passphrase is never shown: " + line);
        assertFalse(line.contains("PRIVATE KEY"), "key material is never shown: " + line);
        for (String s : saying) {
            assertTrue(line.contains(s), s + " in: " + line);
        }
        // the same settings stop the publisher's set-up with the same line
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerTlsSettings.load(key -> Optional.ofNullable(settings.get(key))));
        assertEquals(line, e.getMessage());
    }

    @Test
    void badFilesStopStartUpWithOneLineNamingTheSetting() throws Exception {
        var key = client.keys().getPrivate();
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(trusting(ca)));

        Map<String, String> missing = trusting(ca);
        missing.put(BrokerTlsSettings.CA, dir.resolve("nowhere/ca.pem").toString());
        oneProblem(missing, "MQ_USE_SSL_CA", dir.resolve("nowhere/ca.pem").toString(), "no such file");

        Map<String, String> notPem = trusting(ca);
        notPem.put(BrokerTlsSettings.CA, Files.writeString(dir.resolve("ca.txt"), "hello").toString());
        oneProblem(notPem, "MQ_USE_SSL_CA", "no PEM certificate");

        Map<String, String> wrongPassphrase = withClient(trusting(ca), TestPki.encryptedPkcs8(key, PASSPHRASE));
        wrongPassphrase.put(BrokerTlsSettings.PASSPHRASE, "not-" + PASSPHRASE);
        oneProblem(wrongPassphrase, "MQ_USE_SSL_PASSPHRASE", "(secret, not shown)", "does not decrypt");

        Map<String, String> wrongPkcs1Passphrase = withClient(trusting(ca), TestPki.encryptedPkcs1(key, PASSPHRASE));
        wrongPkcs1Passphrase.put(BrokerTlsSettings.PASSPHRASE, "not-" + PASSPHRASE);
        oneProblem(wrongPkcs1Passphrase, "MQ_USE_SSL_PASSPHRASE", "does not decrypt");

        Map<String, String> noPassphrase = withClient(trusting(ca), TestPki.encryptedPkcs8(key, PASSPHRASE));
        oneProblem(noPassphrase, "MQ_USE_SSL_PASSPHRASE", "encrypted");

        Map<String, String> keyWithoutCertificate = trusting(ca);
        keyWithoutCertificate.put(BrokerTlsSettings.KEY, Files.writeString(dir.resolve("alone.key"),
                TestPki.pkcs8(key)).toString());
        oneProblem(keyWithoutCertificate, "MQ_USE_SSL_CERT", "MQ_USE_SSL_KEY");

        Map<String, String> certificateWithoutKey = trusting(ca);
        certificateWithoutKey.put(BrokerTlsSettings.CERT, TestPki.certificates(dir.resolve("alone.pem"),
                client.certificate()).toString());
        oneProblem(certificateWithoutKey, "MQ_USE_SSL_KEY", "MQ_USE_SSL_CERT");

        Map<String, String> anotherKey = withClient(trusting(ca), TestPki.pkcs8(server.keys().getPrivate()));
        oneProblem(anotherKey, "MQ_USE_SSL_KEY", "not the key of the certificate in MQ_USE_SSL_CERT");

        Map<String, String> inlineGarbage = withClient(trusting(ca), TestPki.pkcs8(key));
        inlineGarbage.put(BrokerTlsSettings.KEY, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        oneProblem(inlineGarbage, "MQ_USE_SSL_KEY", "(PEM text, not shown)");

        Map<String, String> badFlag = trusting(ca);
        badFlag.put(BrokerTlsSettings.REJECT_UNAUTHORIZED, "maybe");
        List<String> flag = io.ctifeeds.config.ConfigurationCheck.check(k -> Optional.ofNullable(badFlag.get(k)));
        assertTrue(flag.stream().anyMatch(p -> p.startsWith("Invalid configuration: MQ_USE_SSL_REJECT_UNAUTHORIZED")),
                flag.toString());
    }
}
