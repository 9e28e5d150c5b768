/* Runs the alerts virtual table over damaged packed rows under ASan/UBSan: every query must
 * end (an error or rows), never with undefined behaviour. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "CAlertRows.h"

static void put32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }

static int failures = 0;

/* A history with one packed row: first_id `first` (as SQL text, so it can be anything) and
 * `count` records whose deltas are `deltas[i]`, times `times[i]`, text ids `text`. */
static sqlite3 *history(const char *first, int count, const uint32_t *deltas, const int64_t *times, uint32_t text, int extraBytes) {
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    tradsec_register_alerts_module(db);
    sqlite3_exec(db, "CREATE TABLE alert_rows (first_id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, count INTEGER NOT NULL,"
                     " min_time_ns INTEGER NOT NULL, max_time_ns INTEGER NOT NULL, records BLOB NOT NULL);"
                     "CREATE TABLE alert_texts (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL UNIQUE, newest_id INTEGER NOT NULL);"
                     "INSERT INTO alert_texts (text, newest_id) VALUES ('rule', 1);"
                     "CREATE VIRTUAL TABLE alerts USING tradsec_alerts;", 0, 0, 0);
    int bytes = count * TRADSEC_ALERT_RECORD_SIZE + extraBytes;
    unsigned char records[16 * TRADSEC_ALERT_RECORD_SIZE + 64];
    memset(records, 0, sizeof records);
    for (int i = 0; i < count; i++) {
        unsigned char *r = records + i * TRADSEC_ALERT_RECORD_SIZE;
        put64(r + TRADSEC_AR_TIME, (uint64_t)times[i]);
        put32(r + TRADSEC_AR_ID_DELTA, deltas[i]);
        for (int f = TRADSEC_AR_RULE; f <= TRADSEC_AR_ORIGIN; f += 4) put32(r + f, text);
        put32(r + TRADSEC_AR_CHUNK, UINT32_MAX);
        put32(r + TRADSEC_AR_OFFSET, UINT32_MAX);
        put32(r + TRADSEC_AR_LENGTH, UINT32_MAX);
        r[TRADSEC_AR_PRIORITY] = 255;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO alert_rows VALUES (%s, 9223372036854775807, -1, -9223372036854775808, 9223372036854775807, ?)", first);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, sql, -1, &insert, 0);
    sqlite3_bind_blob(insert, 1, records, bytes, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) { printf("setup failed: %s\n", sqlite3_errmsg(db)); failures++; }
    sqlite3_finalize(insert);
    return db;
}

static const char *const queries[] = {
    "SELECT * FROM alerts",
    "SELECT * FROM alerts ORDER BY id DESC",
    "SELECT * FROM alerts WHERE id = 9223372036854775807",
    "SELECT * FROM alerts WHERE id = -9223372036854775808",
    "SELECT * FROM alerts WHERE id IN (1, 2, 9223372036854775806)",
    "SELECT * FROM alerts WHERE id > 9223372036854775806 ORDER BY id DESC",
    "SELECT * FROM alerts WHERE id < -9223372036854775807",
    "SELECT * FROM alerts WHERE id >= 3 AND id <= 9223372036854775807",
    "SELECT * FROM alerts WHERE id > 1e300 OR id < -1e300",
    "SELECT * FROM alerts WHERE time_ns >= 9223372036854775807 AND time_ns <= -9223372036854775808",
    "SELECT * FROM alerts WHERE time_ns BETWEEN -9223372036854775808 AND 9223372036854775807 ORDER BY id DESC",
    "SELECT count(*), sum(raw_offset + raw_length) FROM alerts",
};

/* Runs every query; `damaged` says whether each must fail with a message naming the row. */
static void check(const char *name, sqlite3 *db, int damaged) {
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        sqlite3_stmt *statement;
        if (sqlite3_prepare_v2(db, queries[q], -1, &statement, 0) != SQLITE_OK) { printf("%s: cannot prepare %s\n", name, queries[q]); failures++; continue; }
        int rc, rows = 0;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
            rows++;
            for (int c = 0; c < sqlite3_column_count(statement); c++) (void)sqlite3_column_text(statement, c);
        }
        const char *message = sqlite3_errmsg(db);
        if (rc != SQLITE_DONE && !strstr(message, "alert_rows row")) {
            printf("%s: %s: error without the row: %s\n", name, queries[q], message); failures++;
        }
        /* A query whose bounds exclude the damaged row may succeed; the full scans may not. */
        if (damaged && q < 2 && rc == SQLITE_DONE) { printf("%s: %s: a damaged row read without an error\n", name, queries[q]); failures++; }
        if (!damaged && rc != SQLITE_DONE) { printf("%s: %s: failed: %s\n", name, queries[q], message); failures++; }
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
}

int main(void) {
    uint32_t deltas[4] = {0, 1, UINT32_MAX - 1, UINT32_MAX};
    uint32_t unsorted[4] = {UINT32_MAX, 7, 0, 3};
    int64_t times[4] = {INT64_MIN, -1, 0, INT64_MAX};
    check("whole rows, extreme values", history("1", 4, deltas, times, UINT32_MAX, 0), 0);
    check("unsorted deltas", history("-9223372036854775808", 4, unsorted, times, 1, 0), 0);
    check("first_id at the top", history("9223372036854775807", 4, deltas, times, 1, 0), 1);
    check("first_id whose last record overflows", history("9223372032559808513", 4, deltas, times, 1, 0), 1);
    check("records not whole", history("1", 2, deltas, times, 1, 5), 1);
    check("a single byte", history("1", 0, deltas, times, 1, 1), 1);
    if (failures) { printf("%d failures\n", failures); return 1; }
    printf("ok\n");
    return 0;
}
