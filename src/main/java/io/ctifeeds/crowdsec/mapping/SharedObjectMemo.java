package io.ctifeeds.crowdsec.mapping;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.ctifeeds.stix.StixObject;

/**
 * The shared objects the mapper already built (a technique, a country, a label, a technique-targets-country
 * relationship): thousands of IPs bring the same few, and building one means hashing its canonical JSON for its
 * id. Bounded: past the limit it starts again, which costs time, never correctness (the objects are immutable and
 * the same whenever built).
 */
final class SharedObjectMemo {

    private final int limit;
    private final Map<Object, StixObject> built = new ConcurrentHashMap<>();

    SharedObjectMemo(int limit) {
        this.limit = limit;
    }

    @SuppressWarnings("unchecked")
    <T extends StixObject> T get(Object key, Supplier<T> make) {
        StixObject object = built.get(key);
        if (object == null) {
            if (built.size() >= limit) {
                built.clear();
            }
            object = make.get();
            built.put(key, object);
        }
        return (T) object;
    }
}
