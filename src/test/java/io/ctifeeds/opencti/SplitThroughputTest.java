package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sanity print of split + serialise + message throughput on IPsum-shaped bundles: the marking and
 * the author, then observable, indicator and based-on relationship per IP, at most 1000 objects a
 * bundle. Not a timed assertion. 12,000 IPs by default to stay quick; a feed run's 120,000 with
 * {@code -Dsplit.throughput.ips=120000}.
 */
class SplitThroughputTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TLP = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    private static final String AUTHOR = "identity--4178f14f-6c2a-52d0-8e67-f111c9ad7560";
    private static final String NOW = "2024-01-01T00:00:00.000Z";
    private static final int IPS_PER_BUNDLE = 332; // 2 + 3 x 332 = 998 objects

    @Test
    void splitsAndSerialisesIpsumShapedBundles() {
        int ips = Integer.getInteger("split.throughput.ips", 12_000);
        long nanos = 0;
        long objects = 0;
        long bytes = 0;
        int bundleCount = 0;
        // one bundle at a time, as the route hands them over; only split and serialisation are timed
        for (int first = 0; first < ips; first += IPS_PER_BUNDLE, bundleCount++) {
            ObjectNode bundle = bundle(first, Math.min(first + IPS_PER_BUNDLE, ips));
            long start = System.nanoTime();
            SplitResult result = StixSplitter.split(bundle);
            for (int i = 0; i < result.bundles().size(); i++) {
                bytes += QueueMessage.body("user-id", i + 1, result.bundles().get(i), "work-id").length;
            }
            nanos += System.nanoTime() - start;
            objects += result.expectations();
        }
        double seconds = nanos / 1e9;

        assertEquals(3L * ips + 2L * bundleCount, objects);
        assertTrue(bytes > objects * 500, "every message carries a whole object");
        System.out.printf("split+serialise+message: %,d objects (%,d IPs, %,d bundles) in %.2f s = %,.0f objects/s, "
                + "%,d MB of messages%n", objects, ips, bundleCount, seconds, objects / seconds, bytes >> 20);
    }

    private static ObjectNode bundle(int from, int to) {
        ObjectNode bundle = NODES.objectNode().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        ArrayNode objects = bundle.putArray("objects");
        objects.addObject().put("type", "marking-definition").put("spec_version", "2.1").put("id", TLP)
                .put("created", "2017-01-20T00:00:00.000Z").put("definition_type", "tlp").put("name", "TLP:WHITE")
                .putObject("definition").put("tlp", "white");
        objects.addObject().put("type", "identity").put("spec_version", "2.1").put("id", AUTHOR)
                .put("created", NOW).put("modified", NOW).put("name", "IPsum").put("identity_class", "organization")
                .put("description", "IPsum is a threat intelligence feed.");
        for (int n = from; n < to; n++) {
            String ip = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
            String observable = "ipv4-addr--" + uuid("o" + ip);
            String indicator = "indicator--" + uuid("i" + ip);
            ObjectNode o = objects.addObject().put("type", "ipv4-addr").put("spec_version", "2.1")
                    .put("id", observable).put("value", ip);
            o.putArray("object_marking_refs").add(TLP);
            o.put("x_opencti_score", 60).put("x_opencti_description", "Listed by IPsum: seen on 3 blacklists.");
            o.putArray("x_opencti_labels").add("ipsum");
            o.put("x_opencti_created_by_ref", AUTHOR);
            reference(o.putArray("x_opencti_external_references"));

            ObjectNode i = objects.addObject().put("type", "indicator").put("spec_version", "2.1").put("id", indicator)
                    .put("created", NOW).put("modified", NOW).put("created_by_ref", AUTHOR).put("name", ip)
                    .put("description", "Listed by IPsum: seen on 3 blacklists.");
            i.putArray("indicator_types").add("malicious-activity");
            i.put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix")
                    .put("valid_from", NOW).put("valid_until", "2024-01-31T00:00:00.000Z");
            i.putArray("labels").add("ipsum");
            i.putArray("object_marking_refs").add(TLP);
            reference(i.putArray("external_references"));
            i.put("x_opencti_score", 60).put("x_opencti_main_observable_type", "IPv4-Addr");

            ObjectNode r = objects.addObject().put("type", "relationship").put("spec_version", "2.1")
                    .put("id", "relationship--" + uuid("r" + ip)).put("created", NOW).put("modified", NOW)
                    .put("relationship_type", "based-on").put("source_ref", indicator).put("target_ref", observable)
                    .put("created_by_ref", AUTHOR);
            r.putArray("object_marking_refs").add(TLP);
        }
        return bundle;
    }

    private static void reference(ArrayNode references) {
        references.addObject().put("source_name", "IPsum").put("url", "https://github.com/stamparm/ipsum")
                .put("description", "All lists are automatically retrieved and parsed on a daily (24h) basis.");
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
