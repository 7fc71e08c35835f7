package io.ctifeeds.iplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.ip.IpValue;
import io.ctifeeds.iplist.ListLine.Entry;
import io.ctifeeds.iplist.ListLine.Ignored;
import io.ctifeeds.iplist.ListLine.Rejected;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.ctifeeds.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Parses the real upstream snapshots in src/test/resources/fixtures/ipsum. Every expected number is
 * taken from that folder's README.md.
 */
class IpsumFixtureTest {

    private static final Path FIXTURES = Fixtures.path("ipsum");

    @Test
    void levels1ParsesCompletely() throws IOException {
        Parsed parsed = parse("levels_1.txt");
        assertEquals(List.of(), parsed.rejected);
        assertEquals(0, parsed.ignored);
        assertEquals(120_430, parsed.entries.size());
        assertTrue(parsed.entries.stream().allMatch(e -> e.count() == null), "level files carry no count");
        // README: "no duplicates" and "no private or reserved addresses"
        assertEquals(120_430, parsed.entries.stream().map(Entry::ip).collect(Collectors.toSet()).size());
        assertEquals(List.of(), parsed.entries.stream()
                .filter(e -> e.ip().nonPublicReason().isPresent())
                .map(e -> e.ip() + " " + e.ip().nonPublicReason().orElseThrow())
                .toList());
        printThroughput(Files.readAllLines(FIXTURES.resolve("levels_1.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void ipsumHead2000ParsesCompletely() throws IOException {
        Parsed parsed = parse("ipsum_head2000.txt");
        assertEquals(List.of(), parsed.rejected);
        assertEquals(7, parsed.ignored);
        assertEquals(2000, parsed.entries.size());
        // README: counts 10 down to 4 only, strictly grouped by count, descending
        int previous = Integer.MAX_VALUE;
        for (Entry entry : parsed.entries) {
            assertTrue(entry.count() >= 4 && entry.count() <= 10, entry.toString());
            assertTrue(entry.count() <= previous, "not descending at " + entry);
            previous = entry.count();
        }
    }

    @Test
    void sampleByCountHasThreeLinesPerCount() throws IOException {
        Parsed parsed = parse("ipsum_sample_by_count.txt");
        assertEquals(List.of(), parsed.rejected);
        assertEquals(7, parsed.ignored);
        Map<Integer, Long> perCount = new TreeMap<>();
        for (Entry entry : parsed.entries) {
            perCount.merge(entry.count(), 1L, Long::sum);
        }
        Map<Integer, Long> expected = new TreeMap<>();
        for (int count = 1; count <= 10; count++) {
            expected.put(count, 3L);
        }
        assertEquals(expected, perCount);
    }

    @Test
    void smallLevelFilesParseAndLevel8IsTheCountAtLeast8SubsetInOrder() throws IOException {
        Parsed level5 = parse("levels_5.txt");
        assertEquals(List.of(), level5.rejected);
        assertEquals(1413, level5.entries.size());

        Parsed level8 = parse("levels_8.txt");
        assertEquals(List.of(), level8.rejected);
        assertEquals(23, level8.entries.size());
        // README: levels/N.txt equals ipsum.txt filtered to count >= N, in the same order; the
        // 23 IPs with count >= 8 all fall in the first 2000 data lines.
        List<IpValue> fromIpsum = parse("ipsum_head2000.txt").entries.stream()
                .filter(e -> e.count() >= 8).map(Entry::ip).toList();
        assertEquals(fromIpsum, level8.entries.stream().map(Entry::ip).toList());
        assertTrue(new HashSet<>(level5.entries.stream().map(Entry::ip).toList()).containsAll(fromIpsum));
    }

    private record Parsed(List<Entry> entries, int ignored, List<Rejected> rejected) {
    }

    private static Parsed parse(String file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int ignored = 0;
        for (String line : Files.readAllLines(FIXTURES.resolve(file), StandardCharsets.UTF_8)) {
            ListLine result = ListLine.parse(line);
            if (result instanceof Entry entry) {
                entries.add(entry);
            } else if (result instanceof Rejected reject) {
                rejected.add(reject);
            } else if (result instanceof Ignored) {
                ignored++;
            }
        }
        return new Parsed(entries, ignored, rejected);
    }

    /** A sanity print, not an assertion: a few warm passes, best one reported. */
    private static void printThroughput(List<String> lines) {
        long best = Long.MAX_VALUE;
        int entries = 0;
        for (int pass = 0; pass < 8; pass++) {
            long start = System.nanoTime();
            entries = 0;
            for (String line : lines) {
                if (ListLine.parse(line) instanceof Entry) {
                    entries++;
                }
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("IpsumLine.parse over levels_1.txt: %d lines (%d entries) in %.1f ms = %.0f lines/s (%.0f ns/line)%n",
                lines.size(), entries, best / 1e6, lines.size() / (best / 1e9), (double) best / lines.size());
    }
}
