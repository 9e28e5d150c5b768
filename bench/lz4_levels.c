/*
 * How fast LZ4 compresses the history's own raw-line chunks, at the default and at higher
 * accelerations, and what each costs in ratio (docs/performance.md, "tried and left out").
 *
 *   .build/release/tradsec bench ingest --count 200000 --db /tmp/h.sqlite
 *   make bench-lz4 DB=/tmp/h.sqlite
 *
 * Reads up to 400 chunks, decompresses them, and compresses each five times per setting.
 */
#include <lz4.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s HISTORY.sqlite\n", argv[0]); return 2; }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT size, data FROM alert_chunks WHERE codec = 1 ORDER BY id LIMIT 400", -1, &s, 0) != SQLITE_OK) {
        fprintf(stderr, "%s: no alert_chunks table (not a tradsec history?)\n", argv[1]);
        return 1;
    }
    static char *chunks[400];
    static int sizes[400];
    int n = 0;
    while (n < 400 && sqlite3_step(s) == SQLITE_ROW) {
        int size = sqlite3_column_int(s, 0);
        chunks[n] = malloc(size);
        if (LZ4_decompress_safe(sqlite3_column_blob(s, 1), chunks[n], sqlite3_column_bytes(s, 1), size) != size) { free(chunks[n]); continue; }
        sizes[n++] = size;
    }
    if (n == 0) { fprintf(stderr, "%s: no compressed chunks\n", argv[1]); return 1; }
    int bound = LZ4_compressBound(1 << 17);
    char *out = malloc(bound);
    printf("LZ4 %s, %d chunks\n", LZ4_versionString(), n);
    for (int acceleration = 1; acceleration <= 4; acceleration *= 2) {
        long in = 0, compressed = 0;
        double t0 = now();
        for (int rep = 0; rep < 5; rep++)
            for (int i = 0; i < n; i++) {
                in += sizes[i];
                compressed += LZ4_compress_fast(chunks[i], out, sizes[i], bound, acceleration);
            }
        double seconds = now() - t0;
        printf("  acceleration %d: %4.0f MB/s, ratio %.2f\n", acceleration, in / seconds / 1e6, (double)in / compressed);
    }
    return 0;
}
