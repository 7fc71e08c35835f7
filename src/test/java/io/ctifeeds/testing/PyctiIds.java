package io.ctifeeds.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Expected STIX ids that do not come from cti-feeds' own id code, so that a test comparing against them can fail
 * when that code is wrong. The constants are pycti's: either a vector of
 * {@code src/test/resources/opencti/pycti-id-vectors-*.json} (pycti's own {@code generate_id}) or printed by
 * {@code src/test/resources/opencti/gen-pycti-ids.py} (pycti's {@code generate_id} bodies restated, checked against
 * every vector before it prints anything); each says which.
 *
 * <p>A feed's IPs are too many to list, so their three ids are written here from the one-key dictionaries pycti and
 * python-stix2 hash: an IP literal needs no JSON escaping, so the canonical text is a fixed template, and uuid5 is
 * a few lines of SHA-1. {@code PyctiIdsTest} holds this to ids the script printed.
 */
public final class PyctiIds {

    /** gen-pycti-ids.py: Identity.generate_id("IPsum", "organization"); also PROTOCOL.md 5.4. */
    public static final String IPSUM = "identity--4178f14f-6c2a-52d0-8e67-f111c9ad7560";
    /** pycti vector: Identity.generate_id("CrowdSec", "organization"). */
    public static final String CROWDSEC = "identity--5f18c204-0a7f-5061-a146-d29561d9c8aa";
    /** pycti vector: Location.generate_id("France", "Country"). */
    public static final String FRANCE = "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d";
    /** gen-pycti-ids.py: Location.generate_id("United States", "Country"). */
    public static final String UNITED_STATES = "location--be4ee2db-ecdd-5acf-a5e1-ce03ef2ec91d";
    /** pycti vector: Vulnerability.generate_id("CVE-2024-6387"). */
    public static final String CVE_2024_6387 = "vulnerability--5a3bace9-ba56-506d-a47e-dea589af7dbc";
    /** pycti 6.8.10 vector: AttackPattern.generate_id("Brute Force", "T1110"). */
    public static final String T1110_OPENCTI_6 = "attack-pattern--272bb55a-8f0d-5d73-bb7c-dee9f8d2e586";
    /** pycti 7.260817.0 vector: AttackPattern.generate_id("Brute Force", "T1110"). */
    public static final String T1110_OPENCTI_7 = "attack-pattern--c5baca20-73a4-5bd9-b406-6ec05ed2de96";
    /** STIX 2.1 section 7.2.1.4: TLP:WHITE (OpenCTI's TLP:CLEAR). */
    public static final String TLP_WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";

    // python-stix2 and pycti both hash under this namespace
    private static final UUID NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");

    private PyctiIds() {
    }

    /** python-stix2's id of the ipv4-addr or ipv6-addr SCO of this address, as written. */
    public static String observable(String ip) {
        return kind(ip) + "--" + uuid5("{\"value\":\"" + plain(ip) + "\"}");
    }

    /** pycti Indicator.generate_id of the feed's pattern for this address. */
    public static String indicator(String ip) {
        return "indicator--" + uuid5("{\"pattern\":\"" + pattern(ip) + "\"}");
    }

    /** The STIX pattern the feeds write for this address. */
    public static String pattern(String ip) {
        return "[" + kind(ip) + ":value = '" + plain(ip) + "']";
    }

    /** pycti StixCoreRelationship.generate_id("based-on", indicator, observable), no times. */
    public static String basedOn(String ip) {
        return "relationship--" + uuid5("{\"relationship_type\":\"based-on\",\"source_ref\":\"" + indicator(ip)
                + "\",\"target_ref\":\"" + observable(ip) + "\"}");
    }

    private static String kind(String ip) {
        return ip.contains(":") ? "ipv6-addr" : "ipv4-addr";
    }

    // the templates above are canonical JSON only for text that needs no escaping
    private static String plain(String ip) {
        if (!ip.matches("[0-9A-Fa-f.:/]+")) {
            throw new IllegalArgumentException("not an IP literal: " + ip);
        }
        return ip;
    }

    /** RFC 4122 name-based uuid, version 5 (SHA-1), as Python's uuid.uuid5. */
    static UUID uuid5(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
