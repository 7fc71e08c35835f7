package io.ctifeeds.crowdsec.api;

import java.util.List;

/**
 * One {@code smoke/search} page ({@code {"_links": {...}, "items": [...]}}), parsed by {@link CtiParser#parsePage}.
 *
 * @param records    the usable items, first occurrence of each IP, in page order
 * @param rejected   the unusable items with their position in {@code items}
 * @param duplicates items whose IP an earlier item of the same page already had (dropped)
 * @param nextHref   {@code _links.next.href} as sent (may be relative: resolve it against the request URL), or
 *                   null when there is no next page
 * @param problem    why the page as a whole carried no items (not an object, no {@code items} array), or null
 */
public record CtiPage(List<CtiRecord> records, List<Reject> rejected, int duplicates, String nextHref,
                      String problem) {

    public CtiPage {
        records = List.copyOf(records);
        rejected = List.copyOf(rejected);
    }

    /** An item of {@code items} that could not be used, by index, with a reason that does not echo the input. */
    public record Reject(int index, String reason) {
    }
}
