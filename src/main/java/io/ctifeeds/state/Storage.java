package io.ctifeeds.state;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where every store keeps its state (the feeds' snapshots, CrowdSec's lookup cache and budget): files in the state
 * folder under connector.data-path, or the database the replicas share with CONNECTOR_STATE_STORE=postgresql.
 * Each store asks here which, so that they never disagree (one replica's budget in a file while the snapshots are
 * shared would spend the quota once per replica).
 *
 * <p>Made before the route files are read, so that their beans can be given it, and told which once the
 * properties are read (CtiFeedsConfiguration): a store is made on first use, after that.
 */
public final class Storage {

    private volatile Path directory;
    private volatile SharedDatabase database;

    /** State in files in this folder. */
    public void useFiles(Path directory) {
        this.directory = directory;
        this.database = null;
    }

    /** State in the shared database. */
    public void useDatabase(SharedDatabase database) {
        this.database = database;
        this.directory = null;
    }

    /** The store of the chosen kind: {@code files} given the state folder, or {@code database} given the database. */
    public <T> T choose(Function<Path, T> files, Function<SharedDatabase, T> database) {
        SharedDatabase db = this.database;
        if (db != null) {
            return database.apply(db);
        }
        Path dir = this.directory;
        if (dir == null) {
            throw new IllegalStateException("the state storage is not chosen yet (CtiFeedsConfiguration chooses it)");
        }
        return files.apply(dir);
    }
}
