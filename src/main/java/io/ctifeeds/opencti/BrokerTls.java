package io.ctifeeds.opencti;

import java.net.SocketException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.SocketConfigurator;
import io.ctifeeds.display.LogText;

/**
 * How the connector speaks TLS to the platform's broker when registration (or MQ_USE_SSL) says it uses TLS: one
 * context for every AMQP connection (publishing, readiness, dead-letter replay), made once at start-up from the
 * MQ_USE_SSL_* settings ({@link BrokerTlsSettings}).
 *
 * @param context           trust (the CA of MQ_USE_SSL_CA, or the JVM's) and the client certificate, if any
 * @param verify            the broker's certificate and name are checked; false only with
 *                          MQ_USE_SSL_REJECT_UNAUTHORIZED=false
 * @param ownCa             the trust is MQ_USE_SSL_CA's, not the JVM's
 * @param clientCertificate a client certificate is presented when the broker asks for one
 */
public record BrokerTls(SSLContext context, boolean verify, boolean ownCa, boolean clientCertificate) {

    /** The JVM's trust store, no client certificate: what no MQ_USE_SSL_* setting means. */
    public static BrokerTls jvmDefaults() {
        try {
            return new BrokerTls(SSLContext.getDefault(), true, false, false);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the factory's connections speak this TLS.
     *
     * @return whether the TLS handshake of the factory's connection has completed: a broker that closes a connection
     *         right after it is one that did not take the client certificate (TLS 1.3 tells only then)
     */
    public CountDownLatch apply(ConnectionFactory factory) {
        factory.useSslProtocol(context);
        if (verify) {
            // without it any certificate the trust store accepts would do, whoever's name it bears
            factory.enableHostnameVerification();
        }
        CountDownLatch handshaken = new CountDownLatch(1);
        SocketConfigurator configured = factory.getSocketConfigurator();
        factory.setSocketConfigurator(socket -> {
            configured.configure(socket);
            if (socket instanceof SSLSocket ssl) {
                ssl.addHandshakeCompletedListener(done -> handshaken.countDown());
            }
        });
        return handshaken;
    }

    /**
     * What a failed connection says about TLS, in the operator's terms (which setting to look at), or empty when
     * the failure is not TLS's.
     */
    public Optional<String> explain(Throwable failure, String host, CountDownLatch handshaken) {
        SSLException tls = null;
        SocketException cut = null;
        for (Throwable t = failure, seen = null; t != null && t != seen; seen = t, t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException && (message.startsWith("No subject alternative")
                    || message.startsWith("No name matching"))) {
                return Optional.of("the broker's TLS certificate does not name " + LogText.oneLine(host, 200)
                        + ": reach it by a name the certificate holds (MQ_HOST)");
            }
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return Optional.of((ownCa ? "the broker's TLS certificate is not signed by the CA of MQ_USE_SSL_CA"
                        : "the broker's TLS certificate is not signed by a CA this JVM trusts: give the broker's CA "
                        + "in MQ_USE_SSL_CA")
                        + " (MQ_USE_SSL_REJECT_UNAUTHORIZED=false would accept any certificate, an impostor's too)");
            }
            if (tls == null && t instanceof SSLException ssl) {
                tls = ssl;
            }
            if (cut == null && t instanceof SocketException socket) {
                cut = socket;
            }
        }
        if (tls == null && cut != null && !(cut instanceof java.net.ConnectException)
                && handshakeCompleted(handshaken)) {
            // the broker's alert is still unread in the socket when writing the AMQP header hits the closed connection
            return Optional.of("the broker closed the connection after the TLS handshake, as one does that refuses the "
                    + "connection's TLS client certificate (" + clientCertificateHint() + "): "
                    + LogText.oneLine(String.valueOf(cut.getMessage()), 200));
        }
        if (tls == null) {
            return Optional.empty();
        }
        String message = String.valueOf(tls.getMessage());
        // alerts the broker sends when it does not accept the client's certificate (or its absence)
        for (String alert : new String[] {"certificate_required", "bad_certificate", "unknown_ca",
                "certificate_unknown", "access_denied"}) {
            if (message.contains("alert: " + alert)) {
                return Optional.of("the broker refused the connection's TLS client certificate ("
                        + clientCertificateHint() + "): " + LogText.oneLine(message, 200));
            }
        }
        return Optional.of("the TLS handshake with the broker failed: " + LogText.oneLine(message, 300));
    }

    /**
     * The JDK tells a completed handshake to its listeners on a thread of their own, which may not have run yet when
     * the write right after the handshake has already failed: wait for it a little.
     */
    private static boolean handshakeCompleted(CountDownLatch handshaken) {
        try {
            return handshaken.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String clientCertificateHint() {
        return clientCertificate ? "the one of MQ_USE_SSL_CERT: is it signed by a CA the broker trusts?"
                : "none is set: give it in MQ_USE_SSL_CERT and MQ_USE_SSL_KEY";
    }
}
