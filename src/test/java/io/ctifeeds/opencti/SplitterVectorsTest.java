package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-for-byte agreement with pycti's own splitter on 150 random bundles. The expected outputs
 * were produced by running {@code pycti/utils/opencti_stix2_splitter.py} itself (see
 * {@code src/test/resources/opencti/splitter-vectors.md}); the bundles are small but dense in the
 * hard cases: refs to missing, unsupported and internal ids, self refs, duplicates, cycles of two
 * and three objects (an object walked twice), duplicate ids, nulls, embedded lists, pre-existing
 * nb_deps keys, non-ASCII text, and the cleanup flag.
 */
class SplitterVectorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyVectorSplitsExactlyAsPycti() throws IOException {
        List<JsonNode> vectors = vectors();
        assertEquals(150, vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            JsonNode vector = vectors.get(i);
            String label = "vector " + (i + 1);
            SplitResult result = StixSplitter.split((ObjectNode) vector.get("bundle"), vector.get("cleanup").booleanValue());

            assertEquals(vector.get("expectations").intValue(), result.expectations(), label);
            List<String> expected = texts(vector.get("bundles"));
            List<String> actual = result.bundles().stream().map(SplitBundle::json).toList();
            assertEquals(expected, actual, label);

            List<String> expectedIncompatible = texts(vector.get("incompatible"));
            List<String> actualIncompatible = result.incompatibleItems().stream().map(PythonJson::dumps).toList();
            assertEquals(expectedIncompatible, actualIncompatible, label);
        }
    }

    private static List<JsonNode> vectors() throws IOException {
        InputStream in = SplitterVectorsTest.class.getResourceAsStream("/opencti/splitter-vectors.jsonl");
        assertNotNull(in, "splitter-vectors.jsonl on the test class path");
        List<JsonNode> vectors = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                assertTrue(!line.isBlank(), "no blank lines");
                vectors.add(MAPPER.readTree(line));
            }
        }
        return vectors;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.textValue()));
        return texts;
    }
}
