#ifndef TRADSEC_ALERT_ROWS_H
#define TRADSEC_ALERT_ROWS_H

#include <sqlite3.h>

/* The history's alerts are stored packed, many to a row of `alert_rows` (see AlertRows.swift).
 * This module, `tradsec_alerts`, reads them back as a virtual table with one row per alert,
 * so that every reader keeps plain SQL over `alerts`.
 *
 * A packed record is TRADSEC_ALERT_RECORD_SIZE bytes, little-endian, in id order: */
#define TRADSEC_ALERT_RECORD_SIZE 72
#define TRADSEC_AR_TIME        0   /* i64 alert time, ns */
#define TRADSEC_AR_FINGERPRINT 8   /* i64 hash of the raw line */
#define TRADSEC_AR_INGESTED    16  /* i64 when it was stored, ns */
#define TRADSEC_AR_CHUNK       24  /* u32 raw chunk id */
#define TRADSEC_AR_OFFSET      28  /* u32 offset of the raw line in the chunk */
#define TRADSEC_AR_LENGTH      32  /* u32 its length */
#define TRADSEC_AR_ID_DELTA    36  /* u32 id - first_id of the packed row */
#define TRADSEC_AR_RULE        40  /* u32 alert_texts ids, 0 for NULL, from here ... */
#define TRADSEC_AR_SOURCE      44
#define TRADSEC_AR_HOSTNAME    48
#define TRADSEC_AR_CONTAINER   52
#define TRADSEC_AR_PROC        56
#define TRADSEC_AR_USER        60
#define TRADSEC_AR_ORIGIN      64  /* ... to here */
#define TRADSEC_AR_PRIORITY    68  /* u8 Falco order, 0 Emergency ... 7 Debug */

/* Registers the module on one connection. */
int tradsec_register_alerts_module(sqlite3 *db);

#endif
