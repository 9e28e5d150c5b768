/* The loader of tradsec's host sensor: opens the BPF object, loads and attaches its programs
 * and drains its ring buffer, through libbpf loaded at run time (dlopen). tradsec therefore
 * builds and runs on a machine without libbpf; only starting the sensor needs it. */
#ifndef TRADSEC_CSENSOR_H
#define TRADSEC_CSENSOR_H

#include <stddef.h>
#include "tradsec_sensor_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tsr_sensor tsr_sensor;

/* The shared library name tried first, and a fallback for unversioned installs. */
#define TSR_LIBBPF_SONAME "libbpf.so.1"

/* Loads libbpf and resolves every function the loader calls. 0, or -1 with `err` filled. */
int tsr_libbpf_load(char *err, size_t errlen);

struct tsr_open_options {
    const char *object_path;
    unsigned int ring_bytes;        /* power of two, at least a page */
    struct tsr_config config;
};

/* Opens and loads the object (maps sized, settings written, programs verified); nothing is
 * attached yet. NULL with `err` filled (the verifier's last lines when it refused). */
tsr_sensor *tsr_sensor_open(const struct tsr_open_options *options, char *err, size_t errlen);

/* Routes syscall `nr` to `handler` (enum tsr_handler) with its argument layout. Before or after
 * attaching; a syscall never routed is not reported at all. */
int tsr_sensor_watch(tsr_sensor *sensor, unsigned int nr, unsigned int handler,
                     const struct tsr_syscall_layout *layout, char *err, size_t errlen);

/* Attaches the dispatcher and the scheduler programs. */
int tsr_sensor_attach(tsr_sensor *sensor, char *err, size_t errlen);

/* Called once per record; a non-zero return stops the current drain. */
typedef int (*tsr_record_fn)(void *context, const void *data, size_t size);

/* Waits up to `timeout_ms` for records, then hands every waiting record to `fn`.
 * Returns the number handed over, or a negative errno. */
int tsr_sensor_poll(tsr_sensor *sensor, int timeout_ms, tsr_record_fn fn, void *context);

/* The kernel side's counters, summed over CPUs. */
int tsr_sensor_counters(tsr_sensor *sensor, struct tsr_counters *out);

/* Run time and run count of all the sensor's programs (non-zero only while run-time statistics
 * are enabled, see tsr_enable_run_time_stats). */
int tsr_sensor_program_stats(tsr_sensor *sensor, unsigned long long *run_ns, unsigned long long *runs);

/* Enables the kernel's per-program run-time statistics until the returned descriptor is
 * closed (they cost a little on every run). A negative errno on failure. */
int tsr_enable_run_time_stats(void);

/* Bytes of the ring buffer the kernel holds for the sensor. */
unsigned long long tsr_sensor_ring_bytes(tsr_sensor *sensor);

/* Detaches everything and frees the object. */
void tsr_sensor_close(tsr_sensor *sensor);

#ifdef __cplusplus
}
#endif
#endif
