/* The `alerts` virtual table: one row per alert, read from the packed records of
 * `alert_rows` (written by AlertRows.swift). Read-only; SQL that writes alerts goes to
 * `alert_rows` directly.
 *
 * Why a virtual table: a SQLite row and a unique-index entry per alert cost more than half of
 * an ingest's time; packing a few hundred alerts into one row removes that, and this module
 * keeps every reader's SQL (`SELECT … FROM alerts WHERE id …`) working unchanged. It serves
 * id lookups (`=`, `IN`), id ranges in either order, and uses time bounds to skip packed rows;
 * every other filter SQLite applies itself. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "CAlertRows.h"

#define REC TRADSEC_ALERT_RECORD_SIZE

enum {
    COL_ID, COL_TIME, COL_PRIORITY, COL_RULE, COL_SOURCE, COL_HOSTNAME, COL_CONTAINER, COL_PROC, COL_USER,
    COL_FINGERPRINT, COL_INGESTED, COL_ORIGIN, COL_CHUNK, COL_OFFSET, COL_LENGTH
};

static const char *const declaration =
    "CREATE TABLE x(id INTEGER, time_ns INTEGER, priority INTEGER, rule TEXT, source TEXT, hostname TEXT, "
    "container_id TEXT, proc_name TEXT, user_name TEXT, fingerprint INTEGER, ingested_ns INTEGER, origin TEXT, "
    "raw_chunk INTEGER, raw_offset INTEGER, raw_length INTEGER)";

/* xBestIndex plan bits (idxNum). */
enum {
    PLAN_ID_EQ = 1, PLAN_ID_LOW = 2, PLAN_ID_HIGH = 4, PLAN_TIME_LOW = 8, PLAN_TIME_HIGH = 16,
    PLAN_DESC = 32, PLAN_ID_LOW_STRICT = 64, PLAN_ID_HIGH_STRICT = 128
};

/* Texts by id. Entries are never freed while the table is connected, so results can point
 * at them (SQLITE_STATIC). */
typedef struct {
    char **text;
    int *length;
    sqlite3_int64 capacity;
    sqlite3_int64 loaded; /* every committed id up to here has been looked at */
} TextCache;

typedef struct {
    sqlite3_vtab base;
    sqlite3 *db;
    char *schema;
    /* Only texts seen outside a write transaction: those are committed, and text ids are
     * never reused (AUTOINCREMENT), so they cannot change under the cache. */
    TextCache committed;
} AlertsTable;

typedef struct {
    sqlite3_vtab_cursor base;
    AlertsTable *table;
    sqlite3_stmt *seek;   /* the packed row that would hold an id */
    sqlite3_stmt *scan[2]; /* rows in a first_id range, ascending and descending */
    sqlite3_stmt *active;
    sqlite3_stmt *textByID;
    /* The current packed row, copied. */
    sqlite3_int64 rowFirst, rowLast;
    unsigned char *records;
    int count, capacity;
    int position;
    int descending, eof;
    sqlite3_int64 low, high, timeLow, timeHigh;
    /* A text read inside a write transaction is this cursor's only. */
    TextCache local;
} AlertsCursor;

static sqlite3_int64 load64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return (sqlite3_int64)v;
}

static uint32_t load32(const unsigned char *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void cache_free(TextCache *cache) {
    for (sqlite3_int64 i = 0; i < cache->capacity; i++) sqlite3_free(cache->text[i]);
    sqlite3_free(cache->text);
    sqlite3_free(cache->length);
    memset(cache, 0, sizeof *cache);
}

/* Ids above this are not cached (each is then read when needed): the cache is an array
 * by id, and ids only grow, one per distinct text ever stored. */
#define TEXT_CACHE_MAX_ID (1 << 22)

static int cache_put(TextCache *cache, sqlite3_int64 id, const unsigned char *text, int length) {
    if (id <= 0 || id > TEXT_CACHE_MAX_ID) return SQLITE_OK;
    if (id >= cache->capacity) {
        sqlite3_int64 capacity = cache->capacity ? cache->capacity : 256;
        while (capacity <= id) capacity *= 2;
        char **texts = sqlite3_realloc64(cache->text, (sqlite3_uint64)capacity * sizeof *texts);
        if (!texts) return SQLITE_NOMEM;
        cache->text = texts;
        int *lengths = sqlite3_realloc64(cache->length, (sqlite3_uint64)capacity * sizeof *lengths);
        if (!lengths) return SQLITE_NOMEM;
        cache->length = lengths;
        memset(texts + cache->capacity, 0, (size_t)(capacity - cache->capacity) * sizeof *texts);
        memset(lengths + cache->capacity, 0, (size_t)(capacity - cache->capacity) * sizeof *lengths);
        cache->capacity = capacity;
    }
    if (cache->text[id]) return SQLITE_OK;
    char *copy = sqlite3_malloc(length + 1);
    if (!copy) return SQLITE_NOMEM;
    if (length > 0) memcpy(copy, text, (size_t)length);
    copy[length] = 0;
    cache->text[id] = copy;
    cache->length[id] = length;
    return SQLITE_OK;
}

static int prepare(AlertsTable *table, const char *format, sqlite3_stmt **statement) {
    if (*statement) return SQLITE_OK;
    char *sql = sqlite3_mprintf(format, table->schema);
    if (!sql) return SQLITE_NOMEM;
    int rc = sqlite3_prepare_v3(table->db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, NULL);
    sqlite3_free(sql);
    return rc;
}

/* Loads the committed texts above the cache's mark. */
static int refresh_committed(AlertsTable *table) {
    sqlite3_stmt *statement = NULL;
    int rc = prepare(table, "SELECT id, text FROM \"%w\".alert_texts WHERE id > ?1 ORDER BY id", &statement);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_int64(statement, 1, table->committed.loaded);
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(statement, 0);
        const unsigned char *text = sqlite3_column_text(statement, 1);
        int put = cache_put(&table->committed, id, text ? text : (const unsigned char *)"", sqlite3_column_bytes(statement, 1));
        if (put != SQLITE_OK) { rc = put; break; }
        if (id > table->committed.loaded) table->committed.loaded = id;
    }
    sqlite3_finalize(statement);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Sets `context`'s result to text `id` (NULL for 0). */
static int result_text(AlertsCursor *cursor, sqlite3_context *context, uint32_t id) {
    if (id == 0) { sqlite3_result_null(context); return SQLITE_OK; }
    AlertsTable *table = cursor->table;
    TextCache *committed = &table->committed;
    if (id < committed->capacity && committed->text[id]) {
        sqlite3_result_text(context, committed->text[id], committed->length[id], SQLITE_STATIC);
        return SQLITE_OK;
    }
    TextCache *local = &cursor->local;
    if (id < local->capacity && local->text[id]) {
        /* Copied: the cursor's cache goes with the cursor. */
        sqlite3_result_text(context, local->text[id], local->length[id], SQLITE_TRANSIENT);
        return SQLITE_OK;
    }
    int writing = sqlite3_txn_state(table->db, table->schema) == SQLITE_TXN_WRITE;
    if (!writing && id > committed->loaded) {
        int rc = refresh_committed(table);
        if (rc != SQLITE_OK) return rc;
        if (id < committed->capacity && committed->text[id]) {
            sqlite3_result_text(context, committed->text[id], committed->length[id], SQLITE_STATIC);
            return SQLITE_OK;
        }
    }
    /* Written in this transaction, or pruned in a later snapshot than this reader's. */
    int rc = prepare(table, "SELECT text FROM \"%w\".alert_texts WHERE id = ?1", &cursor->textByID);
    if (rc != SQLITE_OK) return rc;
    sqlite3_reset(cursor->textByID);
    sqlite3_bind_int64(cursor->textByID, 1, id);
    rc = sqlite3_step(cursor->textByID);
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(cursor->textByID, 0);
        int length = sqlite3_column_bytes(cursor->textByID, 0);
        sqlite3_result_text(context, text ? (const char *)text : "", length, SQLITE_TRANSIENT);
        rc = cache_put(local, id, text ? text : (const unsigned char *)"", length);
    } else {
        /* Only a damaged history lacks a text its alerts name: show the alert without it
         * rather than fail every query that touches it. */
        sqlite3_result_null(context);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_reset(cursor->textByID);
    return rc;
}

/* --- connecting --- */

static int connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **error) {
    (void)aux; (void)argc; (void)error;
    int rc = sqlite3_declare_vtab(db, declaration);
    if (rc != SQLITE_OK) return rc;
    AlertsTable *table = sqlite3_malloc(sizeof *table);
    if (!table) return SQLITE_NOMEM;
    memset(table, 0, sizeof *table);
    table->db = db;
    table->schema = sqlite3_mprintf("%s", argv[1]);
    if (!table->schema) { sqlite3_free(table); return SQLITE_NOMEM; }
    *out = &table->base;
    return SQLITE_OK;
}

static int disconnect(sqlite3_vtab *base) {
    AlertsTable *table = (AlertsTable *)base;
    cache_free(&table->committed);
    sqlite3_free(table->schema);
    sqlite3_free(table);
    return SQLITE_OK;
}

/* --- planning --- */

static int best_index(sqlite3_vtab *base, sqlite3_index_info *info) {
    (void)base;
    int eq = -1, low = -1, high = -1, timeLow = -1, timeHigh = -1, plan = 0;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (!c->usable) continue;
        if (c->iColumn == -1 || c->iColumn == COL_ID) {
            switch (c->op) {
            case SQLITE_INDEX_CONSTRAINT_EQ: if (eq < 0) eq = i; break;
            case SQLITE_INDEX_CONSTRAINT_GT: case SQLITE_INDEX_CONSTRAINT_GE: if (low < 0) low = i; break;
            case SQLITE_INDEX_CONSTRAINT_LT: case SQLITE_INDEX_CONSTRAINT_LE: if (high < 0) high = i; break;
            }
        } else if (c->iColumn == COL_TIME) {
            switch (c->op) {
            case SQLITE_INDEX_CONSTRAINT_GT: case SQLITE_INDEX_CONSTRAINT_GE: if (timeLow < 0) timeLow = i; break;
            case SQLITE_INDEX_CONSTRAINT_LT: case SQLITE_INDEX_CONSTRAINT_LE: if (timeHigh < 0) timeHigh = i; break;
            }
        }
    }
    int argument = 1;
    double cost = 1e7, rows = 1e6;
    if (eq >= 0) {
        info->aConstraintUsage[eq].argvIndex = argument++;
        info->aConstraintUsage[eq].omit = 1;
        plan |= PLAN_ID_EQ;
        cost = 10; rows = 1;
        info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
    } else {
        if (low >= 0) {
            info->aConstraintUsage[low].argvIndex = argument++;
            info->aConstraintUsage[low].omit = 1;
            plan |= PLAN_ID_LOW | (info->aConstraint[low].op == SQLITE_INDEX_CONSTRAINT_GT ? PLAN_ID_LOW_STRICT : 0);
            cost /= 100; rows /= 100;
        }
        if (high >= 0) {
            info->aConstraintUsage[high].argvIndex = argument++;
            info->aConstraintUsage[high].omit = 1;
            plan |= PLAN_ID_HIGH | (info->aConstraint[high].op == SQLITE_INDEX_CONSTRAINT_LT ? PLAN_ID_HIGH_STRICT : 0);
            cost /= 100; rows /= 100;
        }
    }
    /* Time bounds only skip packed rows; SQLite still checks every alert against them. */
    if (timeLow >= 0) {
        info->aConstraintUsage[timeLow].argvIndex = argument++;
        plan |= PLAN_TIME_LOW;
        cost /= 4; rows /= 4;
    }
    if (timeHigh >= 0) {
        info->aConstraintUsage[timeHigh].argvIndex = argument++;
        plan |= PLAN_TIME_HIGH;
        cost /= 4; rows /= 4;
    }
    if (info->nOrderBy == 1 && (info->aOrderBy[0].iColumn == COL_ID || info->aOrderBy[0].iColumn == -1)) {
        info->orderByConsumed = 1;
        if (info->aOrderBy[0].desc) plan |= PLAN_DESC;
    }
    info->idxNum = plan;
    info->estimatedCost = cost;
    info->estimatedRows = (sqlite3_int64)rows;
    return SQLITE_OK;
}

/* --- cursors --- */

static int open_cursor(sqlite3_vtab *base, sqlite3_vtab_cursor **out) {
    AlertsCursor *cursor = sqlite3_malloc(sizeof *cursor);
    if (!cursor) return SQLITE_NOMEM;
    memset(cursor, 0, sizeof *cursor);
    cursor->table = (AlertsTable *)base;
    cursor->eof = 1;
    *out = &cursor->base;
    return SQLITE_OK;
}

static int close_cursor(sqlite3_vtab_cursor *base) {
    AlertsCursor *cursor = (AlertsCursor *)base;
    sqlite3_finalize(cursor->seek);
    sqlite3_finalize(cursor->scan[0]);
    sqlite3_finalize(cursor->scan[1]);
    sqlite3_finalize(cursor->textByID);
    sqlite3_free(cursor->records);
    cache_free(&cursor->local);
    sqlite3_free(cursor);
    return SQLITE_OK;
}

static sqlite3_int64 id_at(const AlertsCursor *cursor, int i) {
    return cursor->rowFirst + (sqlite3_int64)load32(cursor->records + (size_t)i * REC + TRADSEC_AR_ID_DELTA);
}

/* A damaged row: the statement fails with a message naming it (SQLITE_CORRUPT). */
static int damaged(AlertsCursor *cursor, char *message) {
    sqlite3_free(cursor->table->base.zErrMsg);
    cursor->table->base.zErrMsg = message;
    return message ? SQLITE_CORRUPT : SQLITE_NOMEM;
}

/* Copies the packed row `statement` is on (first_id, last_id, records). Every value is read
 * from the file, so it is checked before any arithmetic: ids are first_id plus a 32-bit
 * delta, which must not overflow. */
static int load_row(AlertsCursor *cursor, sqlite3_stmt *statement) {
    int bytes = sqlite3_column_bytes(statement, 2);
    const void *blob = sqlite3_column_blob(statement, 2);
    sqlite3_int64 first = sqlite3_column_int64(statement, 0);
    if (bytes % REC != 0) {
        return damaged(cursor, sqlite3_mprintf("history is damaged (alert_rows row %lld): records of %d bytes are not whole",
                                               first, bytes));
    }
    if (sqlite3_column_type(statement, 0) != SQLITE_INTEGER || first > LLONG_MAX - (sqlite3_int64)UINT32_MAX) {
        return damaged(cursor, sqlite3_mprintf("history is damaged (alert_rows row %lld): first_id cannot be an alert id", first));
    }
    if (bytes > cursor->capacity) {
        unsigned char *grown = sqlite3_realloc(cursor->records, bytes);
        if (!grown) return SQLITE_NOMEM;
        cursor->records = grown;
        cursor->capacity = bytes;
    }
    if (bytes > 0) memcpy(cursor->records, blob, (size_t)bytes);
    cursor->rowFirst = sqlite3_column_int64(statement, 0);
    cursor->rowLast = sqlite3_column_int64(statement, 1);
    cursor->count = bytes / REC;
    return SQLITE_OK;
}

/* The first record with an id >= `id` (count when none). */
static int lower_bound(const AlertsCursor *cursor, sqlite3_int64 id) {
    int lo = 0, hi = cursor->count;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (id_at(cursor, mid) < id) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static int in_time(const AlertsCursor *cursor) {
    sqlite3_int64 t = load64(cursor->records + (size_t)cursor->position * REC + TRADSEC_AR_TIME);
    return t >= cursor->timeLow && t <= cursor->timeHigh;
}

/* Moves to the first record at or after the current position (in scan order) that lies in
 * the bounds, loading further packed rows as needed. */
static int settle(AlertsCursor *cursor) {
    for (;;) {
        while (cursor->position >= 0 && cursor->position < cursor->count) {
            sqlite3_int64 id = id_at(cursor, cursor->position);
            if (!cursor->descending) {
                if (id > cursor->high) { cursor->eof = 1; return SQLITE_OK; }
                if (id >= cursor->low && in_time(cursor)) return SQLITE_OK;
                cursor->position++;
            } else {
                if (id < cursor->low) { cursor->eof = 1; return SQLITE_OK; }
                if (id <= cursor->high && in_time(cursor)) return SQLITE_OK;
                cursor->position--;
            }
        }
        if (!cursor->active) { cursor->eof = 1; return SQLITE_OK; }
        int rc = sqlite3_step(cursor->active);
        if (rc == SQLITE_DONE) { cursor->eof = 1; return SQLITE_OK; }
        if (rc != SQLITE_ROW) return rc;
        if ((rc = load_row(cursor, cursor->active)) != SQLITE_OK) return rc;
        if (!cursor->descending) {
            cursor->position = lower_bound(cursor, cursor->low);
        } else {
            cursor->position = cursor->high == LLONG_MAX ? cursor->count - 1 : lower_bound(cursor, cursor->high + 1) - 1;
        }
    }
}

/* An id bound from a value of any type, as SQLite compares an INTEGER column with it:
 * 1 with the bound in *out, 0 when nothing can satisfy it, -1 when everything does. NULL
 * satisfies nothing; text and blobs sort after every number, so they satisfy every upper
 * bound and no lower one. */
static int id_bound(sqlite3_value *value, int upper, int strict, sqlite3_int64 *out) {
    if (sqlite3_value_type(value) == SQLITE_NULL) return 0;
    int type = sqlite3_value_numeric_type(value);
    if (type == SQLITE_INTEGER) {
        sqlite3_int64 v = sqlite3_value_int64(value);
        if (strict) {
            if (upper) { if (v == LLONG_MIN) return 0; v--; } else { if (v == LLONG_MAX) return 0; v++; }
        }
        *out = v;
        return 1;
    }
    if (type == SQLITE_FLOAT) {
        double d = sqlite3_value_double(value);
        if (isnan(d)) return 0;
        double r = upper ? (strict ? ceil(d) - 1 : floor(d)) : (strict ? floor(d) + 1 : ceil(d));
        /* Past the 64-bit range: every id or none is on the right side. */
        if (r >= 9223372036854775807.0) return upper ? -1 : 0;
        if (r < -9223372036854775808.0) return upper ? 0 : -1;
        *out = (sqlite3_int64)r;
        return 1;
    }
    return upper ? -1 : 0;
}

static int filter(sqlite3_vtab_cursor *base, int plan, const char *idxStr, int argc, sqlite3_value **argv) {
    (void)idxStr;
    AlertsCursor *cursor = (AlertsCursor *)base;
    AlertsTable *table = cursor->table;
    cursor->low = LLONG_MIN; cursor->high = LLONG_MAX;
    cursor->timeLow = LLONG_MIN; cursor->timeHigh = LLONG_MAX;
    cursor->descending = (plan & PLAN_DESC) != 0;
    cursor->eof = 0;
    cursor->active = NULL;
    int n = 0;
    int possible = 1;
    if (plan & PLAN_ID_EQ) {
        sqlite3_value *v = argv[n++];
        sqlite3_int64 low = 0, high = -1;
        possible = id_bound(v, 0, 0, &low) == 1 && id_bound(v, 1, 0, &high) == 1;
        cursor->low = low; cursor->high = high;
    }
    if ((plan & PLAN_ID_LOW) && n < argc) {
        sqlite3_int64 v;
        int bound = id_bound(argv[n++], 0, (plan & PLAN_ID_LOW_STRICT) != 0, &v);
        if (bound == 1) cursor->low = v; else if (bound == 0) possible = 0;
    }
    if ((plan & PLAN_ID_HIGH) && n < argc) {
        sqlite3_int64 v;
        int bound = id_bound(argv[n++], 1, (plan & PLAN_ID_HIGH_STRICT) != 0, &v);
        if (bound == 1) cursor->high = v; else if (bound == 0) possible = 0;
    }
    /* Hints: a bound of another type just does not narrow the scan. */
    if ((plan & PLAN_TIME_LOW) && n < argc) {
        sqlite3_value *v = argv[n++];
        if (sqlite3_value_numeric_type(v) == SQLITE_INTEGER) cursor->timeLow = sqlite3_value_int64(v);
    }
    if ((plan & PLAN_TIME_HIGH) && n < argc) {
        sqlite3_value *v = argv[n++];
        if (sqlite3_value_numeric_type(v) == SQLITE_INTEGER) cursor->timeHigh = sqlite3_value_int64(v);
    }
    if (!possible || cursor->low > cursor->high) { cursor->eof = 1; return SQLITE_OK; }

    /* One id (`=`, or each value of an `IN`): the copied row usually holds it already. */
    if (cursor->low == cursor->high) {
        sqlite3_int64 id = cursor->low;
        if (!(cursor->count > 0 && cursor->rowFirst <= id && id <= cursor->rowLast)) {
            int rc = prepare(table, "SELECT first_id, last_id, records FROM \"%w\".alert_rows WHERE first_id <= ?1 ORDER BY first_id DESC LIMIT 1",
                             &cursor->seek);
            if (rc != SQLITE_OK) return rc;
            sqlite3_reset(cursor->seek);
            sqlite3_bind_int64(cursor->seek, 1, id);
            rc = sqlite3_step(cursor->seek);
            if (rc == SQLITE_ROW) rc = load_row(cursor, cursor->seek); else cursor->count = 0;
            sqlite3_reset(cursor->seek);
            if (rc != SQLITE_OK && rc != SQLITE_DONE) return rc;
        }
        cursor->position = lower_bound(cursor, id);
        return settle(cursor);
    }

    /* A range: from the packed row that holds its low end. */
    sqlite3_int64 start = LLONG_MIN;
    if (cursor->low != LLONG_MIN) {
        int rc = prepare(table, "SELECT first_id, last_id, records FROM \"%w\".alert_rows WHERE first_id <= ?1 ORDER BY first_id DESC LIMIT 1",
                         &cursor->seek);
        if (rc != SQLITE_OK) return rc;
        sqlite3_reset(cursor->seek);
        sqlite3_bind_int64(cursor->seek, 1, cursor->low);
        rc = sqlite3_step(cursor->seek);
        if (rc == SQLITE_ROW) start = sqlite3_column_int64(cursor->seek, 0);
        sqlite3_reset(cursor->seek);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return rc;
    }
    static const char *const scans[2] = {
        "SELECT first_id, last_id, records FROM \"%w\".alert_rows WHERE first_id BETWEEN ?1 AND ?2 AND last_id >= ?3 "
        "AND max_time_ns >= ?4 AND min_time_ns <= ?5 ORDER BY first_id",
        "SELECT first_id, last_id, records FROM \"%w\".alert_rows WHERE first_id BETWEEN ?1 AND ?2 AND last_id >= ?3 "
        "AND max_time_ns >= ?4 AND min_time_ns <= ?5 ORDER BY first_id DESC",
    };
    int which = cursor->descending ? 1 : 0;
    int rc = prepare(table, scans[which], &cursor->scan[which]);
    if (rc != SQLITE_OK) return rc;
    sqlite3_stmt *scan = cursor->scan[which];
    sqlite3_reset(scan);
    sqlite3_bind_int64(scan, 1, start);
    sqlite3_bind_int64(scan, 2, cursor->high);
    sqlite3_bind_int64(scan, 3, cursor->low);
    sqlite3_bind_int64(scan, 4, cursor->timeLow);
    sqlite3_bind_int64(scan, 5, cursor->timeHigh);
    cursor->active = scan;
    cursor->count = 0;
    cursor->position = 0;
    return settle(cursor);
}

static int next(sqlite3_vtab_cursor *base) {
    AlertsCursor *cursor = (AlertsCursor *)base;
    cursor->position += cursor->descending ? -1 : 1;
    return settle(cursor);
}

static int eof(sqlite3_vtab_cursor *base) {
    return ((AlertsCursor *)base)->eof;
}

static int column(sqlite3_vtab_cursor *base, sqlite3_context *context, int i) {
    AlertsCursor *cursor = (AlertsCursor *)base;
    const unsigned char *r = cursor->records + (size_t)cursor->position * REC;
    switch (i) {
    case COL_ID: sqlite3_result_int64(context, id_at(cursor, cursor->position)); return SQLITE_OK;
    case COL_TIME: sqlite3_result_int64(context, load64(r + TRADSEC_AR_TIME)); return SQLITE_OK;
    case COL_PRIORITY: sqlite3_result_int(context, r[TRADSEC_AR_PRIORITY]); return SQLITE_OK;
    case COL_RULE: return result_text(cursor, context, load32(r + TRADSEC_AR_RULE));
    case COL_SOURCE: return result_text(cursor, context, load32(r + TRADSEC_AR_SOURCE));
    case COL_HOSTNAME: return result_text(cursor, context, load32(r + TRADSEC_AR_HOSTNAME));
    case COL_CONTAINER: return result_text(cursor, context, load32(r + TRADSEC_AR_CONTAINER));
    case COL_PROC: return result_text(cursor, context, load32(r + TRADSEC_AR_PROC));
    case COL_USER: return result_text(cursor, context, load32(r + TRADSEC_AR_USER));
    case COL_FINGERPRINT: sqlite3_result_int64(context, load64(r + TRADSEC_AR_FINGERPRINT)); return SQLITE_OK;
    case COL_INGESTED: sqlite3_result_int64(context, load64(r + TRADSEC_AR_INGESTED)); return SQLITE_OK;
    case COL_ORIGIN: return result_text(cursor, context, load32(r + TRADSEC_AR_ORIGIN));
    case COL_CHUNK: sqlite3_result_int64(context, load32(r + TRADSEC_AR_CHUNK)); return SQLITE_OK;
    case COL_OFFSET: sqlite3_result_int64(context, load32(r + TRADSEC_AR_OFFSET)); return SQLITE_OK;
    case COL_LENGTH: sqlite3_result_int64(context, load32(r + TRADSEC_AR_LENGTH)); return SQLITE_OK;
    }
    sqlite3_result_null(context);
    return SQLITE_OK;
}

static int rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *out) {
    AlertsCursor *cursor = (AlertsCursor *)base;
    *out = id_at(cursor, cursor->position);
    return SQLITE_OK;
}

static sqlite3_module module = {
    .iVersion = 0,
    .xCreate = connect,
    .xConnect = connect,
    .xBestIndex = best_index,
    .xDisconnect = disconnect,
    .xDestroy = disconnect,
    .xOpen = open_cursor,
    .xClose = close_cursor,
    .xFilter = filter,
    .xNext = next,
    .xEof = eof,
    .xColumn = column,
    .xRowid = rowid,
};

int tradsec_register_alerts_module(sqlite3 *db) {
    return sqlite3_create_module_v2(db, "tradsec_alerts", &module, NULL, NULL);
}
