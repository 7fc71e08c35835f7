package io.ctifeeds.opencti;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import io.ctifeeds.config.Checks;
import io.ctifeeds.config.PyctiValues;
import io.ctifeeds.config.Setting;
import io.ctifeeds.config.SettingGroup;
import io.ctifeeds.display.LogText;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pycti's TLS settings of the broker: MQ_USE_SSL_CA (the CA that signed the broker's certificate),
 * MQ_USE_SSL_CERT and MQ_USE_SSL_KEY (a client certificate and its key), MQ_USE_SSL_PASSPHRASE (the key's),
 * MQ_USE_SSL_REJECT_UNAUTHORIZED. As in pycti each of the first three is a file path or the PEM text itself.
 * Unlike pycti, whose default skips every check, the broker's certificate is verified unless
 * MQ_USE_SSL_REJECT_UNAUTHORIZED is false: a connector holds the broker's password and writes into the platform.
 */
public final class BrokerTlsSettings implements SettingGroup {

    public static final String CA = "mq.use-ssl-ca";
    public static final String CERT = "mq.use-ssl-cert";
    public static final String KEY = "mq.use-ssl-key";
    public static final String PASSPHRASE = "mq.use-ssl-passphrase";
    public static final String REJECT_UNAUTHORIZED = "mq.use-ssl-reject-unauthorized";

    /** A PEM file of certificates or a key is a few KB; a bigger one is a wrong file, not read into memory. */
    static final long MAX_PEM_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(BrokerTlsSettings.class);
    // not installed as a JVM provider: used only to decrypt keys under OpenSSL's names (AES/CBC/PKCS7Padding)
    private static final Provider BC = new BouncyCastleProvider();

    /** For {@link java.util.ServiceLoader}. */
    public BrokerTlsSettings() {
    }

    @Override
    public List<Setting> settings() {
        return all();
    }

    @Override
    public List<String> crossCheck(Function<String, Optional<String>> lookup) {
        return check(lookup);
    }

    public static List<Setting> all() {
        return List.of(
                new Setting(CA, false, Checks.any()),
                new Setting(CERT, false, Checks.any()),
                // a path, or the key's PEM text
                new Setting(KEY, true, Checks.any()),
                new Setting(PASSPHRASE, true, Checks.any()),
                new Setting(REJECT_UNAUTHORIZED, false, Checks.bool()));
    }

    /** @return the one line that stops start-up, or nothing: the files are read as the connections will read them */
    static List<String> check(Function<String, Optional<String>> lookup) {
        try {
            build(lookup);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * The broker's TLS as these settings make it, with a WARN when its certificate will not be verified.
     *
     * @throws IllegalArgumentException the configuration error line, naming the setting
     */
    public static BrokerTls load(Function<String, Optional<String>> lookup) {
        BrokerTls tls = build(lookup);
        if (!tls.verify()) {
            LOG.warn("MQ_USE_SSL_REJECT_UNAUTHORIZED=false: the broker's TLS certificate is not verified, so whoever "
                    + "answers at the broker's address gets its password and the bundles; set MQ_USE_SSL_CA to the "
                    + "broker's CA instead");
        }
        return tls;
    }

    private static BrokerTls build(Function<String, Optional<String>> lookup) {
        String ca = lookup.apply(CA).map(String::trim).orElse("");
        String cert = lookup.apply(CERT).map(String::trim).orElse("");
        String key = lookup.apply(KEY).map(String::trim).orElse("");
        // a passphrase is taken as given: spaces may be part of it
        String passphrase = lookup.apply(PASSPHRASE).orElse("");
        Optional<Boolean> reject = PyctiValues.bool(lookup.apply(REJECT_UNAUTHORIZED).orElse("true"));
        // an unreadable flag is the setting check's line; verifying is the safe reading meanwhile
        boolean verify = reject.orElse(true);

        List<X509Certificate> authorities = ca.isEmpty() ? List.of() : certificates(CA, ca, read(CA, ca));
        KeyManager[] keyManagers = null;
        if (!cert.isEmpty() || !key.isEmpty()) {
            if (cert.isEmpty()) {
                throw problem(CERT, cert, "empty while MQ_USE_SSL_KEY is set: give the client certificate of the key");
            }
            String certText = read(CERT, cert);
            List<X509Certificate> chain = certificates(CERT, cert, certText);
            // as Python's load_cert_chain: without a key file, the key is looked for beside the certificate
            PrivateKey privateKey = key.isEmpty()
                    ? privateKey(CERT, cert, certText, passphrase).orElseThrow(() -> problem(KEY, key,
                            "empty while MQ_USE_SSL_CERT is set, whose file holds no key: give the certificate's key"))
                    : privateKey(KEY, key, read(KEY, key), passphrase).orElseThrow(() -> problem(KEY, key,
                            "no PEM private key in it (BEGIN PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or an "
                            + "encrypted one)"));
            if (!belongTogether(privateKey, chain.get(0).getPublicKey())) {
                throw problem(key.isEmpty() ? CERT : KEY, key.isEmpty() ? cert : key,
                        "not the key of the certificate in MQ_USE_SSL_CERT");
            }
            keyManagers = keyManagers(privateKey, chain);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = !verify ? new TrustManager[] {new TrustingEveryone()}
                    : authorities.isEmpty() ? null : trustManagers(authorities);
            context.init(keyManagers, trust, null);
            return new BrokerTls(context, verify, !authorities.isEmpty(), keyManagers != null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS to the broker: " + e.getMessage(), e);
        }
    }

    /** The PEM text of a setting: itself when it is PEM text, else the file it names. */
    private static String read(String setting, String value) {
        if (isPem(value)) {
            return value;
        }
        try {
            Path path = Path.of(value);
            if (Files.isDirectory(path)) {
                throw problem(setting, value, "a directory, expected a PEM file");
            }
            if (Files.size(path) > MAX_PEM_BYTES) {
                throw problem(setting, value, "larger than " + MAX_PEM_BYTES / 1024 + " KiB, not a PEM file");
            }
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (InvalidPathException e) {
            throw problem(setting, value, "neither a file path nor PEM text (-----BEGIN ...)");
        } catch (NoSuchFileException e) {
            throw problem(setting, value, "no such file");
        } catch (AccessDeniedException e) {
            throw problem(setting, value, "the file cannot be read (permission denied)");
        } catch (IOException e) {
            throw problem(setting, value, "the file cannot be read: " + LogText.oneLine(String.valueOf(e.getMessage()),
                    200));
        }
    }

    private static List<X509Certificate> certificates(String setting, String value, String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw problem(setting, value, "not a readable PEM file (" + e.getClass().getSimpleName() + ")");
        }
        if (certificates.isEmpty()) {
            throw problem(setting, value, "no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        return certificates;
    }

    /** The first private key in the PEM text, decrypted with the passphrase if it is encrypted. */
    private static Optional<PrivateKey> privateKey(String setting, String value, String text, String passphrase) {
        Object found = null;
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            for (Object o = pem.readObject(); o != null && found == null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair || o instanceof PEMEncryptedKeyPair || o instanceof PrivateKeyInfo
                        || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    found = o;
                }
            }
        } catch (IOException | RuntimeException e) {
            // never the parser's message: it may quote the key's bytes
            throw problem(setting, value, "not a readable PEM key (" + e.getClass().getSimpleName() + ")");
        }
        if (found == null) {
            return Optional.empty();
        }
        boolean encrypted = found instanceof PEMEncryptedKeyPair || found instanceof PKCS8EncryptedPrivateKeyInfo;
        if (encrypted && passphrase.isEmpty()) {
            throw problem(PASSPHRASE, passphrase, "empty, but the key in " + env(setting) + " is encrypted");
        }
        PrivateKeyInfo info;
        try {
            if (found instanceof PEMEncryptedKeyPair pair) {
                info = pair.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC)
                        .build(passphrase.toCharArray())).getPrivateKeyInfo();
            } else if (found instanceof PKCS8EncryptedPrivateKeyInfo encryptedInfo) {
                info = encryptedInfo.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(BC).build(passphrase.toCharArray()));
            } else if (found instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else {
                info = (PrivateKeyInfo) found;
            }
            return Optional.of(jdkKey(info));
        } catch (Exception e) {
            // a wrong passphrase shows as bad padding, or as garbage that is no key
            if (encrypted) {
                throw problem(PASSPHRASE, passphrase, "does not decrypt the key in " + env(setting));
            }
            throw problem(setting, value, "not a usable private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The key as the JDK's own providers make it, which its TLS takes whatever the kind. */
    private static PrivateKey jdkKey(PrivateKeyInfo info) throws GeneralSecurityException, IOException {
        ASN1ObjectIdentifier kind = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = PKCSObjectIdentifiers.rsaEncryption.equals(kind) ? "RSA"
                : PKCSObjectIdentifiers.id_RSASSA_PSS.equals(kind) ? "RSASSA-PSS"
                : X9ObjectIdentifiers.id_ecPublicKey.equals(kind) ? "EC"
                : EdECObjectIdentifiers.id_Ed25519.equals(kind) ? "Ed25519"
                : EdECObjectIdentifiers.id_Ed448.equals(kind) ? "Ed448"
                : null;
        if (algorithm == null) {
            return new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info);
        }
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // a kind this check does not know: the broker's handshake will tell
            return true;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(privateKey);
            sign.update(challenge);
            Signature check = Signature.getInstance(algorithm);
            check.initVerify(publicKey);
            check.update(challenge);
            return check.verify(sign.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) {
        try {
            // an in-memory store only: its password protects nothing and leaves this method
            char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw problem(KEY, "", "the key and certificate cannot be used for TLS ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static TrustManager[] trustManagers(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw problem(CA, "", "its certificates cannot be trusted (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isPem(String value) {
        return value.startsWith("-----BEGIN");
    }

    private static String env(String key) {
        return Setting.environmentVariable(key);
    }

    /** The configuration error line: the setting's value is shown only when it is a path. */
    private static IllegalArgumentException problem(String setting, String value, String problem) {
        String shown = PASSPHRASE.equals(setting) ? "(secret, not shown)"
                : value.isEmpty() ? "''" : isPem(value) ? "(PEM text, not shown)" : "'" + LogText.oneLine(value, 300) + "'";
        return new IllegalArgumentException("Invalid configuration: " + env(setting) + " (" + setting + ") = " + shown
                + ": " + problem);
    }
}
