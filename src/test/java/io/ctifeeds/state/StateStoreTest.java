package io.ctifeeds.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Page checkpoints: the journal beside the snapshot, and what a crash can leave of it. */
class StateStoreTest {

    @TempDir
    Path dir;

    private FileStateStore store() {
        FileStateStore store = new FileStateStore();
        store.setDirectory(dir.toString());
        return store;
    }

    @Test
    void checkpointsAddUpOverTheSnapshotUntilACommitFoldsThemIn() {
        FileStateStore store = store();
        Snapshot committed = new Snapshot();
        committed.put("1.1.1.1", new SnapshotEntry(40, 100));
        store.commit("f", FeedState.EMPTY, committed);

        store.checkpoint("f", List.of(Map.entry("2.2.2.2", new SnapshotEntry(60, 200))));
        store.checkpoint("f", List.of(Map.entry("1.1.1.1", new SnapshotEntry(80, 300)),
                Map.entry("3.3.3.3", new SnapshotEntry(255, 0))));
        Snapshot loaded = store.loadSnapshot("f");
        assertEquals(3, loaded.size());
        assertEquals(new SnapshotEntry(80, 300), loaded.get("1.1.1.1"), "the later checkpoint wins");
        assertEquals(new SnapshotEntry(255, 0), loaded.get("3.3.3.3"));

        store.commit("f", FeedState.EMPTY, loaded);
        assertFalse(Files.exists(dir.resolve("f.journal.tsv")));
        assertEquals(3, store.loadSnapshot("f").size());
    }

    @Test
    void aLineTornByACrashIsIgnoredAndCutOffBeforeTheNextCheckpoint() throws Exception {
        FileStateStore store = store();
        store.checkpoint("f", List.of(Map.entry("2.2.2.2", new SnapshotEntry(60, 200))));
        Path journal = dir.resolve("f.journal.tsv");
        Files.writeString(journal, "4.4.4.4\t6", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Snapshot loaded = store.loadSnapshot("f");
        assertEquals(1, loaded.size());
        assertTrue(loaded.contains("2.2.2.2"));

        store.checkpoint("f", List.of(Map.entry("5.5.5.5", new SnapshotEntry(20, 500))));
        assertEquals("2.2.2.2\t60\t200\n5.5.5.5\t20\t500\n", Files.readString(journal));
        assertEquals(2, store.loadSnapshot("f").size());
    }

    @Test
    void aMalformedCompleteLineIsAnErrorThatNamesTheFiles() throws Exception {
        Files.writeString(dir.resolve("f.journal.tsv"), "garbage\n2.2.2.2\t60\t200\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().loadSnapshot("f"));
        assertTrue(e.getMessage().contains("f.journal.tsv"), e.getMessage());
    }

    @Test
    void aResetForgetsTheJournalToo() {
        FileStateStore store = store();
        store.checkpoint("f", List.of(Map.entry("2.2.2.2", new SnapshotEntry(60, 200))));
        store.deleteAll();
        assertEquals(0, store.loadSnapshot("f").size());
    }
}
