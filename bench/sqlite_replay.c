/*
 * Replays the history's insert statements (v8; v9 without the output text; v10's packed rows) in plain C, to
 * separate SQLite's share of the ingest cost from Swift's (docs/performance.md, "Where the
 * commit time goes").
 *
 *   make bench-sqlite            # all variants, history under /tmp
 *   .build/sqlite_replay DIR     # the same, with the scratch database in DIR (e.g. /dev/shm)
 *
 * 300,000 rows, 5,000 per transaction, WAL, synchronous=NORMAL, 64 MiB cache, autocheckpoint
 * at 4,000 pages: the settings AlertStore uses. Text is bound SQLITE_TRANSIENT, as AlertStore does.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { ROWS = 300000, BATCH = 5000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The page size of new scratch databases (AlertStore leaves SQLite's default, 4096). */
static int page_size = 4096;

static sqlite3 *open_scratch(const char *path) {
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) { fprintf(stderr, "cannot open %s\n", path); exit(1); }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA page_size=%d;", page_size);
    sqlite3_exec(db, pragma, 0, 0, 0);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                     "PRAGMA wal_autocheckpoint=4000;", 0, 0, 0);
    return db;
}

static void close_scratch(sqlite3 *db, const char *path) {
    char wal[4096];
    sqlite3_close(db);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

/* Runs one insert and readies the statement for the next row. */
static void step(sqlite3 *db, sqlite3_stmt *statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) { fprintf(stderr, "insert failed: %s\n", sqlite3_errmsg(db)); exit(1); }
    sqlite3_reset(statement);
}

/* Commits the last batch, closes and removes the scratch database; the seconds since t0.
 * The caller finalizes its statements first. */
static double finish(sqlite3 *db, const char *path, double t0) {
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    double seconds = now() - t0;
    close_scratch(db, path);
    return seconds;
}

/* The v8 alerts row, optionally without its unique index or its fts_backlog row. */
static double replay_v8(const char *path, int unique_index, int backlog) {
    sqlite3 *db = open_scratch(path);
    sqlite3_exec(db,
        "CREATE TABLE alerts (id INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, priority INTEGER NOT NULL,"
        " rule TEXT NOT NULL, source TEXT, hostname TEXT, container_id TEXT NOT NULL, proc_name TEXT, user_name TEXT,"
        " output TEXT NOT NULL, fingerprint INTEGER NOT NULL, ingested_ns INTEGER NOT NULL, origin TEXT,"
        " raw_chunk INTEGER, raw_offset INTEGER, raw_length INTEGER);"
        "CREATE TABLE fts_backlog (alert_id INTEGER PRIMARY KEY);", 0, 0, 0);
    if (unique_index) sqlite3_exec(db, "CREATE UNIQUE INDEX alerts_time_fingerprint ON alerts(time_ns, fingerprint);", 0, 0, 0);
    sqlite3_stmt *row, *queued;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO alerts (time_ns, priority, rule, source, hostname, container_id, proc_name,"
                           " user_name, output, fingerprint, ingested_ns, origin, raw_chunk, raw_offset, raw_length)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &row, 0);
    sqlite3_prepare_v2(db, "INSERT INTO fts_backlog(alert_id) VALUES (?)", -1, &queued, 0);
    const char *output = "Sensitive file opened for reading by non-trusted program (file=/etc/shadow user=root "
                         "command=python3 container=trading-7) some more text here";
    unsigned long long x = 88172645463325252ULL;
    double t0 = now();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    for (int i = 0; i < ROWS; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        sqlite3_bind_int64(row, 1, 1763800000000000000LL + i * 1000000LL + (long long)(x % 1000000));
        sqlite3_bind_int(row, 2, (int)(x % 8));
        sqlite3_bind_text(row, 3, "Read sensitive file untrusted", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 4, "syscall", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 5, "trade-host-01", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 6, "3ad7b26ded6d", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 7, "python3", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 8, "root", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(row, 9, output, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(row, 10, (long long)x);
        sqlite3_bind_int64(row, 11, 1763800000000000000LL);
        sqlite3_bind_text(row, 12, "bench", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(row, 13, i / 90);
        sqlite3_bind_int(row, 14, (i % 90) * 700);
        sqlite3_bind_int(row, 15, 700);
        step(db, row);
        if (backlog) {
            sqlite3_bind_int64(queued, 1, sqlite3_last_insert_rowid(db));
            step(db, queued);
        }
        if (i % BATCH == BATCH - 1) sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
    }
    sqlite3_finalize(row);
    sqlite3_finalize(queued);
    return finish(db, path, t0) / ROWS * 1e6;
}

/* The v9 alerts row: no output text, no per-alert backlog row. `integers` replaces the six
 * text columns with integer ids (rule, source, host, container, process, user, origin), the
 * layout the next step in docs/performance.md would need. */
static double replay_v9(const char *path, int integers) {
    sqlite3 *db = open_scratch(path);
    if (integers)
        sqlite3_exec(db,
            "CREATE TABLE alerts (id INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, priority INTEGER NOT NULL,"
            " rule INT, source INT, hostname INT, container_id INT, proc_name INT, user_name INT,"
            " fingerprint INTEGER NOT NULL, ingested_ns INTEGER NOT NULL, origin INT,"
            " raw_chunk INTEGER, raw_offset INTEGER, raw_length INTEGER);", 0, 0, 0);
    else
        sqlite3_exec(db,
            "CREATE TABLE alerts (id INTEGER PRIMARY KEY, time_ns INTEGER NOT NULL, priority INTEGER NOT NULL,"
            " rule TEXT NOT NULL, source TEXT, hostname TEXT, container_id TEXT NOT NULL, proc_name TEXT, user_name TEXT,"
            " fingerprint INTEGER NOT NULL, ingested_ns INTEGER NOT NULL, origin TEXT,"
            " raw_chunk INTEGER, raw_offset INTEGER, raw_length INTEGER);", 0, 0, 0);
    sqlite3_exec(db, "CREATE UNIQUE INDEX alerts_time_fingerprint ON alerts(time_ns, fingerprint);", 0, 0, 0);
    sqlite3_stmt *row;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO alerts (time_ns, priority, rule, source, hostname, container_id, proc_name,"
                           " user_name, fingerprint, ingested_ns, origin, raw_chunk, raw_offset, raw_length, id)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &row, 0);
    const char *texts[] = {"Read sensitive file untrusted", "syscall", "trade-host-01", "3ad7b26ded6d", "python3", "root"};
    unsigned long long x = 88172645463325252ULL;
    double t0 = now();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    for (int i = 0; i < ROWS; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        sqlite3_bind_int64(row, 1, 1763800000000000000LL + i * 1000000LL + (long long)(x % 1000000));
        sqlite3_bind_int(row, 2, (int)(x % 8));
        for (int c = 0; c < 6; c++) {
            if (integers) sqlite3_bind_int(row, 3 + c, (int)((x >> (c * 5)) % 50));
            else sqlite3_bind_text(row, 3 + c, texts[c], -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(row, 9, (long long)x);
        sqlite3_bind_int64(row, 10, 1763800000000000000LL);
        if (integers) sqlite3_bind_int(row, 11, 1); else sqlite3_bind_text(row, 11, "bench", -1, SQLITE_STATIC);
        sqlite3_bind_int64(row, 12, i / 90);
        sqlite3_bind_int(row, 13, (i % 90) * 700);
        sqlite3_bind_int(row, 14, 700);
        sqlite3_bind_int64(row, 15, i + 1);
        step(db, row);
        if (i % BATCH == BATCH - 1) sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
    }
    sqlite3_finalize(row);
    return finish(db, path, t0) / ROWS * 1e6;
}

/* A row of five integers, optionally with a blob of `blob` bytes. */
static double replay_plain(const char *path, int blob) {
    sqlite3 *db = open_scratch(path);
    sqlite3_exec(db, "CREATE TABLE a (id INTEGER PRIMARY KEY, t INT, p INT, r INT, c INT, h INT, raw BLOB);", 0, 0, 0);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "INSERT INTO a VALUES (NULL,?,?,?,?,?,?)", -1, &s, 0);
    char bytes[800];
    memset(bytes, 'x', sizeof bytes);
    unsigned long long x = 88172645463325252ULL;
    double t0 = now();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    for (int i = 0; i < ROWS; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        bytes[(x >> 3) % 690] = (char)('a' + x % 26);
        sqlite3_bind_int64(s, 1, 1763800000000000000LL + i * 1000000LL);
        sqlite3_bind_int(s, 2, (int)(x % 8));
        sqlite3_bind_int(s, 3, (int)((x >> 5) % 16));
        sqlite3_bind_int(s, 4, (int)((x >> 20) % 51));
        sqlite3_bind_int(s, 5, 1);
        if (blob) sqlite3_bind_blob(s, 6, bytes, blob, SQLITE_STATIC); else sqlite3_bind_int64(s, 6, i * 1000LL);
        step(db, s);
        if (i % BATCH == BATCH - 1) sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
    }
    sqlite3_finalize(s);
    return finish(db, path, t0) / ROWS * 1e6;
}

/* The v10 layout: 72-byte records packed 256 to an alert_rows row (per alert: µs). */
static double replay_v10(const char *path) {
    sqlite3 *db = open_scratch(path);
    sqlite3_exec(db, "CREATE TABLE alert_rows (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, count INTEGER NOT NULL,"
                     " min_time_ns INTEGER NOT NULL, max_time_ns INTEGER NOT NULL, records BLOB NOT NULL);"
                     "CREATE INDEX alert_rows_time ON alert_rows(max_time_ns, min_time_ns);", 0, 0, 0);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "INSERT INTO alert_rows VALUES (?,?,?,?,?,?)", -1, &s, 0);
    enum { PER_ROW = 256, RECORD = 72 };
    static unsigned char records[PER_ROW * RECORD];
    unsigned long long x = 88172645463325252ULL;
    double t0 = now();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    int id = 1;
    for (int i = 0; i < ROWS; i += PER_ROW) {
        int n = ROWS - i < PER_ROW ? ROWS - i : PER_ROW;
        for (int j = 0; j < n * RECORD; j += 8) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; memcpy(records + j, &x, 8); }
        long long t = 1763800000000000000LL + i * 1000000LL;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, id + n - 1);
        sqlite3_bind_int(s, 3, n);
        sqlite3_bind_int64(s, 4, t);
        sqlite3_bind_int64(s, 5, t + (n - 1) * 1000000LL);
        sqlite3_bind_blob(s, 6, records, n * RECORD, SQLITE_STATIC);
        step(db, s);
        id += n;
        /* Commits every BATCH alerts, as the other replays do. */
        if ((i / PER_ROW) % (BATCH / PER_ROW) == BATCH / PER_ROW - 1) sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
    }
    sqlite3_finalize(s);
    return finish(db, path, t0) / ROWS * 1e6;
}

/* Compressed raw-line chunks as the history writes them: ~11 KB blobs (64 KiB of lines at the
 * LZ4 ratio bench ingest prints), 50 per transaction; nanoseconds per byte. */
static double replay_chunks(const char *path) {
    sqlite3 *db = open_scratch(path);
    sqlite3_exec(db, "CREATE TABLE alert_chunks (id INTEGER PRIMARY KEY, codec INTEGER, size INTEGER, data BLOB);", 0, 0, 0);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "INSERT INTO alert_chunks (codec, size, data) VALUES (1, 65536, ?)", -1, &s, 0);
    enum { CHUNK = 11000, CHUNKS = 3000 };
    static char bytes[CHUNK];
    unsigned long long x = 88172645463325252ULL;
    double t0 = now();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    for (int i = 0; i < CHUNKS; i++) {
        for (int j = 0; j < CHUNK; j += 8) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; memcpy(bytes + j, &x, j + 8 <= CHUNK ? 8 : CHUNK - j); }
        sqlite3_bind_blob(s, 1, bytes, CHUNK, SQLITE_STATIC);
        step(db, s);
        if (i % 50 == 49) sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0);
    }
    sqlite3_finalize(s);
    return finish(db, path, t0) / ((double)CHUNK * CHUNKS) * 1e9;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/tradsec-sqlite-replay-%d.sqlite", dir, (int)getpid());
    printf("SQLite %s, %d rows, %d per transaction, in %s (µs per row)\n", sqlite3_libversion(), ROWS, BATCH, dir);
    printf("  v8 alerts row + fts_backlog row          %6.2f\n", replay_v8(path, 1, 1));
    printf("  ... without the unique (time, fp) index  %6.2f\n", replay_v8(path, 0, 1));
    printf("  ... without the fts_backlog row          %6.2f\n", replay_v8(path, 1, 0));
    printf("  v9 alerts row (no output, no backlog row) %5.2f\n", replay_v9(path, 0));
    printf("  ... text columns as integer ids          %6.2f\n", replay_v9(path, 1));
    printf("  v10: 72-byte records, 256 to a row       %6.2f  (per alert)\n", replay_v10(path));
    printf("  a row of five integers                   %6.2f\n", replay_plain(path, 0));
    printf("  five integers and a 300-byte blob        %6.2f\n", replay_plain(path, 300));
    printf("Page size (ns per byte of 11 KB chunk blobs; µs per v9 row):\n");
    for (page_size = 4096; page_size <= 65536; page_size *= 4)
        printf("  %5d-byte pages: chunks %5.2f ns/byte, v9 row %5.2f µs\n", page_size, replay_chunks(path), replay_v9(path, 0));
    return 0;
}
