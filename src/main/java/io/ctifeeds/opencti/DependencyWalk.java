package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * pycti's {@code enlist_element} walk (PROTOCOL §3.1 step 3) over one bundle: counts each object's
 * {@code nb_deps}, rewrites its refs, and lists the objects in post-order (dependencies first).
 *
 * <p><b>No recursion.</b> pycti recurses once per followed ref; a chain of refs as long as the
 * bundle is legal, so the walk keeps its own stack of {@link Frame}s, one per pycti call that has
 * not returned yet, and resumes a frame exactly where pycti's call would resume. Heap, not the
 * thread stack, bounds the depth.
 *
 * <p><b>State, named as in pycti.</b>
 * <ul>
 *   <li>{@code rawData}: id (and internal ids) to object, the last object of an id winning.</li>
 *   <li>{@code cacheIndex}: ids whose walk has finished (plus the internal ids of those objects);
 *       looking one up returns the object's current {@code nb_deps}. An object is registered only
 *       when its walk finishes, so an object in progress can be walked a second time (see below).</li>
 *   <li>{@code refsOf} ({@code cache_refs}): for each walked id, the refs it followed. A ref R of
 *       object X is a <i>back-dependency</i> when X is among the refs R followed; it is then not
 *       followed, which breaks two-object cycles.</li>
 *   <li>{@code path} ({@code parent_acc}): the refs followed from the top-level object down to the
 *       current frame. As in pycti, the top-level object's own id is not in it. A ref already on
 *       the path is not followed. pycti's list never holds an id twice (that test guards every
 *       append), so a set with add on push and remove on pop is the same list.</li>
 * </ul>
 *
 * <p><b>Cycles of three or more</b> (A→B→C→A, A the top-level object) are not caught by either
 * test at C→A, because A is not on the path and A has no ref to C. pycti then walks A a second
 * time inside the first walk: that inner walk finds B on the path, so it drops A's ref to B (a
 * {@code _ref} key becomes null, a {@code _refs} list loses it), sets A's {@code nb_deps} to its
 * partial count and registers A. The outer walk then finishes: it puts its own, larger count in
 * {@code nb_deps} and rewrites A's {@code _refs} lists again from its own kept refs, but it does
 * not restore a {@code _ref} the inner walk nulled, and it does not register A twice. This class
 * reproduces all of that, because every step below is pycti's, in pycti's order; the tests pin
 * the result.
 *
 * <p><b>Aliases.</b> Everything is keyed on the id string used to reach the object, as in pycti,
 * so an object first reached through its {@code x_opencti_id} is registered under that id and
 * its internal ids only; when the top-level loop later reaches it by its STIX id it is walked and
 * listed once more (pycti then sends it twice). Inputs we produce never ref an internal id.
 */
final class DependencyWalk {

    private static final String OPENCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba";
    private static final int PUSHED = -1;
    private static final String[] NO_KEYS = new String[0];

    private final List<ObjectNode> objects;
    private final boolean cleanupInconsistentBundle;
    private final Map<String, ObjectNode> rawData;
    private final Map<String, ObjectNode> cacheIndex;
    private final Map<String, Set<String>> refsOf;
    private final Set<String> path = new HashSet<>();
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private final EmbeddedListDedup embedded = new EmbeddedListDedup();
    private final List<String> keyScratch = new ArrayList<>();
    private final List<ObjectNode> elements;
    private final List<ObjectNode> incompatible = new ArrayList<>();

    /**
     * Indexes the bundle's objects (step 2).
     *
     * @throws IllegalArgumentException for an entry that is not an object or has no string id
     */
    DependencyWalk(JsonNode objectList, boolean cleanupInconsistentBundle) {
        int n = objectList.size();
        this.objects = new ArrayList<>(n);
        this.cleanupInconsistentBundle = cleanupInconsistentBundle;
        this.rawData = new HashMap<>(n * 2);
        this.cacheIndex = new HashMap<>(n * 2);
        this.refsOf = new HashMap<>(n * 2);
        this.elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonNode node = objectList.get(i);
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException("objects[" + i + "] is not an object");
            }
            String id = idOf(object, i);
            objects.add(object);
            rawData.put(id, object);
            for (String internalId : internalIds(object)) {
                rawData.put(internalId, object);
            }
        }
    }

    /** Walks every object from the top level, in bundle order. */
    void walkAll() {
        for (int i = 0; i < objects.size(); i++) {
            walkFromTop(idOf(objects.get(i), i));
        }
    }

    /** Compatible objects in post-order, each once per time pycti would list it. */
    List<ObjectNode> elements() {
        return elements;
    }

    /** Objects pycti's compatibility test rejects; they are not sent. */
    List<ObjectNode> incompatible() {
        return incompatible;
    }

    /** pycti's top-level {@code enlist_element(id, raw_data, cleanup, [])}. */
    private void walkFromTop(String id) {
        if (enter(id, false) != PUSHED) {
            return;
        }
        int returned = 0;
        boolean childReturned = false;
        while (true) {
            Frame frame = stack.peek();
            if (childReturned) {
                frame.acceptChild(returned);
                childReturned = false;
            }
            if (advance(frame)) {
                continue; // a child frame is now on top
            }
            returned = finish(frame);
            if (stack.isEmpty()) {
                return;
            }
            childReturned = true;
        }
    }

    /**
     * The head of pycti's {@code enlist_element}: 0 for an id not in the bundle, the cached
     * {@code nb_deps} for a finished one, else a new frame.
     *
     * @return the call's result, or {@link #PUSHED} when a frame was pushed
     */
    private int enter(String id, boolean onPath) {
        ObjectNode item = rawData.get(id);
        if (item == null) {
            return 0;
        }
        ObjectNode finished = cacheIndex.get(id);
        if (finished != null) {
            return finished.get("nb_deps").intValue();
        }
        stack.push(new Frame(id, item, refKeys(item), onPath));
        if (onPath) {
            path.add(id);
        }
        return PUSHED;
    }

    /**
     * Runs the frame's loop over its keys until it needs a child's result or has no keys left.
     *
     * @return true if a child frame was pushed
     */
    private boolean advance(Frame f) {
        while (true) {
            if (f.refs != null) {
                while (f.refIndex < f.refs.size()) {
                    JsonNode refNode = f.refs.get(f.refIndex++);
                    String ref = refText(f, f.refsKey, refNode);
                    if (followable(f.id, ref)) {
                        refsOf.computeIfAbsent(f.id, k -> new HashSet<>(8)).add(ref);
                        int result = enter(ref, true);
                        if (result == PUSHED) {
                            f.pendingRef = refNode;
                            return true;
                        }
                        f.nbDeps += result;
                        f.keep(ref, refNode);
                    }
                    // pycti re-assigns the key after every element, kept or not
                    f.item.set(f.refsKey, f.toKeep);
                }
                f.refs = null;
            }
            if (f.keyIndex == f.keys.length) {
                return false;
            }
            String key = f.keys[f.keyIndex++];
            JsonNode value = f.item.get(key); // read now: an inner walk of this object may have changed it
            if (key.endsWith("_refs")) {
                if (value != null && !value.isNull()) {
                    if (!value.isArray()) {
                        throw new IllegalArgumentException(f.id + ": " + key + " is not a list");
                    }
                    if (!value.isEmpty()) {
                        f.startRefs(key, (ArrayNode) value);
                    }
                }
            } else if (key.endsWith("_ref")) {
                String ref = value == null || value.isNull() ? null : refText(f, key, value);
                if (ref != null && followable(f.id, ref)) {
                    refsOf.computeIfAbsent(f.id, k -> new HashSet<>(8)).add(ref);
                    int result = enter(ref, true);
                    if (result == PUSHED) {
                        f.pendingRef = null;
                        return true;
                    }
                    f.nbDeps += result;
                } else {
                    f.item.putNull(key);
                }
            } else if (value != null && !value.isNull()) {
                f.item.set(key, key.equals("external_references")
                        ? embedded.externalReferences(f.id, value)
                        : embedded.killChainPhases(f.id, value));
            }
        }
    }

    /**
     * pycti's test for following a ref (the same for {@code _ref} and {@code _refs}; a null
     * {@code _ref} never gets here).
     */
    private boolean followable(String itemId, String ref) {
        if (!SupportedTypes.isIdSupported(ref)) {
            return false;
        }
        if (cleanupInconsistentBundle && !rawData.containsKey(ref)) {
            return false;
        }
        if (path.contains(ref) || ref.equals(itemId)) {
            return false;
        }
        Set<String> followedByRef = refsOf.get(ref);
        return followedByRef == null || !followedByRef.contains(itemId); // not a back-dependency
    }

    /** The tail of pycti's {@code enlist_element}: store nb_deps, classify, register. */
    private int finish(Frame f) {
        f.item.put("nb_deps", f.nbDeps); // appended as last key, or updated in place on a second walk
        if (!cacheIndex.containsKey(f.id)) {
            (isCompatible(f.id, f.item) ? elements : incompatible).add(f.item);
            cacheIndex.put(f.id, f.item);
            for (String internalId : internalIds(f.item)) {
                cacheIndex.put(internalId, f.item);
            }
        }
        stack.pop();
        if (f.onPath) {
            path.remove(f.id);
        }
        return f.nbDeps;
    }

    /**
     * pycti's compatibility test. Deviation: pycti raises KeyError (aborting the whole send) for a
     * relationship without a {@code source_ref}/{@code target_ref} key or a sighting without
     * {@code sighting_of_ref}/{@code where_sighted_refs}; here such an object is incompatible,
     * like one whose key is null.
     */
    private static boolean isCompatible(String id, ObjectNode item) {
        JsonNode type = item.get("type");
        if (type == null) {
            throw new IllegalArgumentException(id + ": object has no type");
        }
        String t = type.textValue();
        if ("relationship".equals(t)) {
            return present(item.get("source_ref")) && present(item.get("target_ref"));
        }
        if ("sighting".equals(t)) {
            JsonNode whereSighted = item.get("where_sighted_refs");
            return present(item.get("sighting_of_ref"))
                    && whereSighted != null && whereSighted.isArray() && !whereSighted.isEmpty();
        }
        return SupportedTypes.isIdSupported(id); // the id used to reach it, as in pycti
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    /**
     * pycti's {@code get_internal_ids_in_extension}: a truthy {@code x_opencti_id}, and a truthy
     * id in the OpenCTI extension. Only string ids are returned: pycti would index a non-string
     * one too, but under a key no string ref can ever look up.
     */
    private static List<String> internalIds(ObjectNode item) {
        JsonNode xOpenctiId = item.get("x_opencti_id");
        JsonNode extensionId = item.path("extensions").path(OPENCTI_EXTENSION).path("id");
        boolean hasX = xOpenctiId != null && xOpenctiId.isTextual() && !xOpenctiId.textValue().isEmpty();
        boolean hasExt = extensionId.isTextual() && !extensionId.textValue().isEmpty();
        if (!hasX && !hasExt) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(2);
        if (hasX) {
            ids.add(xOpenctiId.textValue());
        }
        if (hasExt) {
            ids.add(extensionId.textValue());
        }
        return ids;
    }

    private static String idOf(ObjectNode object, int index) {
        JsonNode id = object.get("id");
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("objects[" + index + "] has no string id");
        }
        return id.textValue();
    }

    /** pycti fails with a TypeError on a non-string ref; we fail too, with a readable message. */
    private static String refText(Frame f, String key, JsonNode ref) {
        if (!ref.isTextual()) {
            throw new IllegalArgumentException(f.id + ": " + key + " holds a non-string ref " + ref);
        }
        return ref.textValue();
    }

    /**
     * The snapshot pycti takes with {@code list(item.keys())}, keeping only the keys its loop acts
     * on; the others it skips, so their order does not matter.
     */
    private String[] refKeys(ObjectNode item) {
        keyScratch.clear();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            String key = field.getKey();
            if (key.endsWith("_ref") || key.endsWith("_refs")
                    || key.equals("external_references") || key.equals("kill_chain_phases")) {
                keyScratch.add(key);
            }
        }
        return keyScratch.isEmpty() ? NO_KEYS : keyScratch.toArray(NO_KEYS);
    }

    /** One pycti {@code enlist_element} call that has not returned yet. */
    private static final class Frame {
        private static final int SMALL = 16;

        final String id;
        final ObjectNode item;
        final String[] keys;
        final boolean onPath;
        int keyIndex;
        int nbDeps = 1;

        // the _refs list being walked: pycti's loop variables
        String refsKey;
        ArrayNode refs;
        int refIndex;
        ArrayNode toKeep;
        Set<String> keptLarge; // membership for long lists; short ones are scanned

        /** The ref element whose child frame is running; null when a single _ref is. */
        JsonNode pendingRef;

        Frame(String id, ObjectNode item, String[] keys, boolean onPath) {
            this.id = id;
            this.item = item;
            this.keys = keys;
            this.onPath = onPath;
        }

        void startRefs(String key, ArrayNode list) {
            refsKey = key;
            refs = list;
            refIndex = 0;
            toKeep = item.arrayNode();
            keptLarge = null;
        }

        /** Resumes after the child frame returned {@code result}. */
        void acceptChild(int result) {
            nbDeps += result;
            if (refs != null) {
                keep(pendingRef.textValue(), pendingRef);
                item.set(refsKey, toKeep);
            }
        }

        /** pycti: {@code if element_ref not in to_keep: to_keep.append(element_ref)}. */
        void keep(String ref, JsonNode refNode) {
            if (keptLarge != null) {
                if (keptLarge.add(ref)) {
                    toKeep.add(refNode);
                }
                return;
            }
            for (int i = 0, n = toKeep.size(); i < n; i++) {
                if (toKeep.get(i).textValue().equals(ref)) {
                    return;
                }
            }
            toKeep.add(refNode);
            if (toKeep.size() > SMALL) {
                keptLarge = new HashSet<>();
                for (JsonNode kept : toKeep) {
                    keptLarge.add(kept.textValue());
                }
            }
        }
    }
}
