package io.ctifeeds.bundle;

import io.ctifeeds.stix.StixObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The objects gathered for one bundle while the aggregator fills it, each id once: records that share an object
 * (a label, a technique, a country) each bring it, and the bundle keeps the first, so every bundle stays
 * self-contained without carrying a shared object twice.
 */
public final class BundleParts {

    private final List<StixObject> objects = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public void addAll(List<? extends StixObject> more) {
        for (StixObject object : more) {
            if (ids.add(object.id())) {
                objects.add(object);
            }
        }
    }

    /** How many of these objects the bundle does not hold yet. */
    public int countNew(List<? extends StixObject> more) {
        int n = 0;
        Set<String> counted = more.size() > 1 ? new HashSet<>() : Set.of();
        for (StixObject object : more) {
            if (!ids.contains(object.id()) && (more.size() == 1 || counted.add(object.id()))) {
                n++;
            }
        }
        return n;
    }

    public List<StixObject> objects() {
        return objects;
    }

    public int size() {
        return objects.size();
    }
}
