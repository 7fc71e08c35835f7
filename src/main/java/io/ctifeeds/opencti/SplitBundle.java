package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * One bundle of the split: a single object, wrapped as pycti's {@code stix2_create_bundle} wraps
 * it (PROTOCOL §3.1 step 5).
 *
 * @param bundleId the original bundle's id (any JSON value pycti found there, normally a string)
 * @param seq      {@code x_opencti_seq}: the object's {@code nb_deps}, not its position
 * @param object   the object, refs rewritten and {@code nb_deps} added by the splitter
 */
public record SplitBundle(JsonNode bundleId, int seq, ObjectNode object) {

    /**
     * pycti's {@code json.dumps} of
     * {@code {"type": "bundle", "id": ..., "spec_version": "2.1", "x_opencti_seq": seq, "objects": [object]}},
     * in that key order.
     */
    public String json() {
        StringBuilder out = new StringBuilder(2048); // an IPsum object is ~1 KB: no regrowth
        out.append("{\"type\": \"bundle\", \"id\": ");
        PythonJson.write(bundleId, out);
        out.append(", \"spec_version\": \"2.1\", \"x_opencti_seq\": ").append(seq).append(", \"objects\": [");
        PythonJson.write(object, out);
        return out.append("]}").toString();
    }

    /** {@link #json()} encoded as UTF-8, which for this ASCII-only text is one byte per char. */
    public byte[] utf8() {
        return json().getBytes(StandardCharsets.US_ASCII);
    }
}
