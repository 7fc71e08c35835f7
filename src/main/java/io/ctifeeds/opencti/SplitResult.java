package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What pycti's {@code split_bundle_with_expectations} returns.
 *
 * @param bundleId          the id every split bundle carries: the input's, or a new random one
 * @param bundles           one bundle per compatible object, in sending order ({@code action_sequence}
 *                          is the position + 1)
 * @param incompatibleItems objects pycti drops: relationships without source or target, sightings
 *                          without sighting_of_ref or where_sighted_refs, objects of unsupported types
 */
public record SplitResult(JsonNode bundleId, List<SplitBundle> bundles, List<ObjectNode> incompatibleItems) {

    public SplitResult {
        bundles = List.copyOf(bundles);
        incompatibleItems = List.copyOf(incompatibleItems);
    }

    /** pycti's {@code number_expectations}, the count to register with {@code addExpectations}. */
    public int expectations() {
        return bundles.size();
    }
}
