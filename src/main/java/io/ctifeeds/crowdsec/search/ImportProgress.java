package io.ctifeeds.crowdsec.search;

import java.util.HashSet;
import java.util.Set;

/**
 * Where one CrowdSec import run stands while it pages through smoke/search: the page to fetch, how many IPs it
 * took (each costs a quota token), which IPs it has seen. It travels with the run's exchange as the
 * {@value #PROPERTY} property; the page loop runs on one thread.
 */
public final class ImportProgress {

    static final String PROPERTY = "ctiImport";

    private final int sinceHours;
    private final int maxPages;
    private String pageUrl;
    private int pages;
    private int taken;
    private final Set<String> seen = new HashSet<>();
    private final Set<String> fetched = new HashSet<>();

    /** @param maxPages the most pages a run fetches (what its threshold takes in full pages) */
    ImportProgress(String firstPage, int sinceHours, int maxPages) {
        this.pageUrl = firstPage;
        this.sinceHours = sinceHours;
        this.maxPages = maxPages;
    }

    int maxPages() {
        return maxPages;
    }

    int sinceHours() {
        return sinceHours;
    }

    /** The URL of the page being fetched, or null once the run has no page left to fetch. */
    public String pageUrl() {
        return pageUrl;
    }

    void nextPage(String url) {
        pageUrl = url;
    }

    int page() {
        return pages;
    }

    /** The current page came: its number. */
    int pageFetched() {
        fetched.add(pageUrl);
        return ++pages;
    }

    /** True when this run fetched that URL already (a next link that goes back). */
    boolean fetched(String url) {
        return fetched.contains(url);
    }

    int taken() {
        return taken;
    }

    void take() {
        taken++;
    }

    /** @return false when the run has seen this IP already (an earlier page had it) */
    boolean firstSighting(String ip) {
        return seen.add(ip);
    }
}
