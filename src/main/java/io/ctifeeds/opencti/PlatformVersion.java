package io.ctifeeds.opencti;

/** The platform version from about { version }, to pick the registration fields it accepts. */
record PlatformVersion(int major, int minor, int patch) {

    /** An unreadable version is taken as the newest: the fields of the schema we validate against. */
    static PlatformVersion parse(String version) {
        String[] parts = version == null ? new String[0] : version.trim().split("[.\\-]");
        try {
            return new PlatformVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            return new PlatformVersion(Integer.MAX_VALUE, 0, 0);
        }
    }

    boolean atLeast(int maj, int min, int pat) {
        if (major != maj) {
            return major > maj;
        }
        if (minor != min) {
            return minor > min;
        }
        return patch >= pat;
    }
}
