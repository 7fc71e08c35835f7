package io.ctifeeds.stix;

import java.util.ArrayList;
import java.util.List;

/** The objects gathered for one bundle while the aggregator fills it. */
public final class BundleParts {

    private final List<StixObject> objects = new ArrayList<>();

    public void addAll(List<? extends StixObject> more) {
        objects.addAll(more);
    }

    public List<StixObject> objects() {
        return objects;
    }

    public int size() {
        return objects.size();
    }
}
