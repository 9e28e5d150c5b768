import GRDB

/// The history's schema, as an ordered list of migrations. Never edit a shipped
/// migration: add a new one, so every existing database upgrades the same way.
enum Schema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: alerts, containers, full-text, checkpoints, rejects") { db in
            // Plain INTEGER PRIMARY KEY (no AUTOINCREMENT): a rowid alias, so inserts skip the
            // sqlite_sequence update.
            try db.execute(sql: """
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    time_ns INTEGER NOT NULL,
                    priority INTEGER NOT NULL,        -- Falco order: 0 Emergency ... 7 Debug
                    rule TEXT NOT NULL,
                    source TEXT,
                    hostname TEXT,
                    container_id TEXT NOT NULL,       -- 'host' when not in a container
                    proc_name TEXT,
                    user_name TEXT,
                    output TEXT NOT NULL,
                    raw TEXT NOT NULL,                -- the alert's JSON exactly as accepted
                    fingerprint INTEGER NOT NULL,     -- hash of raw: the same line is stored once
                    ingested_ns INTEGER NOT NULL,
                    origin TEXT                       -- which feed brought it
                );
                -- Dedupe key and time index in one: the same line has the same time, and keying
                -- by time first keeps inserts at the end of the index. A unique index on the
                -- random fingerprint alone dirtied a random page per insert, so every batch
                -- rewrote most of that index into the WAL.
                CREATE UNIQUE INDEX alerts_time_fingerprint ON alerts(time_ns, fingerprint);
                CREATE INDEX alerts_priority_time ON alerts(priority, time_ns);
                CREATE INDEX alerts_rule_time ON alerts(rule, time_ns);
                CREATE INDEX alerts_container_time ON alerts(container_id, time_ns);
                CREATE INDEX alerts_host_time ON alerts(hostname, time_ns);

                -- External-content FTS5 over the output text: the text is stored once, in alerts.
                -- Inserts are written explicitly by AlertStore.insert: an AFTER INSERT trigger
                -- measured three times slower. Deletes are rare (retention), a trigger is fine.
                CREATE VIRTUAL TABLE alerts_fts USING fts5(output, content='alerts', content_rowid='id');
                CREATE TRIGGER alerts_fts_delete AFTER DELETE ON alerts BEGIN
                    INSERT INTO alerts_fts(alerts_fts, rowid, output) VALUES ('delete', old.id, old.output);
                END;

                -- One row per container (and 'host') seen: names and images for lookups by name.
                CREATE TABLE containers (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    image TEXT,
                    hostname TEXT,
                    first_seen_ns INTEGER NOT NULL,
                    last_seen_ns INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX containers_name ON containers(name);

                -- Where each followed file was read up to; written in the same transaction as
                -- the alerts read before that point, so a restart neither loses nor repeats.
                CREATE TABLE follow_checkpoints (
                    path TEXT PRIMARY KEY,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    line_number INTEGER NOT NULL,
                    updated_ns INTEGER NOT NULL
                ) WITHOUT ROWID;

                -- Lines that were refused, kept (shortened, escaped) so they can be inspected.
                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    time_ns INTEGER NOT NULL,
                    origin TEXT,
                    line_number INTEGER,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    excerpt TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: acknowledgements and silences") { db in
            try db.execute(sql: """
                -- The console's acknowledgements: kept in the history so every operator sees them.
                CREATE TABLE acknowledgements (
                    alert_id INTEGER PRIMARY KEY,
                    acked_ns INTEGER NOT NULL,
                    who TEXT
                );
                -- A rule or a container muted until a time; alerts are still stored, only not shown as new.
                CREATE TABLE silences (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('rule', 'container')),
                    value TEXT NOT NULL,
                    until_ns INTEGER NOT NULL,
                    created_ns INTEGER NOT NULL,
                    who TEXT,
                    reason TEXT
                );
                CREATE INDEX silences_until ON silences(until_ns);
                """)
        }
        migrator.registerMigration("v3: follow checkpoints remember the bytes before their offset") { db in
            // Lets a restarted follower recognise the copy logrotate's copytruncate made.
            try db.execute(sql: "ALTER TABLE follow_checkpoints ADD COLUMN tail BLOB")
        }
        migrator.registerMigration("v4: audit log") { db in try Audit.createTables(db) }
        migrator.registerMigration("v5: notification outbox") { db in try Outbox.createTables(db) }
        migrator.registerMigration(ProcessingSchema.migrationName) { db in try ProcessingSchema.create(db) }
        migrator.registerMigration(FullTextBacklogSchema.migrationName) { db in try FullTextBacklogSchema.create(db) }
        migrator.registerMigration(CompactHistorySchema.migrationName) { db in try CompactHistorySchema.migrate(db) }
        migrator.registerMigration(OutputOutOfRowSchema.migrationName) { db in try OutputOutOfRowSchema.migrate(db) }
        migrator.registerMigration(AlertRows.migrationName) { db in try AlertRows.migrate(db) }
        migrator.registerMigration(ProcessingStore.migrationName) { db in try ProcessingStore.migrate(db) }
        migrator.registerMigration(ProcessingMirror.migrationName) { db in try ProcessingMirror.migrate(db) }
        return migrator
    }
}
