package io.ctifeeds.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates STIX 2.1 JSON against the OASIS cti-stix2-json-schemas (draft 2020-12) copied to the
 * test classpath under {@code stix2.1-schemas/} (see src/test/resources/stix2.1-schemas/README.md). Every
 * schema's $id starts with {@link #STIX_ID_PREFIX}; mapping that prefix onto the classpath copy
 * makes all relative $refs resolve offline. networknt 2.x loads only {@code classpath:} by
 * default, so nothing is ever fetched over the network.
 *
 * <p>The schemas accept any custom property and check neither pattern syntax nor what refs point
 * at; unit tests cover those.
 */
public final class StixSchemaValidator {

    /** Prefix of every "$id" in the OASIS STIX 2.1 schemas (http, not https). */
    public static final String STIX_ID_PREFIX =
            "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";

    private static final Set<String> SROS = Set.of("relationship", "sighting");
    private static final Set<String> COMMON = Set.of("marking-definition", "language-content", "extension-definition");
    private static final Set<String> SCOS = Set.of("artifact", "autonomous-system", "directory", "domain-name",
            "email-addr", "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
            "network-traffic", "process", "software", "url", "user-account", "windows-registry-key",
            "x509-certificate");
    private static final Set<String> SDOS = Set.of("attack-pattern", "campaign", "course-of-action", "grouping",
            "identity", "incident", "indicator", "infrastructure", "intrusion-set", "location", "malware-analysis",
            "malware", "note", "observed-data", "opinion", "report", "threat-actor", "tool", "vulnerability");

    private final SchemaRegistry registry;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();

    private StixSchemaValidator(String retrievalPrefix) {
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaIdResolvers(
                        resolvers -> resolvers.mapPrefix(STIX_ID_PREFIX, retrievalPrefix)));
    }

    /** @param folder classpath folder holding common/, sdos/, sros/, observables/, e.g. "stix2.1-schemas" */
    public static StixSchemaValidator fromClasspath(String folder) {
        return new StixSchemaValidator("classpath:" + folder + "/");
    }

    /** @param relativePath e.g. "common/bundle.json", "sdos/indicator.json" */
    public Schema schema(String relativePath) {
        return cache.computeIfAbsent(relativePath, p -> {
            Schema s = registry.getSchema(SchemaLocation.of(STIX_ID_PREFIX + p));
            s.initializeValidators(); // an unresolvable $ref fails here, not halfway through a test
            return s;
        });
    }

    /** The full bundle schema: slow (a oneOf over every type) and noisy on failure; tests only. */
    public List<Error> validateBundle(JsonNode bundle) {
        return schema("common/bundle.json").validate(bundle);
    }

    /** One object against the schema of its own "type", which gives one clear error per problem. */
    public List<Error> validateObject(JsonNode object) {
        String path = pathForType(object.path("type").asText());
        if (path == null) {
            throw new IllegalArgumentException("no OASIS schema for type '" + object.path("type").asText() + "'");
        }
        return schema(path).validate(object);
    }

    /**
     * Each object against its own type's schema, and the bundle schema over the envelope and the custom objects
     * (an OpenCTI label); human-readable messages, empty when valid.
     * <p>
     * Typed objects are not run through the bundle schema: its {@code oneOf} lists no location, note, opinion,
     * grouping or incident (a gap of the OASIS file), so it sends those down its custom-object branch, where an
     * object with created and modified matches both core schemas and fails the branch's own {@code oneOf}.
     */
    public List<String> validateBundleDeep(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        com.fasterxml.jackson.databind.node.ObjectNode envelope = bundle.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode custom = envelope.putArray("objects");
        for (JsonNode o : bundle.path("objects")) {
            if (pathForType(o.path("type").asText()) == null) {
                custom.add(o);
            } else {
                validateObject(o).forEach(e -> out.add(o.path("id").asText() + ": " + e));
            }
        }
        if (custom.isEmpty()) {
            envelope.remove("objects");
        }
        validateBundle(envelope).forEach(e -> out.add("bundle: " + e));
        return out;
    }

    static String pathForType(String type) {
        if (type == null || type.isEmpty() || type.startsWith("x-")) {
            return null;
        }
        if (SROS.contains(type)) {
            return "sros/" + type + ".json";
        }
        if (COMMON.contains(type)) {
            return "common/" + type + ".json";
        }
        if (SCOS.contains(type)) {
            return "observables/" + type + ".json";
        }
        // anything else (an OpenCTI label, say) is a custom object: the bundle schema checks it as one
        return SDOS.contains(type) ? "sdos/" + type + ".json" : null;
    }
}
