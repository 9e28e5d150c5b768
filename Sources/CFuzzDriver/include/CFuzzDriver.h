#ifndef TRADSEC_CFUZZDRIVER_H
#define TRADSEC_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point for programs that have their own main (compiler-rt FuzzerInterface.h).
 * Only the fuzz build (`make fuzz`, -sanitize=fuzzer) links libFuzzer and calls it. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
