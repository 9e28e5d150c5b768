/* tradsec_alerts.so: the history's `alerts` virtual table and its `alert_output` function for
 * programs that are not tradsec (the sqlite3 shell: `.load tradsec_alerts`). docs/history.md
 * says how to use it. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "CAlertRows.h"
#include "alert_output.h"

#define EXPORT __attribute__((visibility("default")))

/* The name the sqlite3 shell derives from the file name (tradsec_alerts.so: letters only). */
EXPORT int sqlite3_tradsecalerts_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
    SQLITE_EXTENSION_INIT2(api);
    int rc = tradsec_register_alerts_module(db);
    if (rc == SQLITE_OK) rc = tradsec_register_alert_output(db);
    if (rc != SQLITE_OK && error) *error = sqlite3_mprintf("tradsec_alerts: %s", sqlite3_errstr(rc));
    return rc;
}

/* The generic name, for programs that load without naming an entry point and do not derive one. */
EXPORT int sqlite3_extension_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
    return sqlite3_tradsecalerts_init(db, error, api);
}
