package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS verification is on by default: a platform with a self-signed certificate is refused, with a clear line,
 * unless OPENCTI_SSL_VERIFY=false, which then reaches it.
 */
class OpenCtiTlsTest {

    @TempDir
    Path dir;

    private HttpsServer selfSignedPlatform() throws Exception {
        Path keystore = dir.resolve("platform.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "platform", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=opencti.example", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/graphql", exchange -> {
            byte[] body = "{\"data\":{\"about\":{\"version\":\"6.9.17\"}}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static OpenCtiApi api(DefaultCamelContext camel, HttpsServer server, boolean verify) {
        OpenCtiApi api = new OpenCtiApi();
        api.setCamelContext(camel);
        api.setUrl("https://127.0.0.1:" + server.getAddress().getPort());
        api.setToken("t");
        api.setSslVerify(verify);
        return api;
    }

    @Test
    void aSelfSignedPlatformIsRefusedUnlessVerificationIsOff() throws Exception {
        HttpsServer server = selfSignedPlatform();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            OpenCtiApi.bindTrustAll(camel.getRegistry());
            camel.start();

            OpenCtiException refused = assertThrows(OpenCtiException.class,
                    () -> api(camel, server, true).execute(GraphQlOperations.ABOUT, null));
            assertTrue(refused.getMessage().contains("unreachable"), refused.getMessage());
            assertFalse(refused.isFatal());

            assertEquals("6.9.17", api(camel, server, false).execute(GraphQlOperations.ABOUT, null)
                    .path("about").path("version").asText());
        } finally {
            server.stop(0);
        }
    }
}
