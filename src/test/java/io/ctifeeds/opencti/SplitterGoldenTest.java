package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example of PROTOCOL §3.2, produced there by pycti 6.9.17's real splitter: a
 * relationship listed first, then an indicator, an ipv4-addr, the CrowdSec identity and TLP:GREEN.
 * The identity and the relationship are exactly the objects inside split bundles 1 and 5; the
 * indicator, observable and marking are rebuilt from the table (their exact bytes are not printed
 * there, so only bundles 1 and 5 and message 1 are compared byte for byte).
 */
class SplitterGoldenTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String CROWDSEC = "identity--5f18c204-0a7f-5061-a146-d29561d9c8aa";
    private static final String TLP_GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    private static final String INDICATOR = "indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861";
    private static final String IPV4 = "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4";
    private static final String RELATIONSHIP = "relationship--a787645d-9c70-51d7-b74a-91f3c0a88d3f";
    private static final String T = "2024-01-01T00:00:00.000Z";

    private static final String APPLICANT = "<connector_user_id>";
    private static final String WORK = "work_<connector_id>_2024-01-01T00:00:00.000Z";

    // PROTOCOL §3.2, verbatim
    private static final String BUNDLE_1 =
            "{\"type\": \"bundle\", \"id\": \"bundle--9a3c3c2e-2f0e-4b8e-9d0c-000000000001\", \"spec_version\":"
            + " \"2.1\", \"x_opencti_seq\": 1, \"objects\": [{\"type\": \"identity\", \"spec_version\": \"2.1\", \"id\""
            + ": \"identity--5f18c204-0a7f-5061-a146-d29561d9c8aa\", \"created\": \"2024-01-01T00:00:00.000Z"
            + "\", \"modified\": \"2024-01-01T00:00:00.000Z\", \"name\": \"CrowdSec\", \"identity_class\": \"organi"
            + "zation\", \"nb_deps\": 1}]}";

    private static final String BUNDLE_5 =
            "{\"type\": \"bundle\", \"id\": \"bundle--9a3c3c2e-2f0e-4b8e-9d0c-000000000001\", \"spec_version\":"
            + " \"2.1\", \"x_opencti_seq\": 9, \"objects\": [{\"type\": \"relationship\", \"spec_version\": \"2.1\", "
            + "\"id\": \"relationship--a787645d-9c70-51d7-b74a-91f3c0a88d3f\", \"created\": \"2024-01-01T00:00"
            + ":00.000Z\", \"modified\": \"2024-01-01T00:00:00.000Z\", \"relationship_type\": \"based-on\", \"sou"
            + "rce_ref\": \"indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861\", \"target_ref\": \"ipv4-addr--0"
            + "198f97b-e65d-5025-87e5-58bc39d4bdb4\", \"created_by_ref\": \"identity--5f18c204-0a7f-5061-a1"
            + "46-d29561d9c8aa\", \"object_marking_refs\": [\"marking-definition--34098fce-860f-48ae-8e50-e"
            + "bd3cc5e41da\"], \"nb_deps\": 9}]}";

    private static final String MESSAGE_1 =
            "{\"bundle_type\": \"QUEUE_BUNDLE\", \"applicant_id\": \"<connector_user_id>\", \"action_sequence\""
            + ": 1, \"entities_types\": [], \"content\": \"eyJ0eXBlIjogImJ1bmRsZSIsICJpZCI6ICJidW5kbGUtLTlhM"
            + "2MzYzJlLTJmMGUtNGI4ZS05ZDBjLTAwMDAwMDAwMDAwMSIsICJzcGVjX3ZlcnNpb24iOiAiMi4xIiwgInhfb3Blb"
            + "mN0aV9zZXEiOiAxLCAib2JqZWN0cyI6IFt7InR5cGUiOiAiaWRlbnRpdHkiLCAic3BlY192ZXJzaW9uIjogIjIuM"
            + "SIsICJpZCI6ICJpZGVudGl0eS0tNWYxOGMyMDQtMGE3Zi01MDYxLWExNDYtZDI5NTYxZDljOGFhIiwgImNyZWF0Z"
            + "WQiOiAiMjAyNC0wMS0wMVQwMDowMDowMC4wMDBaIiwgIm1vZGlmaWVkIjogIjIwMjQtMDEtMDFUMDA6MDA6MDAuM"
            + "DAwWiIsICJuYW1lIjogIkNyb3dkU2VjIiwgImlkZW50aXR5X2NsYXNzIjogIm9yZ2FuaXphdGlvbiIsICJuYl9kZ"
            + "XBzIjogMX1dfQ==\", \"update\": false, \"draft_id\": null, \"work_id\": \"work_<connector_id>_202"
            + "4-01-01T00:00:00.000Z\"}";

    @Test
    void sendingOrderNbDepsAndSequences() {
        SplitResult result = StixSplitter.split(workedExample());

        assertEquals(5, result.expectations());
        assertEquals(List.of(), result.incompatibleItems());
        assertEquals(List.of(CROWDSEC, TLP_GREEN, INDICATOR, IPV4, RELATIONSHIP),
                result.bundles().stream().map(b -> b.object().get("id").textValue()).toList());
        assertEquals(List.of(1, 1, 3, 3, 9), result.bundles().stream().map(SplitBundle::seq).toList());
        for (SplitBundle bundle : result.bundles()) {
            // x_opencti_seq is the object's nb_deps, and nb_deps is the object's last key
            assertEquals(bundle.seq(), bundle.object().get("nb_deps").intValue());
            List<String> keys = bundle.object().properties().stream().map(Map.Entry::getKey).toList();
            assertEquals("nb_deps", keys.get(keys.size() - 1));
            assertEquals("bundle--9a3c3c2e-2f0e-4b8e-9d0c-000000000001", bundle.bundleId().textValue());
        }
    }

    @Test
    void splitBundlesOneAndFiveAreByteIdentical() {
        SplitResult result = StixSplitter.split(workedExample());

        assertEquals(BUNDLE_1, result.bundles().get(0).json());
        assertEquals(BUNDLE_5, result.bundles().get(4).json());
        assertArrayEquals(BUNDLE_1.getBytes(StandardCharsets.UTF_8), result.bundles().get(0).utf8());
    }

    @Test
    void amqpBodyOfBundleOneIsByteIdentical() {
        SplitBundle first = StixSplitter.split(workedExample()).bundles().get(0);

        byte[] body = QueueMessage.body(APPLICANT, 1, first, WORK);

        assertArrayEquals(MESSAGE_1.getBytes(StandardCharsets.UTF_8), body);
    }

    /** pycti 7's envelope (OPENCTI7.md, helper 3816-3829): no_split right after draft_id, before work_id. */
    @Test
    void openCti7BodyCarriesNoSplitAfterDraftId() {
        SplitBundle first = StixSplitter.split(workedExample()).bundles().get(0);

        byte[] body = QueueMessage.body(APPLICANT, 1, first.utf8(), WORK, false, true);

        String expected = MESSAGE_1.replace("\"draft_id\": null, \"work_id\"",
                "\"draft_id\": null, \"no_split\": false, \"work_id\"");
        assertNotEquals(MESSAGE_1, expected);
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), body);
        String noWork = new String(QueueMessage.body(APPLICANT, 1, first.utf8(), null, true, true),
                StandardCharsets.UTF_8);
        assertTrue(noWork.endsWith("=\", \"update\": true, \"draft_id\": null, \"no_split\": false}"), noWork);
    }

    @Test
    void messageContentDecodesToTheSplitBundle() throws IOException {
        byte[] body = QueueMessage.body(APPLICANT, 1, BUNDLE_1.getBytes(StandardCharsets.UTF_8), WORK);

        String content = MAPPER.readTree(body).get("content").textValue();
        assertEquals(BUNDLE_1, new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8));
    }

    @Test
    void workIdIsLeftOutWithoutWork() {
        byte[] body = QueueMessage.body(APPLICANT, 3, BUNDLE_1.getBytes(StandardCharsets.UTF_8), null);

        String text = new String(body, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"bundle_type\": \"QUEUE_BUNDLE\", \"applicant_id\": \"<connector_user_id>\", "
                + "\"action_sequence\": 3, \"entities_types\": [], \"content\": \"eyJ0eXBl"), text);
        assertTrue(text.endsWith("=\", \"update\": false, \"draft_id\": null}"), text);
    }

    /** The constants above are the document's lines (its copy in src/test/resources/opencti). */
    @Test
    void constantsAreTheLinesPrintedInProtocol() throws IOException {
        Path protocol = Path.of("src", "test", "resources", "opencti", "PROTOCOL.md");
        List<String> lines = Files.readAllLines(protocol, StandardCharsets.UTF_8);
        assertTrue(lines.contains(BUNDLE_1));
        assertTrue(lines.contains(BUNDLE_5));
        assertTrue(lines.contains(MESSAGE_1));
    }

    /** Bundle order as in the example: relationship, indicator, ipv4-addr, identity, marking. */
    static ObjectNode workedExample() {
        ObjectNode bundle = MAPPER.createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--9a3c3c2e-2f0e-4b8e-9d0c-000000000001");
        bundle.put("spec_version", "2.1");
        bundle.putArray("objects")
                .add(relationship())
                .add(indicator())
                .add(ipv4())
                .add(identity())
                .add(tlpGreen());
        return bundle;
    }

    private static ObjectNode relationship() {
        ObjectNode o = sdo("relationship", RELATIONSHIP);
        o.put("relationship_type", "based-on");
        o.put("source_ref", INDICATOR);
        o.put("target_ref", IPV4);
        o.put("created_by_ref", CROWDSEC);
        o.putArray("object_marking_refs").add(TLP_GREEN);
        return o;
    }

    private static ObjectNode indicator() {
        ObjectNode o = sdo("indicator", INDICATOR);
        o.put("created_by_ref", CROWDSEC);
        o.put("name", "1.2.3.4");
        o.put("pattern", "[ipv4-addr:value = '1.2.3.4']");
        o.put("pattern_type", "stix");
        o.put("valid_from", T);
        o.putArray("object_marking_refs").add(TLP_GREEN);
        return o;
    }

    private static ObjectNode ipv4() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "ipv4-addr");
        o.put("spec_version", "2.1");
        o.put("id", IPV4);
        o.put("value", "1.2.3.4");
        o.putArray("object_marking_refs").add(TLP_GREEN);
        o.put("x_opencti_created_by_ref", CROWDSEC);
        return o;
    }

    private static ObjectNode identity() {
        ObjectNode o = sdo("identity", CROWDSEC);
        o.put("name", "CrowdSec");
        o.put("identity_class", "organization");
        return o;
    }

    private static ObjectNode tlpGreen() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", "marking-definition");
        o.put("spec_version", "2.1");
        o.put("id", TLP_GREEN);
        o.put("created", "2017-01-20T00:00:00.000Z");
        o.put("definition_type", "tlp");
        o.put("name", "TLP:GREEN");
        o.putObject("definition").put("tlp", "green");
        return o;
    }

    private static ObjectNode sdo(String type, String id) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", type);
        o.put("spec_version", "2.1");
        o.put("id", id);
        o.put("created", T);
        o.put("modified", T);
        return o;
    }
}
