package io.ctifeeds.iplist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import io.ctifeeds.feed.DownloadGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The count before anything is sent: distinct listed IPs and blocks as the run will read them, and rejects. */
class IpListCountTest {

    @TempDir
    Path dir;

    @Test
    void distinctAddressesAndBlocksAreCountedOnceAndRejectsApart() throws Exception {
        Path download = dir.resolve("list.txt");
        Files.writeString(download, String.join("\n",
                "# a comment",
                "1.2.3.4",
                "1.2.3.4\t7",
                "001.002.003.004 ; leading zeros: octal to some readers, refused",
                "255.255.255.254",
                "0.0.0.1",
                "10.0.0.1",
                "2001:db8:1::1",
                "2a00:1450:4001:80b::200e",
                "2A00:1450:4001:80B::200E",
                "1.10.16.0/20 ; SBL256894",
                "1.10.16.0/20",
                "64.0.0.0/2",
                "not an ip",
                "129.0.0.1",
                "128.255.255.255") + "\n");
        IpListFeed feed = new IpListFeed();
        feed.setSkipNonPublic(true);

        DownloadGuard.Listed listed = feed.count(download);

        // 1.2.3.4, 255.255.255.254 is reserved (skipped), 0.0.0.1 and 10.0.0.1 and 2001:db8:: skipped; the v6 address
        // once whatever its case, the /20 once, 129.0.0.1 and 128.255.255.255 (the high bit set: negative as an int)
        assertEquals(5, listed.ips(), listed.toString());
        assertEquals(3, listed.rejected(), "leading zeros, a block wider than /8, a line that is no IP: " + listed);
    }
}
