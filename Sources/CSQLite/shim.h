#include <sqlite3.h>

/// Turns off double-quoted string literals, which Swift cannot do itself (sqlite3_db_config is
/// variadic): a quoted name that matches no column is then an error, not silently a text value.
static inline int recon_sqlite3_disable_dqs(sqlite3 *db) {
#ifdef SQLITE_DBCONFIG_DQS_DML
    int code = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    if (code == SQLITE_OK) code = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
    return code;
#else
    return SQLITE_OK;
#endif
}
