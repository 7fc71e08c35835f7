package io.ctifeeds.crowdsec.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.crowdsec.api.CtiFixtures;
import io.ctifeeds.crowdsec.api.CtiItem;
import io.ctifeeds.crowdsec.api.CtiParser;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.stix.IdRules;
import io.ctifeeds.stix.StixObject;
import org.junit.jupiter.api.Test;

/**
 * Every field of every fixture item, top level and one level down, replaced in turn by each hostile value: the
 * item must still parse (its IP is intact), map without an exception, and give schema-valid objects whose refs
 * resolve. What could not be used is counted in the record, never thrown.
 */
class CrowdSecHostileInputTest {

    private static final Instant NOW = Instant.parse("2026-08-22T01:00:00Z");

    private static final List<JsonNode> HOSTILE = List.of(
            JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.textNode("None"),
            JsonNodeFactory.instance.textNode(""),
            JsonNodeFactory.instance.textNode("XX"),
            JsonNodeFactory.instance.textNode("\uDC00\n# heading"),
            JsonNodeFactory.instance.numberNode(-1),
            JsonNodeFactory.instance.numberNode(1e300),
            JsonNodeFactory.instance.booleanNode(true),
            CtiFixtures.json("{\"a\": null, \"XX\": 5}"),
            CtiFixtures.JSON.createArrayNode().add(1).add("x").addNull().add(CtiFixtures.json("{}")));

    /** Fields the parser does not read (nothing the mapping uses), so nothing there can be unusable. */
    private static final Set<String> UNREAD = Set.of("ip_range_24", "ip_range_24_reputation", "ip_range_24_score",
            "history.full_age", "history.days_age");

    @Test
    void everyFieldReplacedByEveryHostileValue() {
        List<CrowdSecStixMapper> mappers = List.of(
                new CrowdSecStixMapper(ShippedMapping.defaults()),
                new CrowdSecStixMapper(ShippedMapping.defaults().withEntities(true, true, true, true, true, true)
                        .withIndicators(CrowdSecMapping.reputations("malicious,suspicious,known,safe,benign,unknown"),
                                Duration.ofDays(3650), 0)));
        int variants = 0;
        Set<String> validated = new HashSet<>();
        // the single-IP answer is page 1's first item again: the five page items cover every shape
        for (ObjectNode item : CtiFixtures.allItems().subList(0, 5)) {
            for (String path : fieldPaths(item)) {
                for (JsonNode value : HOSTILE) {
                    ObjectNode variant = item.deepCopy();
                    replace(variant, path, value);
                    CtiItem parsed = CtiParser.parse(variant);
                    CtiRecord record = assertInstanceOf(CtiItem.Parsed.class, parsed, path + " = " + value).record();
                    assertEquals(item.get("ip").asText(), record.ip().value());
                    if (value.isNull() || (value.isTextual() && (value.textValue().equals("None") || value.textValue().isEmpty()))) {
                        assertEquals(List.of(), record.unusable(), path + " = " + value + " is only absence");
                    } else if (value.isBoolean() && !UNREAD.contains(path)) {
                        assertTrue(record.unusable().contains(path), path + " = true must be recorded: "
                                + record.unusable());
                    }
                    // values that survive parsing are the ones that can break an object
                    boolean checkSchema = value.isTextual() || value.isNumber();
                    for (CrowdSecStixMapper mapper : mappers) {
                        MappedIp mapped = mapper.map(record, NOW, IdRules.NEWEST);
                        List<StixObject> all = new ArrayList<>(mapper.commonObjects());
                        all.addAll(mapped.all());
                        assertEquals(Set.of(), StixChecks.danglingRefs(all, all), path + " = " + value);
                        // schema checks are the slow part: the permissive mapper on every variant is enough
                        if (checkSchema && mapper == mappers.get(1)) {
                            // most objects are the same in every variant of an item: validate each distinct one once
                            List<StixObject> unseen = mapped.all().stream()
                                    .filter(o -> validated.add(StixChecks.json(o).toString())).toList();
                            assertEquals(List.of(), StixChecks.schemaErrors(unseen), path + " = " + value);
                        }
                    }
                    variants++;
                }
            }
        }
        assertTrue(variants > 1000, "variants: " + variants);
    }

    /** Top-level fields but "ip", and the fields of their object values ("location.country"). */
    private static List<String> fieldPaths(ObjectNode item) {
        List<String> paths = new ArrayList<>();
        Iterator<String> names = item.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("ip")) {
                continue;
            }
            paths.add(name);
            JsonNode value = item.get(name);
            if (value.isObject()) {
                value.fieldNames().forEachRemaining(child -> paths.add(name + "." + child));
            }
        }
        return paths;
    }

    private static void replace(ObjectNode item, String path, JsonNode value) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            item.set(path, value.deepCopy());
        } else {
            ((ObjectNode) item.get(path.substring(0, dot))).set(path.substring(dot + 1), value.deepCopy());
        }
    }
}
