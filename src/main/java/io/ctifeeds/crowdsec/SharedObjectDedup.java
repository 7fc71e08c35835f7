package io.ctifeeds.crowdsec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.ctifeeds.stix.StixObject;

/**
 * Remembers which shared objects ({@link MappedIp#shared()}) were already handed out, so that a technique or a
 * country referenced by thousands of IPs is sent once. Its lifetime is the dedup scope, chosen by the caller: one
 * per run sends each shared object once per run; one per bundle keeps every bundle self-contained (a bundle that
 * ends in the dead-letter folder then never leaves later bundles with dangling refs), at the cost of one copy per
 * bundle. The mapper itself keeps no state, so a label deleted in OpenCTI comes back, with its colour, on the
 * next run. Thread-safe: a parallel split may share one.
 */
public final class SharedObjectDedup {

    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

    /** The objects whose ids this dedup has not seen yet, in order; marks them as seen. */
    public List<StixObject> firstTime(List<? extends StixObject> shared) {
        List<StixObject> first = new ArrayList<>(shared.size());
        for (StixObject object : shared) {
            if (handedOut.add(object.id())) {
                first.add(object);
            }
        }
        return first;
    }

    /** How many distinct shared objects were handed out. */
    public int size() {
        return handedOut.size();
    }
}
