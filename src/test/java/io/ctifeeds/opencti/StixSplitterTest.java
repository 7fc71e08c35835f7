package io.ctifeeds.opencti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The splitter's rules (PROTOCOL §3.1, pycti's {@code enlist_element}), one per test. Expected
 * values follow from the rules as stated in each test; every one of them was also checked against
 * pycti's own splitter code.
 */
class StixSplitterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // ---- refs lists (*_refs) ----------------------------------------------------------------

    @Test
    void refsOfUnknownTypesAreDroppedFromLists() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i','object_marking_refs':"
                        + "['x-custom--1','marking-definition--g','not-a-stix-id','vulnerability--absent']}",
                "{'type':'marking-definition','id':'marking-definition--g'}"));

        ObjectNode indicator = object(result, "indicator--i");
        // x-custom is not a supported type; a value without "--" is never filtered; a supported
        // type is kept even when the object is not in the bundle (cleanup is off)
        assertEquals(list("marking-definition--g", "not-a-stix-id", "vulnerability--absent"),
                indicator.get("object_marking_refs"));
        // 1 + the marking's 1; refs to objects not in the bundle count 0
        assertEquals(2, indicator.get("nb_deps").intValue());
    }

    @Test
    void repeatedRefsAreKeptOnceButCountedEachTime() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i','object_marking_refs':"
                        + "['marking-definition--g','marking-definition--g','x-custom--1','marking-definition--g','foo']}",
                "{'type':'marking-definition','id':'marking-definition--g'}"));

        ObjectNode indicator = object(result, "indicator--i");
        assertEquals(list("marking-definition--g", "foo"), indicator.get("object_marking_refs"));
        // pycti adds the marking's nb_deps for every occurrence: 1 + 3 x 1
        assertEquals(4, indicator.get("nb_deps").intValue());
    }

    @Test
    void selfRefsAreDropped() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'report','id':'report--r','created_by_ref':'report--r',"
                        + "'object_refs':['report--r','indicator--i']}",
                "{'type':'indicator','id':'indicator--i'}"));

        ObjectNode report = object(result, "report--r");
        assertTrue(report.get("created_by_ref").isNull());
        assertEquals(list("indicator--i"), report.get("object_refs"));
        assertEquals(2, report.get("nb_deps").intValue());
    }

    @Test
    void nullRefsListIsLeftAlone() {
        SplitResult result = StixSplitter.split(bundle("{'type':'indicator','id':'indicator--i','object_marking_refs':null}"));

        assertTrue(object(result, "indicator--i").get("object_marking_refs").isNull());
        assertEquals(1, result.expectations());
    }

    // ---- single refs (*_ref) ------------------------------------------------------------------

    @Test
    void singleRefToUnsupportedTypeBecomesNullInPlace() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i','created_by_ref':'x-custom--1','name':'n',"
                        + "'x_opencti_created_by_ref':'identity--absent'}"));

        ObjectNode indicator = object(result, "indicator--i");
        assertEquals("{\"type\": \"indicator\", \"id\": \"indicator--i\", \"created_by_ref\": null, \"name\": \"n\", "
                + "\"x_opencti_created_by_ref\": \"identity--absent\", \"nb_deps\": 1}", PythonJson.dumps(indicator));
        assertEquals(1, result.expectations()); // an indicator stays compatible without its author
    }

    @Test
    void refsToAbsentObjectsGoOnlyWithCleanup() {
        String indicator = "{'type':'indicator','id':'indicator--i','created_by_ref':'identity--absent',"
                + "'object_marking_refs':['marking-definition--absent']}";

        ObjectNode kept = object(StixSplitter.split(bundle(indicator)), "indicator--i");
        assertEquals("identity--absent", kept.get("created_by_ref").textValue());
        assertEquals(list("marking-definition--absent"), kept.get("object_marking_refs"));

        ObjectNode cleaned = object(StixSplitter.split(bundle(indicator), true), "indicator--i");
        assertTrue(cleaned.get("created_by_ref").isNull());
        assertEquals(list(), cleaned.get("object_marking_refs"));
    }

    @Test
    void internalIdRefsResolveToTheObject() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'identity','id':'identity--a','x_opencti_id':'internal-1'}",
                "{'type':'indicator','id':'indicator--i','created_by_ref':'internal-1'}"));

        assertEquals(List.of("identity--a", "indicator--i"), ids(result));
        assertEquals(List.of(1, 2), seqs(result));
    }

    /**
     * pycti keys its cache on the id used to reach an object: reached first through its
     * x_opencti_id, the identity is cached under that id only, so the top-level loop walks and
     * lists it again under its STIX id. pycti sends it twice; so do we.
     */
    @Test
    void objectReachedFirstThroughItsInternalIdIsListedTwice() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i','created_by_ref':'internal-1'}",
                "{'type':'identity','id':'identity--a','x_opencti_id':'internal-1'}"));

        assertEquals(List.of("identity--a", "identity--a", "indicator--i"), ids(result));
        assertEquals(3, result.expectations());
    }

    // ---- cycles -------------------------------------------------------------------------------

    /** B's ref back to A is a back-dependency (A already followed B), so it is dropped. */
    @Test
    void twoObjectCycleDropsTheRefBack() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'report','id':'report--a','object_refs':['note--b']}",
                "{'type':'note','id':'note--b','object_refs':['report--a']}"));

        assertEquals(List.of("note--b", "report--a"), ids(result));
        assertEquals(List.of(1, 2), seqs(result));
        assertEquals(list(), object(result, "note--b").get("object_refs"));
        assertEquals(list("note--b"), object(result, "report--a").get("object_refs"));
    }

    /**
     * A→B→C→A with single refs. At C→A neither test fires (A is the top-level object, so not on
     * the path, and A has no ref to C), so A is walked a second time inside its first walk. That
     * inner walk finds B on the path and nulls A's created_by_ref, gives A nb_deps 1 and lists
     * it; C = 1 + 1, B = 1 + 2; the outer walk of A ends with 1 + 3 = 4 but leaves the null.
     */
    @Test
    void threeObjectCycleOfSingleRefs() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'identity','id':'identity--a','created_by_ref':'identity--b'}",
                "{'type':'identity','id':'identity--b','created_by_ref':'identity--c'}",
                "{'type':'identity','id':'identity--c','created_by_ref':'identity--a'}"));

        assertEquals(List.of("identity--c", "identity--b", "identity--a"), ids(result));
        assertEquals(List.of(2, 3, 4), seqs(result));
        assertEquals("identity--a", object(result, "identity--c").get("created_by_ref").textValue());
        assertEquals("identity--c", object(result, "identity--b").get("created_by_ref").textValue());
        assertTrue(object(result, "identity--a").get("created_by_ref").isNull());
    }

    /** The same cycle with lists: the outer walk rewrites A's list again, so A keeps its ref. */
    @Test
    void threeObjectCycleOfRefLists() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'report','id':'report--a','object_refs':['report--b']}",
                "{'type':'report','id':'report--b','object_refs':['report--c']}",
                "{'type':'report','id':'report--c','object_refs':['report--a']}"));

        assertEquals(List.of("report--c", "report--b", "report--a"), ids(result));
        assertEquals(List.of(2, 3, 4), seqs(result));
        assertEquals(list("report--b"), object(result, "report--a").get("object_refs"));
        assertEquals(list("report--a"), object(result, "report--c").get("object_refs"));
    }

    /** pycti would hit Python's recursion limit here; the explicit stack gives the unbounded result. */
    @Test
    void longChainDoesNotOverflowTheStack() {
        int n = 100_000;
        ObjectNode bundle = MAPPER.createObjectNode();
        ArrayNode objects = bundle.putArray("objects");
        for (int i = 0; i < n; i++) {
            ObjectNode o = objects.addObject().put("type", "identity").put("id", "identity--" + i);
            if (i + 1 < n) {
                o.put("created_by_ref", "identity--" + (i + 1));
            }
        }

        SplitResult result = StixSplitter.split(bundle);

        assertEquals(n, result.expectations());
        assertEquals("identity--" + (n - 1), result.bundles().get(0).object().get("id").textValue());
        assertEquals(1, result.bundles().get(0).seq());
        assertEquals("identity--0", result.bundles().get(n - 1).object().get("id").textValue());
        assertEquals(n, result.bundles().get(n - 1).seq());
    }

    // ---- embedded lists -----------------------------------------------------------------------

    @Test
    void externalReferencesWithoutIdAreDroppedAndDuplicatesRemoved() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i','external_references':["
                        + "{'source_name':'a'},"                                   // no url, no external_id: dropped
                        + "{'url':'https://u/1','source_name':'x'},"
                        + "{'url':'https://u/1','source_name':'y'},"               // same url: duplicate
                        + "{'source_name':'s','external_id':'e'},"
                        + "{'source_name':'s','external_id':'e','description':'d'}," // same pair: duplicate
                        + "{'external_id':'e'},"                                   // dropped
                        + "{'url':'https://u/2'}]}"));

        assertEquals(json("[{'url':'https://u/1','source_name':'x'},{'source_name':'s','external_id':'e'},"
                        + "{'url':'https://u/2'}]"),
                object(result, "indicator--i").get("external_references"));
    }

    @Test
    void killChainPhasesAreDeduplicatedAndNeverDropped() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'attack-pattern','id':'attack-pattern--p','kill_chain_phases':["
                        + "{'kill_chain_name':'mitre','phase_name':'p'},"
                        + "{'kill_chain_name':'mitre','phase_name':'p'},"
                        + "{'kill_chain_name':'mitre'},"                   // id of (null, mitre): kept
                        + "{'kill_chain_name':'mitre','phase_name':null}," // the same id: duplicate
                        + "{'phase_name':'p'}]}"));

        assertEquals(json("[{'kill_chain_name':'mitre','phase_name':'p'},{'kill_chain_name':'mitre'},{'phase_name':'p'}]"),
                object(result, "attack-pattern--p").get("kill_chain_phases"));
    }

    // ---- compatibility ------------------------------------------------------------------------

    @Test
    void relationshipsWithoutTargetAndEmptySightingsAreIncompatible() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--i'}",
                "{'type':'ipv4-addr','id':'ipv4-addr--v'}",
                "{'type':'relationship','id':'relationship--ok','source_ref':'indicator--i','target_ref':'ipv4-addr--v'}",
                "{'type':'relationship','id':'relationship--null','source_ref':'indicator--i','target_ref':null}",
                "{'type':'relationship','id':'relationship--unsupported','source_ref':'indicator--i',"
                        + "'target_ref':'x-custom--9'}",
                "{'type':'relationship','id':'relationship--absent','source_ref':'indicator--i'}",
                "{'type':'sighting','id':'sighting--s','sighting_of_ref':'indicator--i','where_sighted_refs':[]}"));

        assertEquals(List.of("indicator--i", "ipv4-addr--v", "relationship--ok"), ids(result));
        assertEquals(3, result.expectations());
        assertEquals(List.of("relationship--null", "relationship--unsupported", "relationship--absent", "sighting--s"),
                result.incompatibleItems().stream().map(o -> o.get("id").textValue()).toList());
        // the unsupported target was nulled first, which is what made the relationship incompatible
        assertTrue(result.incompatibleItems().get(1).get("target_ref").isNull());
    }

    @Test
    void objectOfUnsupportedTypeIsIncompatible() {
        SplitResult result = StixSplitter.split(bundle("{'type':'x-custom','id':'x-custom--1'}"));

        assertEquals(0, result.expectations());
        assertEquals(1, result.incompatibleItems().size());
    }

    // ---- order and wrapping -------------------------------------------------------------------

    /** Equal nb_deps keep post-order (z, reached through x, comes before a), not id order. */
    @Test
    void sortIsStableOverPostOrder() {
        SplitResult result = StixSplitter.split(bundle(
                "{'type':'indicator','id':'indicator--x','created_by_ref':'identity--z'}",
                "{'type':'identity','id':'identity--a'}",
                "{'type':'identity','id':'identity--z'}"));

        assertEquals(List.of("identity--z", "identity--a", "indicator--x"), ids(result));
        assertEquals(List.of(1, 1, 2), seqs(result));
    }

    @Test
    void missingBundleIdIsReplacedByARandomOne() {
        ObjectNode bundle = bundle("{'type':'identity','id':'identity--a'}", "{'type':'identity','id':'identity--b'}");
        bundle.remove("id");

        SplitResult result = StixSplitter.split(bundle);

        String id = result.bundleId().textValue();
        assertTrue(id.matches("bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
        for (SplitBundle split : result.bundles()) {
            assertEquals(id, split.bundleId().textValue());
            assertTrue(split.json().startsWith("{\"type\": \"bundle\", \"id\": \"" + id + "\", "));
        }
    }

    @Test
    void explicitNullBundleIdIsKept() {
        ObjectNode bundle = bundle("{'type':'identity','id':'identity--a'}");
        bundle.putNull("id");

        assertEquals("{\"type\": \"bundle\", \"id\": null, \"spec_version\": \"2.1\", \"x_opencti_seq\": 1, "
                + "\"objects\": [{\"type\": \"identity\", \"id\": \"identity--a\", \"nb_deps\": 1}]}",
                StixSplitter.split(bundle).bundles().get(0).json());
    }

    @Test
    void bundleWithoutObjectsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StixSplitter.split(MAPPER.createObjectNode().put("type", "bundle")));
        assertEquals("File data is not a valid bundle", e.getMessage());
    }

    @Test
    void supportedTypeListIsPyctis() {
        assertEquals(93, SupportedTypes.count());
        assertTrue(SupportedTypes.isIdSupported("ssh-key--1"));
        assertTrue(SupportedTypes.isIdSupported("pir--1"));
        assertTrue(SupportedTypes.isIdSupported("no-double-dash"));
        assertFalse(SupportedTypes.isIdSupported("x-custom--1"));
        assertFalse(SupportedTypes.isIdSupported("--1")); // empty type
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A bundle of objects written as JSON with single quotes. */
    private static ObjectNode bundle(String... objects) {
        ObjectNode bundle = MAPPER.createObjectNode().put("type", "bundle").put("id", "bundle--test");
        ArrayNode list = bundle.putArray("objects");
        for (String object : objects) {
            list.add(json(object));
        }
        return bundle;
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArrayNode list(String... values) {
        ArrayNode list = MAPPER.createArrayNode();
        for (String value : values) {
            list.add(value);
        }
        return list;
    }

    private static ObjectNode object(SplitResult result, String id) {
        return result.bundles().stream().map(SplitBundle::object)
                .filter(o -> o.get("id").textValue().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError(id + " not among the split bundles"));
    }

    private static List<String> ids(SplitResult result) {
        return result.bundles().stream().map(b -> b.object().get("id").textValue()).toList();
    }

    private static List<Integer> seqs(SplitResult result) {
        return result.bundles().stream().map(SplitBundle::seq).toList();
    }
}
