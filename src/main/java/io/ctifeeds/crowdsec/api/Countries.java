package io.ctifeeds.crowdsec.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ISO 3166-1 countries by alpha-2 code, from the table shipped next to this class. A fixed table rather than
 * {@link Locale#getDisplayCountry}: the JDK's names follow CLDR and change between releases ("Turkey" became
 * "Türkiye"), and a name change would change every Location id (pycti keys a Country on its name).
 */
public final class Countries {

    /**
     * @param alpha2       e.g. "FR"
     * @param alpha3       e.g. "FRA"
     * @param name         ISO short name, e.g. "France", as pycountry (and so the official connector) names it
     * @param officialName e.g. "French Republic", or null
     */
    public record Country(String alpha2, String alpha3, String name, String officialName) {

        /** Other names the platform may already know this country by. */
        public List<String> aliases() {
            List<String> aliases = new ArrayList<>(3);
            aliases.add(alpha2);
            aliases.add(alpha3);
            if (officialName != null && !officialName.equals(name)) {
                aliases.add(officialName);
            }
            return aliases;
        }
    }

    private static final Map<String, Country> BY_ALPHA2 = load("iso3166-1.tsv");

    private Countries() {
    }

    /** The country with this alpha-2 code (any case, no surrounding space), if ISO 3166-1 has one. */
    public static Optional<Country> byAlpha2(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(BY_ALPHA2.get(code.toUpperCase(Locale.ROOT)));
    }

    private static Map<String, Country> load(String resource) {
        try (InputStream in = Countries.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " next to " + Countries.class);
            }
            Map<String, Country> countries = new HashMap<>(512);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                countries.put(f[0], new Country(f[0], f[1], f[2], f.length > 3 && !f[3].isEmpty() ? f[3] : null));
            }
            return Map.copyOf(countries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
