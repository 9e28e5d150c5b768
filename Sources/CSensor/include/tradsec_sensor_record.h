/* The records the kernel side of tradsec's host sensor writes into its ring buffer, and the
 * maps userspace shares with it. Included by the BPF program (with vmlinux.h) and by the
 * loader and Swift (with linux/types.h): one definition of the layout for both sides. */
#ifndef TRADSEC_SENSOR_RECORD_H
#define TRADSEC_SENSOR_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* What a record describes. Syscall records come from the sys_exit dispatcher; the process
 * records from the scheduler tracepoints (they keep the process table right whatever rules run). */
enum tsr_record_kind {
    TSR_KIND_EXEC = 1,      /* sched_process_exec: a successful execve/execveat */
    TSR_KIND_FORK = 2,      /* sched_process_fork of a new process (threads are not reported) */
    TSR_KIND_EXIT = 3,      /* sched_process_exit of a thread group's last thread */
    TSR_KIND_SYSCALL = 4,   /* a watched syscall's exit: `nr` says which, `handler` how it was read */
};

/* Which program read a syscall record (the layout table says which arguments it took). */
enum tsr_handler {
    TSR_H_PATH = 1,         /* paths and descriptors: open*, creat, unlink*, rename*, link*, chmod*, chdir, failed execve */
    TSR_H_SOCKET = 2,       /* connect, accept, accept4: the socket's addresses */
    TSR_H_ARGS = 3,         /* numeric arguments only: set*id, ptrace */
};

/* Record flags. */
#define TSR_F_TRUNCATED      (1u << 0)  /* a string hit its size limit */
#define TSR_F_READ_FAULT     (1u << 1)  /* user or kernel memory could not be read: a field is missing */
#define TSR_F_EXE_MEMFD      (1u << 2)  /* exec: the program runs from a memfd */
#define TSR_F_EXE_UPPER      (1u << 3)  /* exec: the program is in an overlayfs upper layer (written in the container) */
#define TSR_F_EXE_WRITABLE   (1u << 4)  /* exec: the program file is writable by the executing user */
#define TSR_F_SOCK_VALID     (1u << 5)  /* sock holds addresses */
#define TSR_F_THREAD_CLONE   (1u << 6)  /* fork: the child shares the parent's address space (vfork/CLONE_VM) */

/* Strings follow the fixed header, one after the other, `len[i]` bytes each (no terminators).
 * Paths read from the kernel's dentries ("kernel paths") are sent leaf first, components
 * separated by a zero byte, and put back together in userspace: the kernel side then never
 * moves bytes around. */
#define TSR_NSTR 6
#define TSR_STR_MAX 4096            /* one string's limit (PATH_MAX; argv is cut there too) */
#define TSR_COMM_LEN 16

/* String slots per kind. */
enum tsr_exec_strings { TSR_EXEC_FILENAME = 0, TSR_EXEC_EXEPATH = 1, TSR_EXEC_ARGS = 2, TSR_EXEC_COMM = 3,
                       TSR_EXEC_CWD = 4, TSR_EXEC_CGROUP = 5 };
enum tsr_path_strings { TSR_PATH_1 = 0, TSR_PATH_1_BASE = 1, TSR_PATH_2 = 2, TSR_PATH_2_BASE = 3 };
enum tsr_fork_strings { TSR_FORK_COMM = 0 };
enum tsr_sock_strings { TSR_SOCK_UNIX_PATH = 0 };

struct tsr_sock {
    __u16 family;          /* AF_INET, AF_INET6, AF_UNIX (0: not a socket) */
    __u16 type;            /* SOCK_STREAM, SOCK_DGRAM, ... */
    __u16 protocol;        /* IPPROTO_TCP, IPPROTO_UDP, ... */
    __u16 local_port;      /* host byte order */
    __u16 remote_port;     /* host byte order */
    __u16 pad;
    __u8 local[16];        /* IPv4 in the first 4 bytes */
    __u8 remote[16];
};

struct tsr_record {
    __u64 ts;              /* CLOCK_BOOTTIME nanoseconds */
    __u32 tgid;            /* process (thread group) id */
    __u32 tid;
    __u32 ppid;            /* real parent's tgid */
    __u32 euid;
    __u32 egid;
    __u32 loginuid;
    __u64 cap_effective;
    __u16 kind;            /* enum tsr_record_kind */
    __u16 nr;              /* syscall number (TSR_KIND_SYSCALL) */
    __u16 handler;         /* enum tsr_handler (TSR_KIND_SYSCALL) */
    __u16 size;            /* whole record, header and strings */
    __u32 flags;           /* TSR_F_* */
    __u32 tty;             /* controlling terminal, encoded as Falco's proc.tty */
    __s64 res;             /* syscall return value; fork: 0; exit: exit code */
    __s64 arg[4];          /* numeric arguments, per handler (see sensor.bpf.c) */
    struct tsr_sock sock;
    __u16 len[TSR_NSTR];
    __u32 pad;
};

/* Counters, one set per CPU (a per-CPU array with one entry): summed by userspace. */
enum tsr_drop_reason {
    TSR_DROP_RINGBUF_FULL = 0,   /* the ring buffer had no room: the consumer fell behind */
    TSR_DROP_TOO_LARGE = 1,      /* the record did not fit the per-CPU scratch buffer */
    TSR_DROP_NO_SCRATCH = 2,     /* the per-CPU scratch buffer was missing (cannot happen once loaded) */
    TSR_DROP_REASONS = 3,
};

struct tsr_counters {
    __u64 records;              /* records the programs tried to send */
    __u64 drops[TSR_DROP_REASONS];
    __u64 drops_by_kind[5];     /* ring-buffer-full drops by tsr_record_kind (index 0 unused) */
    __u64 read_faults;          /* records sent with a field that could not be read */
    __u64 truncated;            /* records sent with a string cut at its limit */
};

/* Which cgroup hierarchy names a process's container. */
enum tsr_cgroup_source {
    TSR_CGROUP_V2 = 0,            /* the unified hierarchy (cgroup v2 only hosts) */
    TSR_CGROUP_V1_MEMORY = 1,     /* cgroup v1 (or hybrid): the memory controller's hierarchy */
    TSR_CGROUP_V1_PIDS = 2,
    TSR_CGROUP_V1_CPU = 3,
};

/* Settings fixed before loading (a read-only data section: the verifier sees them as constants). */
struct tsr_config {
    __u32 self_tgid;            /* the sensor's own process: its syscalls are not reported */
    __u32 cgroup_source;        /* enum tsr_cgroup_source */
    __u64 wakeup_bytes;         /* wake the consumer once this much is waiting (it also polls) */
};

/* How one syscall's arguments are read: indexes into its six arguments (-1: none). Userspace
 * owns the syscall table (numbers are per architecture) and writes one entry per watched call. */
#define TSR_L_SKIP_SUCCESS  (1u << 0)   /* execve/execveat: successes come from sched_process_exec */
#define TSR_L_OPEN_HOW      (1u << 1)   /* openat2: flags and mode are in the struct open_how at `flags` */
#define TSR_L_FD_IS_RESULT  (1u << 2)   /* accept/accept4: the socket is the returned descriptor */
#define TSR_L_PATH1_RAW     (1u << 3)   /* symlink's target: a string, not resolved against a directory */
struct tsr_syscall_layout {
    __s8 path1, dirfd1, path2, dirfd2;  /* user path arguments and the directories they are relative to */
    __s8 fd;                            /* a descriptor whose kernel path (or socket) is read */
    __s8 addr, addrlen;                 /* a user struct sockaddr (connect) */
    __s8 flags;                         /* open flags (or the open_how pointer) */
    __s8 num[4];                        /* arguments copied into record.arg[0..3] as they are */
    __u32 options;                      /* TSR_L_* */
};

#endif
