#ifndef TRADSEC_ALERT_OUTPUT_H
#define TRADSEC_ALERT_OUTPUT_H
#include "sqlite_api.h"

/* Registers alert_output(raw_chunk, raw_offset, raw_length) on one connection. */
int tradsec_register_alert_output(sqlite3 *db);

#endif
