/* alert_output(raw_chunk, raw_offset, raw_length) for the loadable extension: an alert's
 * `output` text, read from its raw line in the history's LZ4 chunks.
 *
 * tradsec itself registers the Swift function (Sources/AlertStore/OutputFromChunks.swift);
 * this one must give the same result for the same arguments, NULL and error messages
 * included, so a query means the same in the sqlite3 shell as in `tradsec sql` (the CLI tests
 * compare the two on the same history). Hence the same steps: the chunk read as
 * RawChunks.read reads it (same checks, same messages), one chunk cached per connection, and
 * the line decoded as AlertDecoder accepts it: strict JSON (RFC 8259, UTF-8, nesting at most
 * 512 deep, the first of duplicate keys wins), an object whose "rule" is a string, "priority"
 * a known priority name, "time" an RFC 3339 time from the epoch on, and whose "output",
 * "source", "hostname" (strings), "output_fields" (an object) and "tags" (strings) have their
 * types or are null or absent. Anything else at that place is not an alert: NULL. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <lz4.h>

#include "alert_output.h"

/* --- the line: strict JSON, and the top-level keys an alert is checked by --- */

enum { MAX_DEPTH = 512 };

enum ValueKind { KIND_NULL, KIND_STRING, KIND_OBJECT, KIND_ARRAY, KIND_OTHER };

/* A top-level key's first value: its kind and, for a string, its content between the quotes. */
typedef struct {
    int seen;
    enum ValueKind kind;
    size_t start, end;
    int allStrings; /* an array whose items are all strings */
} Field;

enum { F_RULE, F_PRIORITY, F_TIME, F_OUTPUT, F_OUTPUT_FIELDS, F_TAGS, F_SOURCE, F_HOSTNAME, F_COUNT };
static const char *const fieldNames[F_COUNT] = {
    "rule", "priority", "time", "output", "output_fields", "tags", "source", "hostname"
};

typedef struct {
    const unsigned char *p;
    size_t n, i;
    Field *fields; /* the top-level object's, NULL below it */
} Parser;

static void skip_space(Parser *j) {
    while (j->i < j->n) {
        unsigned char c = j->p[j->i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') j->i++; else return;
    }
}

static int hex_digit(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at j->i (consumed); -1 when they are not there. */
static long hex4(Parser *j) {
    if (j->n - j->i < 4) return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_digit(j->p[j->i]);
        if (d < 0) return -1;
        v = v << 4 | d;
        j->i++;
    }
    return v;
}

/* A string at j->i (on its quote); its content span. The line's UTF-8 is checked already. */
static int parse_string(Parser *j, size_t *start, size_t *end) {
    j->i++;
    *start = j->i;
    while (j->i < j->n) {
        unsigned char c = j->p[j->i];
        if (c == '"') { *end = j->i; j->i++; return 1; }
        if (c < 0x20) return 0;
        if (c != '\\') { j->i++; continue; }
        j->i++;
        if (j->i >= j->n) return 0;
        unsigned char e = j->p[j->i++];
        switch (e) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': break;
        case 'u': {
            long scalar = hex4(j);
            if (scalar < 0) return 0;
            if (scalar >= 0xD800 && scalar < 0xDC00) {
                /* A high surrogate: a low one must follow, as its own \u escape. */
                if (j->n - j->i < 6 || j->p[j->i] != '\\' || j->p[j->i + 1] != 'u') return 0;
                j->i += 2;
                long low = hex4(j);
                if (low < 0xDC00 || low >= 0xE000) return 0;
            } else if (scalar >= 0xDC00 && scalar < 0xE000) {
                return 0;
            }
            break;
        }
        default: return 0;
        }
    }
    return 0;
}

static size_t put_utf8(unsigned char *out, unsigned long scalar) {
    if (scalar < 0x80) { out[0] = (unsigned char)scalar; return 1; }
    if (scalar < 0x800) { out[0] = (unsigned char)(0xC0 | scalar >> 6); out[1] = (unsigned char)(0x80 | (scalar & 0x3F)); return 2; }
    if (scalar < 0x10000) {
        out[0] = (unsigned char)(0xE0 | scalar >> 12);
        out[1] = (unsigned char)(0x80 | ((scalar >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (scalar & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | scalar >> 18);
    out[1] = (unsigned char)(0x80 | ((scalar >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((scalar >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (scalar & 0x3F));
    return 4;
}

static unsigned long hex4_at(const unsigned char *p) {
    unsigned long v = 0;
    for (int k = 0; k < 4; k++) v = v << 4 | (unsigned long)hex_digit(p[k]);
    return v;
}

/* The text of a string parse_string accepted, escapes decoded, into `out` (room for
 * end - start bytes: decoding never lengthens). Its length. */
static size_t decode_string(const unsigned char *p, size_t start, size_t end, unsigned char *out) {
    size_t o = 0;
    for (size_t i = start; i < end;) {
        unsigned char c = p[i];
        if (c != '\\') { out[o++] = c; i++; continue; }
        unsigned char e = p[i + 1];
        i += 2;
        switch (e) {
        case 'b': out[o++] = 0x08; break;
        case 'f': out[o++] = 0x0C; break;
        case 'n': out[o++] = 0x0A; break;
        case 'r': out[o++] = 0x0D; break;
        case 't': out[o++] = 0x09; break;
        case 'u': {
            unsigned long scalar = hex4_at(p + i);
            i += 4;
            if (scalar >= 0xD800 && scalar < 0xDC00) {
                unsigned long low = hex4_at(p + i + 2);
                i += 6;
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00);
            }
            o += put_utf8(out + o, scalar);
            break;
        }
        default: out[o++] = e; break; /* " \ / */
        }
    }
    return o;
}

static int parse_number(Parser *j) {
    if (j->p[j->i] == '-') j->i++;
    if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9') return 0;
    if (j->p[j->i] == '0' && j->i + 1 < j->n && j->p[j->i + 1] >= '0' && j->p[j->i + 1] <= '9') return 0;
    while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9') j->i++;
    if (j->i < j->n && j->p[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9') return 0;
        while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9') j->i++;
    }
    if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-')) j->i++;
        if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9') return 0;
        while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9') j->i++;
    }
    return 1;
}

static int parse_word(Parser *j, const char *word) {
    size_t n = strlen(word);
    if (j->n - j->i < n || memcmp(j->p + j->i, word, n) != 0) return 0;
    j->i += n;
    return 1;
}

static int parse_value(Parser *j, int depth, Field *value);

/* `key` (a decoded top-level key) as one of the fields, or -1. */
static int field_index(const Parser *j, size_t start, size_t end) {
    /* The longest name is 13 bytes; an escape takes at most 6 bytes per decoded byte. */
    unsigned char key[13 * 6];
    if (end - start > sizeof key) return -1;
    size_t n = decode_string(j->p, start, end, key);
    for (int f = 0; f < F_COUNT; f++) {
        if (strlen(fieldNames[f]) == n && memcmp(fieldNames[f], key, n) == 0) return f;
    }
    return -1;
}

static int parse_object(Parser *j, int depth) {
    if (depth > MAX_DEPTH) return 0;
    Field *fields = j->fields;
    j->fields = NULL;
    j->i++;
    skip_space(j);
    if (j->i < j->n && j->p[j->i] == '}') { j->i++; return 1; }
    for (;;) {
        skip_space(j);
        if (j->i >= j->n || j->p[j->i] != '"') return 0;
        size_t keyStart, keyEnd;
        if (!parse_string(j, &keyStart, &keyEnd)) return 0;
        skip_space(j);
        if (j->i >= j->n || j->p[j->i] != ':') return 0;
        j->i++;
        skip_space(j);
        Field value;
        if (!parse_value(j, depth, &value)) return 0;
        if (fields) {
            int f = field_index(j, keyStart, keyEnd);
            if (f >= 0 && !fields[f].seen) { fields[f] = value; fields[f].seen = 1; }
        }
        skip_space(j);
        if (j->i >= j->n) return 0;
        unsigned char c = j->p[j->i++];
        if (c == ',') continue;
        if (c == '}') return 1;
        return 0;
    }
}

static int parse_array(Parser *j, int depth, int *allStrings) {
    if (depth > MAX_DEPTH) return 0;
    *allStrings = 1;
    j->i++;
    skip_space(j);
    if (j->i < j->n && j->p[j->i] == ']') { j->i++; return 1; }
    for (;;) {
        skip_space(j);
        Field item;
        if (!parse_value(j, depth, &item)) return 0;
        if (item.kind != KIND_STRING) *allStrings = 0;
        skip_space(j);
        if (j->i >= j->n) return 0;
        unsigned char c = j->p[j->i++];
        if (c == ',') continue;
        if (c == ']') return 1;
        return 0;
    }
}

static int parse_value(Parser *j, int depth, Field *value) {
    memset(value, 0, sizeof *value);
    value->kind = KIND_OTHER;
    if (j->i >= j->n) return 0;
    switch (j->p[j->i]) {
    case '{': value->kind = KIND_OBJECT; return parse_object(j, depth + 1);
    case '[': value->kind = KIND_ARRAY; return parse_array(j, depth + 1, &value->allStrings);
    case '"': value->kind = KIND_STRING; return parse_string(j, &value->start, &value->end);
    case 't': return parse_word(j, "true");
    case 'f': return parse_word(j, "false");
    case 'n': value->kind = KIND_NULL; return parse_word(j, "null");
    default:
        if (j->p[j->i] == '-' || (j->p[j->i] >= '0' && j->p[j->i] <= '9')) return parse_number(j);
        return 0;
    }
}

/* Well-formed UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int valid_utf8(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) { i++; continue; }
        size_t extra;
        unsigned char low = 0x80, high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) extra = 1;
        else if (c >= 0xE0 && c <= 0xEF) { extra = 2; if (c == 0xE0) low = 0xA0; if (c == 0xED) high = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { extra = 3; if (c == 0xF0) low = 0x90; if (c == 0xF4) high = 0x8F; }
        else return 0;
        if (n - i <= extra) return 0;
        if (p[i + 1] < low || p[i + 1] > high) return 0;
        for (size_t k = 2; k <= extra; k++) if (p[i + k] < 0x80 || p[i + k] > 0xBF) return 0;
        i += extra + 1;
    }
    return 1;
}

/* --- the checks AlertDecoder makes of the keys --- */

static int known_priority(const unsigned char *s, size_t n) {
    static const char *const names[] = {
        "emergency", "alert", "critical", "error", "warning", "notice", "informational", "info", "debug"
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strlen(names[k]) != n) continue;
        size_t i = 0;
        while (i < n) {
            unsigned char c = s[i];
            if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
            if (c != (unsigned char)names[k][i]) break;
            i++;
        }
        if (i == n) return 1;
    }
    return 0;
}

static int64_t days_in_month(int64_t m, int64_t y) {
    if (m == 2) return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
    if (m == 4 || m == 6 || m == 9 || m == 11) return 30;
    return 31;
}

static int64_t days_from_civil(int64_t y0, int64_t m, int64_t d) {
    int64_t y = m <= 2 ? y0 - 1 : y0;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

typedef struct { const unsigned char *b; size_t n, i; } TimeText;

static int time_digits(TimeText *t, int count, int64_t *out) {
    if (t->i + (size_t)count > t->n) return 0;
    int64_t v = 0;
    for (int k = 0; k < count; k++) {
        unsigned char c = t->b[t->i + (size_t)k];
        if (c < '0' || c > '9') return 0;
        v = v * 10 + (c - '0');
    }
    t->i += (size_t)count;
    *out = v;
    return 1;
}

static int time_expect(TimeText *t, unsigned char c) {
    if (t->i >= t->n || t->b[t->i] != c) return 0;
    t->i++;
    return 1;
}

/* An RFC 3339 time an alert may carry (Timestamp.parse(rfc3339:), then Timestamp.alertRange). */
static int alert_time(const unsigned char *b, size_t n) {
    TimeText t = { b, n, 0 };
    int64_t y, mo, d;
    if (!time_digits(&t, 4, &y) || !time_expect(&t, '-') || !time_digits(&t, 2, &mo) || !time_expect(&t, '-')
        || !time_digits(&t, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > days_in_month(mo, y)) return 0;
    int64_t secondOfDay = 0, nanos = 0, offset = 0;
    if (t.i < t.n) {
        unsigned char c = t.b[t.i];
        if (c != 'T' && c != 't' && c != ' ') return 0;
        t.i++;
        int64_t h, mi, s = 0;
        if (!time_digits(&t, 2, &h) || !time_expect(&t, ':') || !time_digits(&t, 2, &mi) || h >= 24 || mi >= 60) return 0;
        if (time_expect(&t, ':')) {
            if (!time_digits(&t, 2, &s) || s > 60) return 0;
        }
        secondOfDay = h * 3600 + mi * 60 + s;
        if (time_expect(&t, '.') || time_expect(&t, ',')) {
            int digits = 0;
            while (t.i < t.n && t.b[t.i] >= '0' && t.b[t.i] <= '9') {
                if (digits < 9) nanos = nanos * 10 + (t.b[t.i] - '0');
                digits++;
                t.i++;
            }
            if (digits == 0) return 0;
            for (int k = digits; k < 9; k++) nanos *= 10;
        }
        if (time_expect(&t, 'Z') || time_expect(&t, 'z')) {
            offset = 0;
        } else if (t.i < t.n && (t.b[t.i] == '+' || t.b[t.i] == '-')) {
            int64_t sign = t.b[t.i] == '-' ? -1 : 1;
            t.i++;
            int64_t oh, om;
            if (!time_digits(&t, 2, &oh)) return 0;
            (void)time_expect(&t, ':');
            if (!time_digits(&t, 2, &om) || oh >= 24 || om >= 60) return 0;
            offset = sign * (oh * 3600 + om * 60);
        } else if (t.i != t.n) {
            return 0;
        }
    }
    if (t.i != t.n) return 0;
    int64_t seconds = days_from_civil(y, mo, d) * 86400 + secondOfDay - offset;
    if (seconds < 0 && nanos > 0) { seconds += 1; nanos -= 1000000000; }
    int64_t whole, sum;
    if (__builtin_mul_overflow(seconds, (int64_t)1000000000, &whole)) return 0;
    if (__builtin_add_overflow(whole, nanos, &sum)) return 0;
    return sum >= 0;
}

static int is_string_or_null(const Field *f) {
    return !f->seen || f->kind == KIND_NULL || f->kind == KIND_STRING;
}

/* The output text of the alert line p[0..<n] into `scratch` (room for n bytes): 1 with its
 * length, 0 when the line is not an alert. */
static int line_output(const unsigned char *p, size_t n, unsigned char *scratch, size_t *length) {
    if (n > 0 && p[n - 1] == '\r') n--;
    if (!valid_utf8(p, n)) return 0;
    Field fields[F_COUNT];
    memset(fields, 0, sizeof fields);
    Parser j = { p, n, 0, fields };
    skip_space(&j);
    if (j.i >= j.n || j.p[j.i] != '{') {
        /* Valid JSON or not, it is no object: not an alert either way. */
        return 0;
    }
    Field top;
    if (!parse_value(&j, 0, &top)) return 0;
    skip_space(&j);
    if (j.i != j.n) return 0;

    const Field *rule = &fields[F_RULE], *priority = &fields[F_PRIORITY], *time = &fields[F_TIME];
    if (!rule->seen || rule->kind != KIND_STRING) return 0;
    if (!priority->seen || priority->kind != KIND_STRING) return 0;
    if (!time->seen || time->kind != KIND_STRING) return 0;
    size_t count = decode_string(p, priority->start, priority->end, scratch);
    if (!known_priority(scratch, count)) return 0;
    count = decode_string(p, time->start, time->end, scratch);
    if (!alert_time(scratch, count)) return 0;
    const Field *outputFields = &fields[F_OUTPUT_FIELDS], *tags = &fields[F_TAGS];
    if (outputFields->seen && outputFields->kind != KIND_NULL && outputFields->kind != KIND_OBJECT) return 0;
    if (tags->seen && tags->kind != KIND_NULL && !(tags->kind == KIND_ARRAY && tags->allStrings)) return 0;
    if (!is_string_or_null(&fields[F_OUTPUT]) || !is_string_or_null(&fields[F_SOURCE])
        || !is_string_or_null(&fields[F_HOSTNAME])) return 0;

    const Field *output = &fields[F_OUTPUT];
    *length = output->seen && output->kind == KIND_STRING ? decode_string(p, output->start, output->end, scratch) : 0;
    return 1;
}

/* --- the chunks --- */

/* The last chunk one connection read (chunk ids are never reused and a chunk only grows at
 * its end, so cached bytes stay valid; a line past them re-reads the chunk). */
typedef struct {
    sqlite3_int64 id;
    unsigned char *bytes;
    sqlite3_int64 count;
} ChunkCache;

static void cache_destroy(void *p) {
    ChunkCache *cache = p;
    if (!cache) return;
    sqlite3_free(cache->bytes);
    sqlite3_free(cache);
}

#define DAMAGED "history is damaged (alert_chunks row %lld): "

/* Reads chunk `id` uncompressed into *bytes (sqlite3_malloc'd, NULL when empty). SQLITE_OK,
 * or an error with *message set (sqlite3_mprintf'd). */
static int read_chunk(sqlite3 *db, sqlite3_int64 id, unsigned char **bytes, sqlite3_int64 *count, char **message) {
    sqlite3_stmt *statement = NULL;
    *bytes = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(db, "SELECT codec, size, data FROM alert_chunks WHERE id = ?", -1, &statement, NULL) != SQLITE_OK) {
        *message = sqlite3_mprintf("history: cannot read alert_chunks: %s", sqlite3_errmsg(db));
        sqlite3_finalize(statement);
        return SQLITE_ERROR;
    }
    sqlite3_bind_int64(statement, 1, id);
    int rc = SQLITE_ERROR;
    if (sqlite3_step(statement) != SQLITE_ROW) {
        *message = sqlite3_mprintf(DAMAGED "it is missing", id);
        goto done;
    }
    if (sqlite3_column_type(statement, 0) != SQLITE_INTEGER || sqlite3_column_type(statement, 1) != SQLITE_INTEGER) {
        *message = sqlite3_mprintf(DAMAGED "codec or size is not an integer", id);
        goto done;
    }
    sqlite3_int64 codec = sqlite3_column_int64(statement, 0);
    sqlite3_int64 size = sqlite3_column_int64(statement, 1);
    int stored = sqlite3_column_bytes(statement, 2);
    const unsigned char *data = sqlite3_column_blob(statement, 2);
    if (data == NULL) stored = 0;
    if (size < 0 || size > INT_MAX) {
        *message = sqlite3_mprintf(DAMAGED "its size %lld is impossible", id, size);
        goto done;
    }
    if (codec == 0) {
        if (size != stored) {
            *message = sqlite3_mprintf(DAMAGED "its size %lld is not its %d stored bytes", id, size, stored);
            goto done;
        }
    } else if (codec == 1) {
        if (size > (sqlite3_int64)stored * 255 + 16) {
            *message = sqlite3_mprintf(DAMAGED "its size %lld is more than %d compressed bytes can hold", id, size, stored);
            goto done;
        }
        if (size > 0 && data == NULL) {
            *message = sqlite3_mprintf(DAMAGED "it has no data for its size %lld", id, size);
            goto done;
        }
    } else {
        *message = sqlite3_mprintf(DAMAGED "its format %lld is unknown", id, codec);
        goto done;
    }
    if (size > 0) {
        *bytes = sqlite3_malloc64((sqlite3_uint64)size);
        if (!*bytes) { rc = SQLITE_NOMEM; *message = NULL; goto done; }
        if (codec == 0) {
            memcpy(*bytes, data, (size_t)size);
        } else {
            int n = LZ4_decompress_safe_partial((const char *)data, (char *)*bytes, stored, (int)size, (int)size);
            if (n != (int)size) {
                *message = sqlite3_mprintf(DAMAGED "it does not decompress (%d of %lld bytes)", id, n, size);
                sqlite3_free(*bytes);
                *bytes = NULL;
                goto done;
            }
        }
    }
    *count = size;
    rc = SQLITE_OK;
done:
    sqlite3_finalize(statement);
    return rc;
}

static void alert_output(sqlite3_context *context, int argc, sqlite3_value **argv) {
    if (argc != 3 || sqlite3_value_type(argv[0]) != SQLITE_INTEGER) { sqlite3_result_null(context); return; }
    ChunkCache *cache = sqlite3_user_data(context);
    sqlite3_int64 chunk = sqlite3_value_int64(argv[0]);
    sqlite3_int64 offset = sqlite3_value_int64(argv[1]);
    sqlite3_int64 length = sqlite3_value_int64(argv[2]);
    sqlite3_int64 end;
    if (offset < 0 || length < 0 || __builtin_add_overflow(offset, length, &end)) {
        char *message = sqlite3_mprintf(DAMAGED "a line at offset %lld, %lld bytes, cannot be in it", chunk, offset, length);
        sqlite3_result_error(context, message ? message : "out of memory", -1);
        sqlite3_free(message);
        return;
    }
    if (chunk != cache->id || end > cache->count) {
        unsigned char *bytes;
        sqlite3_int64 count;
        char *message = NULL;
        int rc = read_chunk(sqlite3_context_db_handle(context), chunk, &bytes, &count, &message);
        if (rc != SQLITE_OK) {
            if (message) sqlite3_result_error(context, message, -1); else sqlite3_result_error_nomem(context);
            sqlite3_free(message);
            return;
        }
        sqlite3_free(cache->bytes);
        cache->id = chunk;
        cache->bytes = bytes;
        cache->count = count;
    }
    if (end > cache->count) {
        char *message = sqlite3_mprintf(DAMAGED "a line at offset %lld, %lld bytes, is past its %lld bytes",
                                        chunk, offset, length, cache->count);
        sqlite3_result_error(context, message ? message : "out of memory", -1);
        sqlite3_free(message);
        return;
    }
    unsigned char *scratch = sqlite3_malloc64((sqlite3_uint64)length + 1);
    if (!scratch) { sqlite3_result_error_nomem(context); return; }
    size_t outputLength;
    if (line_output(cache->bytes + offset, (size_t)length, scratch, &outputLength)) {
        sqlite3_result_text(context, (const char *)scratch, (int)outputLength, SQLITE_TRANSIENT);
    } else {
        sqlite3_result_null(context);
    }
    sqlite3_free(scratch);
}

int tradsec_register_alert_output(sqlite3 *db) {
    ChunkCache *cache = sqlite3_malloc(sizeof *cache);
    if (!cache) return SQLITE_NOMEM;
    memset(cache, 0, sizeof *cache);
    cache->id = -1;
    /* Not SQLITE_DETERMINISTIC or INNOCUOUS: the result depends on table contents (as the
     * Swift function's registration says). On failure SQLite calls the destructor itself. */
    return sqlite3_create_function_v2(db, "alert_output", 3, SQLITE_UTF8, cache, alert_output, NULL, NULL, cache_destroy);
}
