package io.ctifeeds.stix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Deterministic STIX ids, identical to pycti's {@code generate_id} functions and python-stix2's SCO
 * ids (PROTOCOL §5). OpenCTI deduplicates on these ids, so an id that differs from pycti's by one
 * bit creates a duplicate entity on every run: every generator copies pycti's normalisation
 * (lower/strip) and its rules for optional arguments literally, including the odd ones.
 *
 * <p>Dates are hashed as the exact strings given. Pass the same string you put in the STIX object
 * (pycti would hash {@code datetime.isoformat()}, which has no 'Z'; we never hand it datetimes).
 */
public final class StixIds {

    /** stix2's SCO namespace; pycti reuses it for SDOs, SROs and meta objects. */
    public static final UUID NAMESPACE = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");

    /** SCO types whose only id-contributing property is {@code value}. */
    private static final Set<String> VALUE_KEYED_SCOS =
            Set.of("ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "mac-addr");

    /*
     * Jackson writes NaN/Infinity as strings by default, which would silently hash "NaN";
     * disabling that makes them bare tokens, which the JCS parser rejects, as Python's
     * canonicaliser does.
     */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

    // MessageDigest.getInstance goes through the provider lookup on every call; ids are made
    // ~400,000 times per run, so each thread keeps one digest.
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE must provide SHA-1", e);
        }
    });

    private StixIds() {
    }

    /**
     * RFC 4122 version-5 (SHA-1) name-based UUID, as Python's {@code uuid.uuid5}. The JDK only has
     * v3 ({@link UUID#nameUUIDFromBytes}, MD5).
     *
     * @throws IllegalArgumentException if {@code name} has an unpaired surrogate: it has no UTF-8
     *         form, and Python raises {@code UnicodeEncodeError} there, so no pycti id exists
     *         (Java's encoder would silently hash '?' instead)
     */
    public static UUID uuid5(UUID namespace, String name) {
        requireWellFormedUtf16(name);
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update(toBytes(namespace));
        byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
        return new UUID(readLong(h, 0), readLong(h, 8));
    }

    /**
     * Canonical JSON (RFC 8785) of {@code data}, the way stix2's {@code Canonicalize} produces it:
     * Jackson serialises, the JCS library canonicalises. This is the reference implementation;
     * {@link #generate} uses a direct writer for string-valued dicts and falls back to this.
     *
     * @throws IllegalArgumentException for values JSON cannot represent (NaN, infinities)
     */
    public static String canonicalJson(Map<String, ?> data) {
        try {
            return new JsonCanonicalizer(MAPPER.writeValueAsString(data)).getEncodedString();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise id data " + data, e);
        } catch (IOException e) {
            // JsonCanonicalizer signals unrepresentable input (e.g. NaN) as IOException
            throw new IllegalArgumentException("cannot canonicalise id data " + data, e);
        }
    }

    /** {@code stixType + "--" + uuid5(NAMESPACE, canonical_json(data))}. */
    public static String generate(String stixType, Map<String, ?> data) {
        String canonical = StringDictCanonicalizer.canonicalize(data);
        if (canonical == null) {
            canonical = canonicalJson(data);
        }
        return stixType + "--" + uuid5(NAMESPACE, canonical);
    }

    /** pycti {@code Identity.generate_id}: name lower-cased then stripped, class lower-cased. */
    public static String identity(String name, String identityClass) {
        return generate("identity", Map.of(
                "name", PythonText.strip(PythonText.lower(req(name, "name"))),
                "identity_class", PythonText.lower(req(identityClass, "identityClass"))));
    }

    /** pycti {@code Indicator.generate_id}: the pattern is stripped, its case kept. */
    public static String indicator(String pattern) {
        return generate("indicator", Map.of("pattern", PythonText.strip(req(pattern, "pattern"))));
    }

    /** pycti {@code StixCoreRelationship.generate_id} without dates, which most connectors use. */
    public static String relationship(String relationshipType, String sourceRef, String targetRef) {
        return relationship(relationshipType, sourceRef, targetRef, null, null);
    }

    /**
     * pycti {@code StixCoreRelationship.generate_id}. As in pycti, {@code stopTime} counts only
     * together with {@code startTime}: a stop time alone is ignored.
     */
    public static String relationship(String relationshipType, String sourceRef, String targetRef,
                                      String startTime, String stopTime) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("relationship_type", req(relationshipType, "relationshipType"));
        data.put("source_ref", req(sourceRef, "sourceRef"));
        data.put("target_ref", req(targetRef, "targetRef"));
        if (startTime != null) {
            data.put("start_time", startTime);
            if (stopTime != null) {
                data.put("stop_time", stopTime);
            }
        }
        return generate("relationship", data);
    }

    /**
     * pycti {@code StixSightingRelationship.generate_id}. The list order is hashed as given (pycti
     * does not sort it). {@code lastSeen} counts only together with {@code firstSeen}.
     */
    public static String sighting(String sightingOfRef, List<String> whereSightedRefs,
                                  String firstSeen, String lastSeen) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "sighting");
        data.put("sighting_of_ref", req(sightingOfRef, "sightingOfRef"));
        data.put("where_sighted_refs", List.copyOf(req(whereSightedRefs, "whereSightedRefs")));
        if (firstSeen != null) {
            data.put("first_seen", firstSeen);
            if (lastSeen != null) {
                data.put("last_seen", lastSeen);
            }
        }
        return generate("sighting", data);
    }

    /**
     * pycti {@code Location.generate_id} for named locations ("Country", "City", "Region",
     * "Administrative-Area", ...): name lower-cased and stripped, type verbatim.
     *
     * @throws IllegalArgumentException for "Position": pycti keys those on latitude/longitude,
     *         which no feed of ours provides, and a name-based id would not match the platform's
     */
    public static String location(String name, String locationType) {
        req(locationType, "locationType");
        if (locationType.equals("Position")) {
            throw new IllegalArgumentException("Position locations are keyed on latitude/longitude; not supported");
        }
        return generate("location", Map.of(
                "name", PythonText.strip(PythonText.lower(req(name, "name"))),
                "x_opencti_location_type", locationType));
    }

    /**
     * pycti {@code AttackPattern.generate_id}: a MITRE id (stripped) wins and the name is then
     * ignored; without one, the lower-cased stripped name.
     */
    public static String attackPattern(String name, String mitreId) {
        if (mitreId != null) {
            return generate("attack-pattern", Map.of("x_mitre_id", PythonText.strip(mitreId)));
        }
        return generate("attack-pattern", Map.of("name", PythonText.strip(PythonText.lower(req(name, "name")))));
    }

    /** pycti {@code Vulnerability.generate_id}: name lower-cased and stripped. */
    public static String vulnerability(String name) {
        return generate("vulnerability", Map.of("name", PythonText.strip(PythonText.lower(req(name, "name")))));
    }

    /**
     * pycti {@code Note.generate_id}: content stripped (case kept), plus {@code created} verbatim
     * when given.
     */
    public static String note(String created, String content) {
        String stripped = PythonText.strip(req(content, "content"));
        return generate("note", created == null
                ? Map.of("content", stripped)
                : Map.of("content", stripped, "created", created));
    }

    /**
     * pycti {@code Label.generate_id}: the value verbatim. The platform lower-cases and trims
     * labels itself, so pass labels already lower-case to get the platform's id.
     */
    public static String label(String value) {
        return generate("label", Map.of("value", req(value, "value")));
    }

    /**
     * pycti {@code external_reference_generate_id}: keyed on the url when there is one, else on
     * source name plus external id.
     *
     * @return {@code null} when neither is available, as pycti returns None
     */
    public static String externalReference(String url, String sourceName, String externalId) {
        if (url != null) {
            return generate("external-reference", Map.of("url", url));
        }
        if (sourceName != null && externalId != null) {
            return generate("external-reference", Map.of("source_name", sourceName, "external_id", externalId));
        }
        return null;
    }

    /**
     * pycti {@code kill_chain_phase_generate_id}: both names verbatim. pycti does not check them,
     * so a missing name is hashed as JSON null; the bundle splitter de-duplicates phases on this id
     * and relies on that.
     */
    public static String killChainPhase(String phaseName, String killChainName) {
        Map<String, Object> data = new LinkedHashMap<>(); // may hold nulls, which Map.of refuses
        data.put("phase_name", phaseName);
        data.put("kill_chain_name", killChainName);
        return generate("kill-chain-phase", data);
    }

    /**
     * python-stix2 id of an SCO keyed only on {@code value}. The value is not normalised, so
     * "2001:DB8::1" and "2001:db8::1" get different ids, as they do in stix2.
     *
     * @throws IllegalArgumentException for other SCO types, whose ids use other properties
     */
    public static String observable(String scoType, String value) {
        if (!VALUE_KEYED_SCOS.contains(scoType)) {
            throw new IllegalArgumentException("not a value-keyed SCO type: " + scoType
                    + " (expected one of " + new TreeSet<>(VALUE_KEYED_SCOS) + ")");
        }
        return generate(scoType, Map.of("value", req(value, "value")));
    }

    private static <T> T req(T value, String what) {
        return Objects.requireNonNull(value, () -> what + " must not be null");
    }

    private static void requireWellFormedUtf16(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("unpaired surrogate U+" + Integer.toHexString(c)
                            + " at index " + i + ": the name has no UTF-8 encoding");
                }
            }
        }
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] b = new byte[16];
        writeLong(b, 0, uuid.getMostSignificantBits());
        writeLong(b, 8, uuid.getLeastSignificantBits());
        return b;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
