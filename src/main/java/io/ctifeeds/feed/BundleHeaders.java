package io.ctifeeds.feed;

/** Headers of a bundle on its way to a sink (the contract of direct:deliver). */
public final class BundleHeaders {

    /** number of STIX objects in the bundle */
    public static final String OBJECTS = "ctiBundleObjects";
    /** the bundle's file name in the directory sink */
    public static final String FILE_NAME = "CamelFileName";

    private BundleHeaders() {
    }
}
