package io.ctifeeds.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private PKI made at run time, as an operator's TLS RabbitMQ has one: CAs, server and client certificates,
 * and their keys written as PEM in the forms operators have (PKCS#8 and PKCS#1, plain or encrypted).
 */
public final class TestPki {

    // a provider object, not installed: the JDK's have no PKCS7Padding, which OpenSSL's key encryption names
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and the certificate that binds it to a name. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private TestPki() {
    }

    public static Issued ca(String name) throws GeneralSecurityException, IOException {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = builder(subject, subject, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(b, keys.getPrivate()));
    }

    /** A server certificate naming these hosts: IP literals become IP addresses, the rest DNS names. */
    public static Issued server(Issued ca, String... hosts) throws GeneralSecurityException, IOException {
        GeneralName[] names = new GeneralName[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            names[i] = new GeneralName(hosts[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName,
                    hosts[i]);
        }
        KeyPair keys = rsa();
        X509v3CertificateBuilder b = builder(new X500Name("CN=broker"), issuer(ca), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        return new Issued(keys, sign(b, ca.keys().getPrivate()));
    }

    public static Issued client(Issued ca, String name) throws GeneralSecurityException, IOException {
        return client(ca, name, rsa());
    }

    /** A client certificate for an EC P-256 key. */
    public static Issued ecClient(Issued ca, String name) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        return client(ca, name, generator.generateKeyPair());
    }

    private static Issued client(Issued ca, String name, KeyPair keys) throws GeneralSecurityException, IOException {
        X509v3CertificateBuilder b = builder(new X500Name("CN=" + name), issuer(ca), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Issued(keys, sign(b, ca.keys().getPrivate()));
    }

    /** The TLS of a server presenting {@code server} (and its CA), asking clients for a certificate of these CAs. */
    public static SSLContext serverContext(Issued server, Issued ca, Issued... clientCas)
            throws GeneralSecurityException, IOException {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.keys().getPrivate(), password,
                new Certificate[] {server.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < clientCas.length; i++) {
            trusted.setCertificateEntry("client-ca-" + i, clientCas[i].certificate());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    public static Path certificates(Path file, X509Certificate... certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        return Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }

    /** "BEGIN PRIVATE KEY": PKCS#8, as openssl genpkey writes it. */
    public static String pkcs8(PrivateKey key) throws IOException {
        return pem(new JcaPKCS8Generator(key, null));
    }

    /** "BEGIN ENCRYPTED PRIVATE KEY": PKCS#8 under AES-256-CBC and PBKDF2, openssl's default. */
    public static String encryptedPkcs8(PrivateKey key, String passphrase) throws IOException {
        try {
            return pem(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC)
                    .setPassword(passphrase.toCharArray()).build()));
        } catch (OperatorCreationException e) {
            throw new IOException(e);
        }
    }

    /** "BEGIN EC PRIVATE KEY" (SEC1) naming its curve, as openssl ecparam -genkey writes it. */
    public static String sec1(java.security.interfaces.ECPrivateKey key) throws IOException {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(
                key.getEncoded());
        // the JDK's encoding leaves the curve to the outer structure; the PEM form carries it inside
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                key.getParams().getOrder().bitLength(), key.getS(),
                info.getPrivateKeyAlgorithm().getParameters());
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return text.toString();
    }

    /** "BEGIN RSA PRIVATE KEY": PKCS#1, as older tools and many RabbitMQ guides write it. */
    public static String pkcs1(PrivateKey key) throws IOException {
        return pem(new JcaMiscPEMGenerator(key));
    }

    /** PKCS#1 with "Proc-Type: 4,ENCRYPTED" and "DEK-Info: AES-256-CBC,...", as openssl rsa -aes256 writes it. */
    public static String encryptedPkcs1(PrivateKey key, String passphrase) throws IOException {
        return pem(new JcaMiscPEMGenerator(key, new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC)
                .build(passphrase.toCharArray())));
    }

    private static String pem(org.bouncycastle.util.io.pem.PemObjectGenerator generator) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(generator);
        }
        return text.toString();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X500Name issuer(Issued ca) {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
