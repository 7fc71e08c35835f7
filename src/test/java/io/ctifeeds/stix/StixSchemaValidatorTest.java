package io.ctifeeds.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StixSchemaValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    // Loading and initialising the schemas dominates the run time; share one validator.
    private static final StixSchemaValidator VALIDATOR = StixSchemaValidator.fromClasspath("stix2.1-schemas");

    // identity (author) + ipv4-addr + indicator + relationship(indicator based-on ipv4-addr)
    private static final String BUNDLE = """
        {
          "type": "bundle",
          "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
          "objects": [
            {
              "type": "identity", "spec_version": "2.1",
              "id": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
              "name": "IPsum feed", "identity_class": "organization"
            },
            {
              "type": "ipv4-addr", "spec_version": "2.1",
              "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
              "value": "198.51.100.3"
            },
            {
              "type": "indicator", "spec_version": "2.1",
              "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "created_by_ref": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
              "name": "198.51.100.3", "indicator_types": ["malicious-activity"],
              "pattern": "[ipv4-addr:value = '198.51.100.3']", "pattern_type": "stix",
              "valid_from": "2024-01-01T00:00:00Z", "confidence": 70,
              "labels": ["ipsum-level-3"]
            },
            {
              "type": "relationship", "spec_version": "2.1",
              "id": "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",
              "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
              "relationship_type": "based-on",
              "source_ref": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
              "target_ref": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd"
            }
          ]
        }
        """;

    private static JsonNode bundle() throws Exception {
        return MAPPER.readTree(BUNDLE);
    }

    @Test
    void validBundlePasses() throws Exception {
        assertEquals(List.of(), VALIDATOR.validateBundleDeep(bundle()));
    }

    @Test
    void indicatorWithoutPatternTypeIsRejected() throws Exception {
        JsonNode bundle = bundle();
        ((ObjectNode) bundle.get("objects").get(2)).remove("pattern_type");

        assertFalse(VALIDATOR.validateBundle(bundle).isEmpty(), "bundle schema must reject it");
        List<Error> errors = VALIDATOR.validateObject(bundle.get("objects").get(2));
        assertTrue(errors.stream().anyMatch(e -> "required".equals(e.getKeyword())
                && String.valueOf(e.getMessage()).contains("pattern_type")), errors::toString);
        assertTrue(VALIDATOR.validateBundleDeep(bundle).stream()
                .anyMatch(m -> m.startsWith("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f: ")));
    }

    @Test
    void badIpv4IsRejected() throws Exception {
        JsonNode ip = MAPPER.readTree("""
                {"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"999.1.1.1"}""");
        assertFalse(VALIDATOR.validateObject(ip).isEmpty());
    }

    @Test
    void timestampWithOffsetInsteadOfZIsRejected() throws Exception {
        JsonNode identity = bundle().get("objects").get(0).deepCopy();
        assertEquals(List.of(), VALIDATOR.validateObject(identity), "precondition: valid as written");
        ((ObjectNode) identity).put("created", "2024-01-01T00:00:00+01:00");
        assertFalse(VALIDATOR.validateObject(identity).isEmpty());
    }

    @Test
    void malformedRefIsRejected() throws Exception {
        ObjectNode rel = bundle().get("objects").get(3).deepCopy();
        rel.put("target_ref", "not-an-id");
        assertFalse(VALIDATOR.validateObject(rel).isEmpty());
    }

    @Test
    void emptyObjectsArrayIsRejected() throws Exception {
        JsonNode empty = MAPPER.readTree("""
                {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}""");
        assertFalse(VALIDATOR.validateBundle(empty).isEmpty());
    }

    @Test
    void everyTlpMarkingValidates() {
        for (Tlp tlp : Tlp.values()) {
            JsonNode marking = MAPPER.valueToTree(tlp.marking());
            assertEquals(List.of(), VALIDATOR.schema("common/marking-definition.json").validate(marking), tlp.name());
        }
    }

    @Test
    void markingSchemaRejectsATamperedTlpConstant() {
        // guards the test above: the schema pins the TLP constants, so it can tell a wrong one
        ObjectNode marking = MAPPER.valueToTree(Tlp.GREEN.marking());
        marking.put("name", "TLP:AMBER");
        assertFalse(VALIDATOR.validateObject(marking).isEmpty());
    }

    @Test
    void bundleWithOurDeterministicIdsAndMarkingsValidates() throws Exception {
        JsonNode bundle = bundle();
        ArrayNode objects = (ArrayNode) bundle.get("objects");
        String author = StixIds.identity("IPsum", "organization");
        String ip = StixIds.observable("ipv4-addr", "198.51.100.3");
        String indicator = StixIds.indicator("[ipv4-addr:value = '198.51.100.3']");
        ((ObjectNode) objects.get(0)).put("id", author);
        ((ObjectNode) objects.get(1)).put("id", ip);
        ((ObjectNode) objects.get(2)).put("id", indicator).put("created_by_ref", author)
                .set("object_marking_refs", MAPPER.createArrayNode().add(Tlp.AMBER_STRICT.id()));
        ((ObjectNode) objects.get(3)).put("id", StixIds.relationship("based-on", indicator, ip))
                .put("source_ref", indicator).put("target_ref", ip);
        objects.add(MAPPER.readTree("""
                {"type":"sighting","spec_version":"2.1","id":"%s",
                 "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",
                 "sighting_of_ref":"%s","where_sighted_refs":["%s"]}"""
                .formatted(StixIds.sighting(indicator, List.of(author), null, null), indicator, author)));
        for (Tlp tlp : Tlp.values()) {
            objects.add(MAPPER.valueToTree(tlp.marking()));
        }
        assertEquals(List.of(), VALIDATOR.validateBundleDeep(bundle));
    }

    @Test
    void oasisExampleBundleValidates() throws Exception {
        Path example = Path.of("src/test/resources/stix2.1-schemas/examples/indicator-for-c2-ip-address.json");
        assertEquals(List.of(), VALIDATOR.validateBundleDeep(MAPPER.readTree(example.toFile())));
    }

    @Test
    void allSchemasWeEmitLoadAndResolve() {
        for (String p : List.of("common/bundle.json", "sdos/indicator.json", "sdos/identity.json",
                "sdos/attack-pattern.json", "sdos/vulnerability.json", "sdos/location.json", "sdos/note.json",
                "sdos/observed-data.json", "sros/relationship.json", "sros/sighting.json",
                "observables/ipv4-addr.json", "observables/ipv6-addr.json", "common/marking-definition.json")) {
            assertNotNull(VALIDATOR.schema(p), p);
        }
    }
}
