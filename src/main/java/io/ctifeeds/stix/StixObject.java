package io.ctifeeds.stix;
/** A STIX 2.1 object we emit; serialised with Jackson. */
public interface StixObject {
    String type();
    String id();
}
