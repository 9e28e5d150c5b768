/* CByteScan is header-only (static inline functions); SwiftPM wants a source file per C target. */
#include "CByteScan.h"
