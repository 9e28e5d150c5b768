/* SQLite's API as a loadable extension sees it: every sqlite3_* call goes through the table
 * of routines the loading program hands over (sqlite3ext.h), never to a libsqlite3 of its
 * own. The Makefile force-includes this header into Sources/CAlertRows/alert_rows.c, so the
 * virtual table tradsec links into its binary is compiled, unchanged, into the extension. */
#ifndef TRADSEC_SQLITE_API_H
#define TRADSEC_SQLITE_API_H
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#endif
