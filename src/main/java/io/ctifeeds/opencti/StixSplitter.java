package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * pycti's {@code OpenCTIStix2Splitter.split_bundle_with_expectations} (pycti 6.8.10 to 6.9.17,
 * PROTOCOL §3.1) with {@code use_json=False} and no {@code event_version}: one bundle per object,
 * dependencies first, each object's refs cleaned and its {@code nb_deps} counted.
 *
 * <p>The input objects are modified in place, as pycti modifies its parsed dicts: refs lists are
 * rewritten, dropped single refs set to null, embedded lists de-duplicated, {@code nb_deps}
 * appended. The {@link SplitBundle}s share those object nodes. Pass a deep copy to keep the input.
 *
 * <p>Not reproduced: {@code x_opencti_event_version} (only live-stream connectors pass one), and
 * the "too large" bucket of newer pycti ({@code objects_max_deps}, off by default).
 */
public final class StixSplitter {

    private static final Comparator<SplitBundle> BY_NB_DEPS = Comparator.comparingInt(SplitBundle::seq);

    private StixSplitter() {
    }

    /** {@link #split(ObjectNode, boolean)} with {@code cleanup_inconsistent_bundle=False}, pycti's default. */
    public static SplitResult split(ObjectNode bundle) {
        return split(bundle, false);
    }

    /**
     * @param cleanupInconsistentBundle also drop refs to ids that are not in the bundle
     * @throws IllegalArgumentException where pycti raises: no {@code objects}, an object without a
     *         string id or without a type, a non-string ref, a refs value that is not a list
     */
    public static SplitResult split(ObjectNode bundle, boolean cleanupInconsistentBundle) {
        JsonNode objects = bundle.get("objects");
        if (objects == null || !objects.isArray()) {
            throw new IllegalArgumentException("File data is not a valid bundle");
        }
        // only an absent id is replaced; pycti keeps an explicit null
        JsonNode bundleId = bundle.has("id") ? bundle.get("id") : TextNode.valueOf("bundle--" + UUID.randomUUID());

        DependencyWalk walk = new DependencyWalk(objects, cleanupInconsistentBundle);
        walk.walkAll();

        List<ObjectNode> elements = walk.elements();
        List<SplitBundle> bundles = new ArrayList<>(elements.size());
        for (ObjectNode element : elements) {
            bundles.add(new SplitBundle(bundleId, element.get("nb_deps").intValue(), element));
        }
        // List.sort is a stable merge sort, like Python's: equal nb_deps keep post-order
        bundles.sort(BY_NB_DEPS);
        return new SplitResult(bundleId, bundles, walk.incompatible());
    }
}
