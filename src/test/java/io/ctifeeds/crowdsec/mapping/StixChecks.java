package io.ctifeeds.crowdsec.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.crowdsec.api.CtiFixtures;
import io.ctifeeds.stix.StixJson;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.StixSchemaValidator;

/** Schema and reference checks over mapped objects, as they would be serialised into a bundle. */
public final class StixChecks {

    // Loading the schemas dominates; one validator for all tests.
    public static final StixSchemaValidator VALIDATOR = StixSchemaValidator.fromClasspath("stix2.1-schemas");

    private StixChecks() {
    }

    public static ObjectNode json(StixObject object) {
        return StixJson.MAPPER.valueToTree(object);
    }

    /**
     * Schema errors of one object: its own type's schema for STIX types; an OpenCTI {@code label} has none, so it
     * is checked as a custom object inside a bundle, the way it travels.
     */
    public static List<String> schemaErrors(StixObject object) {
        ObjectNode node = json(object);
        List<String> errors = new ArrayList<>();
        if (object.type().equals("label")) {
            ObjectNode bundle = CtiFixtures.JSON.createObjectNode();
            bundle.put("type", "bundle");
            bundle.put("id", "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d");
            bundle.putArray("objects").add(node);
            VALIDATOR.validateBundle(bundle).forEach(e -> errors.add(object.id() + ": " + e));
        } else {
            VALIDATOR.validateObject(node).forEach(e -> errors.add(object.id() + ": " + e));
        }
        return errors;
    }

    public static List<String> schemaErrors(Collection<? extends StixObject> objects) {
        List<String> errors = new ArrayList<>();
        objects.forEach(o -> errors.addAll(schemaErrors(o)));
        return errors;
    }

    /** Every id that a {@code *_ref} or {@code *_refs} property of these objects names. */
    public static Set<String> refs(Collection<? extends StixObject> objects) {
        Set<String> refs = new HashSet<>();
        for (StixObject object : objects) {
            Iterator<Map.Entry<String, JsonNode>> fields = json(object).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().endsWith("_ref")) {
                    refs.add(field.getValue().asText());
                } else if (field.getKey().endsWith("_refs")) {
                    field.getValue().forEach(ref -> refs.add(ref.asText()));
                }
            }
        }
        return refs;
    }

    /** The refs of {@code objects} that no object of {@code available} has as id. */
    public static Set<String> danglingRefs(Collection<? extends StixObject> objects, Collection<? extends StixObject> available) {
        Set<String> dangling = refs(objects);
        available.forEach(o -> dangling.remove(o.id()));
        return dangling;
    }
}
