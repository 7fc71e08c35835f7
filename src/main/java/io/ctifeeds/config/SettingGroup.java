package io.ctifeeds.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings of one part of the application, found by {@link ConfigurationCheck} through
 * {@link java.util.ServiceLoader} (META-INF/services), so that the check knows every part without depending on it.
 */
public interface SettingGroup {

    List<Setting> settings();

    /** Problems that involve several settings of the group at once; none by default. */
    default List<String> crossCheck(Function<String, Optional<String>> lookup) {
        return List.of();
    }
}
