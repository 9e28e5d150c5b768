/* Loader of the host sensor's BPF object through libbpf, resolved at run time with dlopen so
 * that tradsec builds and starts without libbpf installed (only `sense` needs it). The
 * prototypes below are libbpf 1.x's stable API; when libbpf's headers are present at build
 * time they are checked against them. */
#define _GNU_SOURCE
#include "CSensor.h"

#include <dlfcn.h>
#include <errno.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bpf_object;
struct bpf_map;
struct bpf_program;
struct bpf_link;
struct ring_buffer;

typedef int (*tsr_print_fn)(int level, const char *format, va_list args);
typedef int (*tsr_sample_fn)(void *ctx, void *data, size_t size);

static struct {
    void *handle;
    tsr_print_fn (*set_print)(tsr_print_fn);
    struct bpf_object *(*object_open_file)(const char *, const void *);
    int (*object_load)(struct bpf_object *);
    void (*object_close)(struct bpf_object *);
    struct bpf_map *(*find_map)(const struct bpf_object *, const char *);
    struct bpf_program *(*find_program)(const struct bpf_object *, const char *);
    int (*map_set_max_entries)(struct bpf_map *, __u32);
    int (*map_set_initial_value)(struct bpf_map *, const void *, size_t);
    int (*map_fd)(const struct bpf_map *);
    int (*program_fd)(const struct bpf_program *);
    struct bpf_program *(*next_program)(const struct bpf_object *, struct bpf_program *);
    struct bpf_link *(*program_attach)(const struct bpf_program *);
    int (*link_destroy)(struct bpf_link *);
    int (*map_update)(int, const void *, const void *, __u64);
    int (*map_lookup)(int, const void *, void *);
    struct ring_buffer *(*ring_new)(int, tsr_sample_fn, void *, const void *);
    int (*ring_poll)(struct ring_buffer *, int);
    int (*ring_consume)(struct ring_buffer *);
    void (*ring_free)(struct ring_buffer *);
    int (*num_possible_cpus)(void);
    int (*enable_stats)(int);
    int (*obj_get_info)(int, void *, __u32 *);
} lib;

#if __has_include(<bpf/libbpf.h>)
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
/* The hand-written prototypes must be the headers' (the object code calls through them). */
_Static_assert(__builtin_types_compatible_p(__typeof__(lib.ring_consume), __typeof__(&ring_buffer__consume)), "ring_buffer__consume");
_Static_assert(__builtin_types_compatible_p(__typeof__(lib.map_set_max_entries), __typeof__(&bpf_map__set_max_entries)), "bpf_map__set_max_entries");
_Static_assert(__builtin_types_compatible_p(__typeof__(lib.map_update), __typeof__(&bpf_map_update_elem)), "bpf_map_update_elem");
_Static_assert(__builtin_types_compatible_p(__typeof__(lib.num_possible_cpus), __typeof__(&libbpf_num_possible_cpus)), "libbpf_num_possible_cpus");
_Static_assert(__builtin_types_compatible_p(__typeof__(lib.obj_get_info), __typeof__(&bpf_obj_get_info_by_fd)), "bpf_obj_get_info_by_fd");
#endif

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;

/* libbpf's messages during open/load: kept (the tail) to explain a refusal, never printed. */
static __thread char *log_buffer;
static __thread size_t log_capacity;
static __thread size_t log_length;

static int capture_print(int level, const char *format, va_list args) {
    if (level > 0 /* LIBBPF_WARN */ || !log_buffer) return 0;
    char *message = NULL;
    int n = vasprintf(&message, format, args);
    if (n <= 0 || !message) { free(message); return 0; }
    const char *text = message;
    size_t len = (size_t)n;
    /* keep the end: the verifier's verdict is in its last lines */
    if (len >= log_capacity) { text += len - (log_capacity - 1); len = log_capacity - 1; }
    if (log_length + len >= log_capacity) {
        size_t drop = log_length + len - log_capacity + 1;
        memmove(log_buffer, log_buffer + drop, log_length - drop);
        log_length -= drop;
    }
    memcpy(log_buffer + log_length, text, len);
    log_length += len;
    log_buffer[log_length] = 0;
    free(message);
    return 0;
}

#define RESOLVE(field, name)                                                                \
    do {                                                                                    \
        *(void **)&lib.field = dlsym(handle, name);                                         \
        if (!lib.field) {                                                                   \
            snprintf(err, errlen, "%s lacks %s (libbpf 1.0 or later is needed)", TSR_LIBBPF_SONAME, name); \
            dlclose(handle);                                                                \
            memset(&lib, 0, sizeof(lib));                                                   \
            pthread_mutex_unlock(&lib_lock);                                                \
            return -1;                                                                      \
        }                                                                                   \
    } while (0)

int tsr_libbpf_load(char *err, size_t errlen) {
    pthread_mutex_lock(&lib_lock);
    if (lib.handle) { pthread_mutex_unlock(&lib_lock); return 0; }
    void *handle = dlopen(TSR_LIBBPF_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libbpf.so", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(err, errlen, "%s", why ? why : "libbpf.so.1 not found");
        pthread_mutex_unlock(&lib_lock);
        return -1;
    }
    RESOLVE(set_print, "libbpf_set_print");
    RESOLVE(object_open_file, "bpf_object__open_file");
    RESOLVE(object_load, "bpf_object__load");
    RESOLVE(object_close, "bpf_object__close");
    RESOLVE(find_map, "bpf_object__find_map_by_name");
    RESOLVE(find_program, "bpf_object__find_program_by_name");
    RESOLVE(map_set_max_entries, "bpf_map__set_max_entries");
    RESOLVE(map_set_initial_value, "bpf_map__set_initial_value");
    RESOLVE(map_fd, "bpf_map__fd");
    RESOLVE(program_fd, "bpf_program__fd");
    RESOLVE(next_program, "bpf_object__next_program");
    RESOLVE(program_attach, "bpf_program__attach");
    RESOLVE(link_destroy, "bpf_link__destroy");
    RESOLVE(map_update, "bpf_map_update_elem");
    RESOLVE(map_lookup, "bpf_map_lookup_elem");
    RESOLVE(ring_new, "ring_buffer__new");
    RESOLVE(ring_poll, "ring_buffer__poll");
    RESOLVE(ring_consume, "ring_buffer__consume");
    RESOLVE(ring_free, "ring_buffer__free");
    RESOLVE(num_possible_cpus, "libbpf_num_possible_cpus");
    RESOLVE(enable_stats, "bpf_enable_stats");
    RESOLVE(obj_get_info, "bpf_obj_get_info_by_fd");
    lib.handle = handle;
    lib.set_print(capture_print);
    pthread_mutex_unlock(&lib_lock);
    return 0;
}

/* ------------------------------------------------------------------------------------------- */

#define ATTACHED_MAX 8

struct tsr_sensor {
    struct bpf_object *object;
    struct ring_buffer *ring;
    struct bpf_link *links[ATTACHED_MAX];
    int link_count;
    int layouts_fd;
    int handlers_fd;
    int counters_fd;
    int handler_fds[4];          /* by enum tsr_handler */
    int cpus;
    unsigned long long ring_bytes;
    tsr_record_fn fn;
    void *context;
};

static int trampoline(void *ctx, void *data, size_t size) {
    struct tsr_sensor *s = ctx;
    return s->fn(s->context, data, size) ? -1 : 0;
}

static void fail(char *err, size_t errlen, const char *what, int code) {
    if (log_length > 0) snprintf(err, errlen, "%s: %s\n%s", what, strerror(code), log_buffer);
    else snprintf(err, errlen, "%s: %s", what, strerror(code));
}

tsr_sensor *tsr_sensor_open(const struct tsr_open_options *o, char *err, size_t errlen) {
    if (!lib.handle && tsr_libbpf_load(err, errlen) != 0) return NULL;
    char log[8192];
    log_buffer = log; log_capacity = sizeof(log); log_length = 0; log[0] = 0;
    tsr_sensor *s = calloc(1, sizeof(*s));
    if (!s) { snprintf(err, errlen, "out of memory"); goto out; }
    s->object = lib.object_open_file(o->object_path, NULL);
    if (!s->object) { fail(err, errlen, "cannot open the BPF object", errno); goto fail; }

    s->cpus = lib.num_possible_cpus();
    if (s->cpus <= 0) { fail(err, errlen, "cannot count the CPUs", -s->cpus); goto fail; }
    struct bpf_map *scratch = lib.find_map(s->object, "scratch_map");
    struct bpf_map *events = lib.find_map(s->object, "events");
    struct bpf_map *config = lib.find_map(s->object, ".rodata.cfg");
    if (!scratch || !events || !config) { snprintf(err, errlen, "the BPF object lacks its maps (built from another version?)"); goto fail; }
    int rc;
    if ((rc = lib.map_set_max_entries(scratch, (__u32)s->cpus * 2)) != 0) { fail(err, errlen, "cannot size the scratch buffers", -rc); goto fail; }
    if ((rc = lib.map_set_max_entries(events, o->ring_bytes)) != 0) { fail(err, errlen, "cannot size the ring buffer", -rc); goto fail; }
    if ((rc = lib.map_set_initial_value(config, &o->config, sizeof(o->config))) != 0) { fail(err, errlen, "cannot write the settings", -rc); goto fail; }
    s->ring_bytes = o->ring_bytes;

    if ((rc = lib.object_load(s->object)) != 0) { fail(err, errlen, "the kernel refused the BPF programs", -rc); goto fail; }

    struct bpf_map *layouts = lib.find_map(s->object, "syscall_layouts");
    struct bpf_map *handlers = lib.find_map(s->object, "syscall_handlers");
    struct bpf_map *counters = lib.find_map(s->object, "counters");
    if (!layouts || !handlers || !counters) { snprintf(err, errlen, "the BPF object lacks its maps (built from another version?)"); goto fail; }
    s->layouts_fd = lib.map_fd(layouts);
    s->handlers_fd = lib.map_fd(handlers);
    s->counters_fd = lib.map_fd(counters);
    const char *handler_names[4] = {NULL, "ts_h_path", "ts_h_socket", "ts_h_args"};
    for (int h = 1; h < 4; h++) {
        struct bpf_program *p = lib.find_program(s->object, handler_names[h]);
        if (!p) { snprintf(err, errlen, "the BPF object lacks program %s", handler_names[h]); goto fail; }
        s->handler_fds[h] = lib.program_fd(p);
    }
    s->ring = lib.ring_new(lib.map_fd(events), trampoline, s, NULL);
    if (!s->ring) { fail(err, errlen, "cannot map the ring buffer", errno); goto fail; }
    goto out;
fail:
    tsr_sensor_close(s);
    s = NULL;
out:
    log_buffer = NULL; log_capacity = 0; log_length = 0;
    return s;
}

int tsr_sensor_watch(tsr_sensor *s, unsigned int nr, unsigned int handler, const struct tsr_syscall_layout *layout,
                     char *err, size_t errlen) {
    if (nr >= 512 || handler < 1 || handler > 3) { snprintf(err, errlen, "syscall %u or handler %u out of range", nr, handler); return -1; }
    __u32 key = nr;
    int rc = lib.map_update(s->layouts_fd, &key, layout, 0 /* BPF_ANY */);
    if (rc != 0) { snprintf(err, errlen, "cannot write the layout of syscall %u: %s", nr, strerror(errno)); return -1; }
    __u32 fd = (__u32)s->handler_fds[handler];
    rc = lib.map_update(s->handlers_fd, &key, &fd, 0);
    if (rc != 0) { snprintf(err, errlen, "cannot route syscall %u: %s", nr, strerror(errno)); return -1; }
    return 0;
}

int tsr_sensor_attach(tsr_sensor *s, char *err, size_t errlen) {
    const char *names[] = {"ts_exec", "ts_fork", "ts_exit", "ts_sys_exit"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct bpf_program *p = lib.find_program(s->object, names[i]);
        if (!p) { snprintf(err, errlen, "the BPF object lacks program %s", names[i]); return -1; }
        struct bpf_link *link = lib.program_attach(p);
        if (!link) { snprintf(err, errlen, "cannot attach %s: %s", names[i], strerror(errno)); return -1; }
        s->links[s->link_count++] = link;
    }
    return 0;
}

int tsr_sensor_poll(tsr_sensor *s, int timeout_ms, tsr_record_fn fn, void *context) {
    s->fn = fn;
    s->context = context;
    /* The programs wake the consumer only once enough is waiting: drain first, then sleep. */
    int n = lib.ring_consume(s->ring);
    if (n != 0) return n;
    n = lib.ring_poll(s->ring, timeout_ms);
    if (n < 0 && n != -EINTR) return n;
    return lib.ring_consume(s->ring);
}

int tsr_sensor_counters(tsr_sensor *s, struct tsr_counters *out) {
    struct tsr_counters *per_cpu = calloc((size_t)s->cpus, sizeof(*per_cpu));
    if (!per_cpu) return -ENOMEM;
    __u32 zero = 0;
    if (lib.map_lookup(s->counters_fd, &zero, per_cpu) != 0) { int e = errno; free(per_cpu); return -e; }
    memset(out, 0, sizeof(*out));
    for (int c = 0; c < s->cpus; c++) {
        out->records += per_cpu[c].records;
        for (int d = 0; d < TSR_DROP_REASONS; d++) out->drops[d] += per_cpu[c].drops[d];
        for (int k = 0; k < 5; k++) out->drops_by_kind[k] += per_cpu[c].drops_by_kind[k];
        out->read_faults += per_cpu[c].read_faults;
        out->truncated += per_cpu[c].truncated;
    }
    free(per_cpu);
    return 0;
}

int tsr_sensor_program_stats(tsr_sensor *s, unsigned long long *run_ns, unsigned long long *runs) {
    *run_ns = 0; *runs = 0;
    for (struct bpf_program *p = lib.next_program(s->object, NULL); p; p = lib.next_program(s->object, p)) {
        struct bpf_prog_info info;
        memset(&info, 0, sizeof(info));
        __u32 len = sizeof(info);
        if (lib.obj_get_info(lib.program_fd(p), &info, &len) != 0) return -errno;
        *run_ns += info.run_time_ns;
        *runs += info.run_cnt;
    }
    return 0;
}

int tsr_enable_run_time_stats(void) {
    char err[256];
    if (!lib.handle && tsr_libbpf_load(err, sizeof(err)) != 0) return -ENOSYS;
    int fd = lib.enable_stats(0 /* BPF_STATS_RUN_TIME */);
    return fd >= 0 ? fd : -errno;
}

unsigned long long tsr_sensor_ring_bytes(tsr_sensor *s) { return s->ring_bytes; }

void tsr_sensor_close(tsr_sensor *s) {
    if (!s) return;
    for (int i = s->link_count - 1; i >= 0; i--) lib.link_destroy(s->links[i]);
    if (s->ring) lib.ring_free(s->ring);
    if (s->object) lib.object_close(s->object);
    free(s);
}
