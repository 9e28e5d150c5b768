// SPDX-License-Identifier: GPL-2.0-only
/* tradsec host sensor, kernel side.
 *
 * Programs (all BTF-enabled raw tracepoints: no tracefs, no kprobes):
 *   tp_btf/sys_exit            ts_sys_exit: drops the sensor's own syscalls, then tail-calls the
 *                              handler userspace registered for the syscall number (an empty slot
 *                              ends there: that is the in-kernel filter on what the rules need)
 *   ts_h_path / ts_h_socket / ts_h_args   the handlers, reached only by tail call
 *   tp_btf/sched_process_exec  ts_exec: exe path, argv, comm, cwd, cgroup of a successful exec
 *   tp_btf/sched_process_fork  ts_fork: a new process (threads are left out)
 *   tp_btf/sched_process_exit  ts_exit: a process's last thread
 *
 * A record is built in a per-CPU scratch buffer and copied into the one ring buffer at its real
 * size (a reservation would have to be of the largest size). Every failure to send is counted.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "tradsec_sensor_record.h"

char LICENSE[] SEC("license") = "GPL";

#if !defined(__TARGET_ARCH_x86)
#error "the sensor reads x86_64 syscall registers; other architectures are not supported yet"
#endif

#define AT_FDCWD -100
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define TS_COMPAT_FLAG 0x0002

#define SCRATCH_SIZE (64 * 1024)
/* Strings are written at offsets masked below 32 KiB, at most TSR_STR_MAX bytes each: the
 * verifier then knows every write stays inside the 64 KiB buffer. */
#define STR_OFF_MASK (32 * 1024 - 1)
#define RECORD_MAX (32 * 1024 - 1)
#define MAX_PATH_COMPONENTS 48
#define MAX_CGROUP_COMPONENTS 4
#define NAME_LEN 256

struct scratch {
    __u8 buf[SCRATCH_SIZE];
};

/* Two scratch buffers per CPU (syscall programs, scheduler programs): a scheduler tracepoint
 * inside a preempted syscall program must not write over its record. Sized by userspace. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct tsr_counters);
} counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 512);
    __type(key, __u32);
    __type(value, struct tsr_syscall_layout);
} syscall_layouts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 512);
    __type(key, __u32);
    __type(value, __u32);
} syscall_handlers SEC(".maps");

const volatile struct tsr_config tsr_cfg SEC(".rodata.cfg") = {};

/* kernfs_node.parent became __parent in 6.15. */
struct kernfs_node___old {
    struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/* ------------------------------------------------------------------------------------------- */

static __always_inline struct tsr_counters *counters_get(void) {
    __u32 zero = 0;
    return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline __u8 *scratch_get(__u32 which) {
    __u32 key = bpf_get_smp_processor_id() * 2 + which;
    struct scratch *s = bpf_map_lookup_elem(&scratch_map, &key);
    if (!s) {
        struct tsr_counters *c = counters_get();
        if (c) { c->records++; c->drops[TSR_DROP_NO_SCRATCH]++; }
        return 0;
    }
    return s->buf;
}

/* Direct loads from BTF-typed pointers (the task, its cred, its tty) are plain memory reads the
 * verifier guards; they cost much less than a bpf_probe_read_kernel call each, and this runs on
 * every watched syscall. */
static __always_inline __u32 encode_tty(struct task_struct *task) {
    struct tty_struct *tty = task->signal->tty;
    if (!tty) return 0;
    struct tty_driver *driver = tty->driver;
    if (!driver) return 0;
    __u32 major = driver->major;
    __u32 minor = driver->minor_start + tty->index;
    /* the kernel's new_encode_dev, as /proc/PID/stat shows tty_nr */
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline struct tsr_record *record_begin(__u8 *buf, struct task_struct *task, __u16 kind) {
    struct tsr_record *r = (struct tsr_record *)buf;
    __builtin_memset(r, 0, sizeof(*r));
    r->ts = bpf_ktime_get_boot_ns();
    r->tgid = task->tgid;
    r->tid = task->pid;
    r->ppid = task->real_parent->tgid;
    const struct cred *cred = task->cred;
    r->euid = cred->euid.val;
    r->egid = cred->egid.val;
    /* kernel_cap_t is one u64 since 6.3 and two u32 before: the same 8 bytes either way */
    bpf_probe_read_kernel(&r->cap_effective, sizeof(r->cap_effective), &cred->cap_effective);
    if (bpf_core_field_exists(task->loginuid)) r->loginuid = task->loginuid.val;
    else r->loginuid = (__u32)-1;
    r->tty = encode_tty(task);
    r->kind = kind;
    return r;
}

static __always_inline void record_send(__u8 *buf, struct tsr_record *r, __u32 size) {
    struct tsr_counters *c = counters_get();
    if (!c) return;
    c->records++;
    if (r->flags & TSR_F_READ_FAULT) c->read_faults++;
    if (r->flags & TSR_F_TRUNCATED) c->truncated++;
    if (size > RECORD_MAX) { c->drops[TSR_DROP_TOO_LARGE]++; return; }
    r->size = size;
    __u64 waiting = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
    __u64 wake = waiting + size >= tsr_cfg.wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
    if (bpf_ringbuf_output(&events, buf, size & RECORD_MAX, wake) != 0) {
        c->drops[TSR_DROP_RINGBUF_FULL]++;
        __u16 kind = r->kind;
        if (kind < 5) c->drops_by_kind[kind]++;
    }
}

/* A NUL-terminated user string into string slot `slot`. */
static __always_inline void put_user_str(__u8 *buf, __u32 *off, struct tsr_record *r, int slot, const void *uptr) {
    if (!uptr) return;
    __u32 o = *off & STR_OFF_MASK;
    long n = bpf_probe_read_user_str(buf + o, TSR_STR_MAX, uptr);
    if (n <= 0) { r->flags |= TSR_F_READ_FAULT; return; }
    n -= 1;
    if (n >= TSR_STR_MAX - 1) r->flags |= TSR_F_TRUNCATED;
    r->len[slot & 7] = n;   /* slot < TSR_NSTR: the mask only bounds it for the verifier */
    *off += n;
}

static __always_inline void put_kernel_str(__u8 *buf, __u32 *off, struct tsr_record *r, int slot, const void *kptr, __u32 limit) {
    if (!kptr) return;
    __u32 o = *off & STR_OFF_MASK;
    if (limit > TSR_STR_MAX) limit = TSR_STR_MAX;
    long n = bpf_probe_read_kernel_str(buf + o, limit, kptr);
    if (n <= 0) { r->flags |= TSR_F_READ_FAULT; return; }
    n -= 1;
    r->len[slot & 7] = n;
    *off += n;
}

/* State of one path walk (bpf_loop's context: the verifier checks one step, not every one). */
struct path_walk {
    __u8 *buf;
    struct dentry *dentry;
    struct vfsmount *vfsmnt;
    struct mount *mnt;
    struct mount *mnt_parent;
    struct dentry *mnt_root;
    struct dentry *root_dentry;
    struct vfsmount *root_mnt;
    __u32 start;
    __u32 len;
    int complete;
    int fault;
};

static long path_walk_step(__u32 index, void *context) {
    struct path_walk *w = context;
    struct dentry *dentry = w->dentry;
    if (dentry == w->root_dentry && w->vfsmnt == w->root_mnt) { w->complete = 1; return 1; }
    struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
    if (dentry == w->mnt_root || dentry == parent) {
        if (dentry != w->mnt_root) {
            /* Not below any mount root: a pipe, a socket, a memfd. Its name is all there is. */
            if (w->len == 0) {
                const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
                long n = bpf_probe_read_kernel_str(w->buf + (w->start & STR_OFF_MASK), NAME_LEN, name);
                if (n > 1) w->len = n;
            }
            w->complete = 1;
            return 1;
        }
        struct mount *mnt = w->mnt, *mnt_parent = w->mnt_parent;
        if (mnt != mnt_parent) {
            /* The root of a mount: continue from where it is mounted. (Fields of the walk are
             * copied to locals first: CO-RE reads relocate every member access they contain.) */
            w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
            w->mnt = mnt_parent;
            w->mnt_parent = BPF_CORE_READ(mnt_parent, mnt_parent);
            struct vfsmount *vfsmnt = &mnt_parent->mnt;
            w->vfsmnt = vfsmnt;
            w->mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
            return 0;
        }
        w->complete = 1;
        return 1;
    }
    if (w->len > TSR_STR_MAX - NAME_LEN) return 1;
    const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
    long n = bpf_probe_read_kernel_str(w->buf + ((w->start + w->len) & STR_OFF_MASK), NAME_LEN, name);
    if (n <= 1) { w->fault = 1; return 1; }
    w->len += n;    /* the terminator stays: it separates the components */
    w->dentry = parent;
    return 0;
}

/* A struct path as the process sees it (stopping at its root, as d_path does, so a container
 * process gets its container's view), leaf first, components separated by a zero byte; "/" for
 * the root itself. Dentries are read without locks: a rename racing the walk can mix names. */
static __always_inline void put_kernel_path(__u8 *buf, __u32 *off, struct tsr_record *r, int slot,
                                            struct path *path, struct task_struct *task) {
    struct path_walk w = {};
    w.buf = buf;
    w.dentry = BPF_CORE_READ(path, dentry);
    w.vfsmnt = BPF_CORE_READ(path, mnt);
    if (!w.dentry || !w.vfsmnt) { r->flags |= TSR_F_READ_FAULT; return; }
    struct vfsmount *vfsmnt = w.vfsmnt;
    struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
    w.mnt = mnt;
    w.mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
    w.mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
    w.root_dentry = BPF_CORE_READ(task, fs, root.dentry);
    w.root_mnt = BPF_CORE_READ(task, fs, root.mnt);
    w.start = *off;
    bpf_loop(MAX_PATH_COMPONENTS, path_walk_step, &w, 0);
    if (w.fault) r->flags |= TSR_F_READ_FAULT;
    if (!w.complete) r->flags |= TSR_F_TRUNCATED;
    __u32 len = w.len;
    if (len == 0) {
        if (!w.complete) return;
        buf[w.start & STR_OFF_MASK] = '/';
        len = 2;
    }
    len -= 1;    /* the last terminator is not part of the string */
    r->len[slot & 7] = len;
    *off = w.start + len;
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd) {
    if (fd < 0) return 0;
    struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
    if (!fdt) return 0;
    unsigned int max = BPF_CORE_READ(fdt, max_fds);
    if ((unsigned long)fd >= max) return 0;
    struct file **fds = BPF_CORE_READ(fdt, fd);
    struct file *f = 0;
    bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
    return f;
}

/* The directory a relative path is resolved against: the descriptor, or the working directory. */
static __always_inline void put_base(__u8 *buf, __u32 *off, struct tsr_record *r, int slot,
                                     struct task_struct *task, long dirfd) {
    if ((int)dirfd == AT_FDCWD) {
        struct path *pwd = (struct path *)((char *)BPF_CORE_READ(task, fs) + bpf_core_field_offset(struct fs_struct, pwd));
        put_kernel_path(buf, off, r, slot, pwd, task);
        return;
    }
    struct file *f = fd_file(task, dirfd);
    if (!f) return;
    put_kernel_path(buf, off, r, slot, (struct path *)((char *)f + bpf_core_field_offset(struct file, f_path)), task);
}

static __always_inline void read_args(struct pt_regs *regs, unsigned long a[6]) {
    a[0] = regs->di;
    a[1] = regs->si;
    a[2] = regs->dx;
    a[3] = regs->r10;
    a[4] = regs->r8;
    a[5] = regs->r9;
}

static __always_inline unsigned long arg_at(unsigned long a[6], __s8 index) {
    if (index < 0 || index > 5) return 0;
    return a[index];
}

static __always_inline struct tsr_syscall_layout *layout_get(__u32 nr) {
    return bpf_map_lookup_elem(&syscall_layouts, &nr);
}

static __always_inline void copy_numbers(struct tsr_record *r, struct tsr_syscall_layout *l, unsigned long a[6]) {
    for (int i = 0; i < 4; i++) {
        __s8 index = l->num[i];
        if (index >= 0 && index <= 5) r->arg[i] = (__s64)a[index];
    }
}

/* A user path and, when it is relative, the directory it is relative to. */
static __always_inline void put_user_path(__u8 *buf, __u32 *off, struct tsr_record *r, int slot,
                                          struct task_struct *task, const char *uptr, long dirfd) {
    __u32 at = *off;
    put_user_str(buf, off, r, slot, uptr);
    if (r->len[slot & 7] > 0 && buf[at & STR_OFF_MASK] == '/') return;
    put_base(buf, off, r, slot + 1, task, dirfd);
}

/* ------------------------------------------------------------------------------------------- */

SEC("tp_btf/sys_exit")
int BPF_PROG(ts_sys_exit, struct pt_regs *regs, long ret) {
    if ((bpf_get_current_pid_tgid() >> 32) == tsr_cfg.self_tgid) return 0;
    long nr = regs->orig_ax;
    if (nr < 0 || nr >= 512) return 0;
    /* 32-bit syscalls number differently: not watched */
    struct task_struct *task = bpf_get_current_task_btf();
    if (task->thread_info.status & TS_COMPAT_FLAG) return 0;
    bpf_tail_call(ctx, &syscall_handlers, nr);
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ts_h_path, struct pt_regs *regs, long ret) {
    __u32 nr = (__u32)regs->orig_ax;
    struct tsr_syscall_layout *l = layout_get(nr);
    if (!l) return 0;
    if ((l->options & TSR_L_SKIP_SUCCESS) && ret >= 0) return 0;
    __u8 *buf = scratch_get(0);
    if (!buf) return 0;
    struct task_struct *task = bpf_get_current_task_btf();
    struct tsr_record *r = record_begin(buf, task, TSR_KIND_SYSCALL);
    r->nr = nr;
    r->handler = TSR_H_PATH;
    r->res = ret;
    unsigned long a[6];
    read_args(regs, a);
    copy_numbers(r, l, a);
    if (l->options & TSR_L_OPEN_HOW) {
        /* openat2: struct open_how { u64 flags; u64 mode; u64 resolve; } */
        __u64 how[2] = {};
        if (bpf_probe_read_user(how, sizeof(how), (void *)arg_at(a, l->flags)) != 0) r->flags |= TSR_F_READ_FAULT;
        r->arg[1] = how[0];
        r->arg[2] = how[1];
    }
    __u32 off = sizeof(struct tsr_record);
    long dirfd1 = l->dirfd1 >= 0 ? (long)(int)arg_at(a, l->dirfd1) : AT_FDCWD;
    long dirfd2 = l->dirfd2 >= 0 ? (long)(int)arg_at(a, l->dirfd2) : AT_FDCWD;
    if (l->path1 >= 0 && (l->options & TSR_L_PATH1_RAW)) {
        put_user_str(buf, &off, r, TSR_PATH_1, (const char *)arg_at(a, l->path1));
    } else if (l->path1 >= 0) {
        put_user_path(buf, &off, r, TSR_PATH_1, task, (const char *)arg_at(a, l->path1), dirfd1);
    } else if (l->fd >= 0) {
        /* fchmod, fchdir: the descriptor's own path stands as the base of an empty path */
        struct file *f = fd_file(task, (long)(int)arg_at(a, l->fd));
        if (f) put_kernel_path(buf, &off, r, TSR_PATH_1_BASE, (struct path *)((char *)f + bpf_core_field_offset(struct file, f_path)), task);
    }
    if (l->path2 >= 0) put_user_path(buf, &off, r, TSR_PATH_2, task, (const char *)arg_at(a, l->path2), dirfd2);
    record_send(buf, r, off);
    return 0;
}

static __always_inline void sock_from_user(struct tsr_record *r, const void *uaddr, long len) {
    struct sockaddr_in6 sa = {};
    if (!uaddr || len < 2) return;
    if (bpf_probe_read_user(&sa, sizeof(sa), uaddr) != 0) {
        /* a short sockaddr_in near the end of a mapping: read what it can hold */
        if (bpf_probe_read_user(&sa, sizeof(struct sockaddr_in), uaddr) != 0) { r->flags |= TSR_F_READ_FAULT; return; }
    }
    r->sock.family = sa.sin6_family;
    if (sa.sin6_family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&sa;
        __builtin_memcpy(r->sock.remote, &in->sin_addr, 4);
        r->sock.remote_port = bpf_ntohs(in->sin_port);
        r->flags |= TSR_F_SOCK_VALID;
    } else if (sa.sin6_family == AF_INET6) {
        __builtin_memcpy(r->sock.remote, &sa.sin6_addr, 16);
        r->sock.remote_port = bpf_ntohs(sa.sin6_port);
        r->flags |= TSR_F_SOCK_VALID;
    }
}

static __always_inline void put_unix_address(__u8 *buf, __u32 *off, struct tsr_record *r, struct unix_address *addr) {
    if (!addr) return;
    const char *path = (const char *)addr + bpf_core_field_offset(struct unix_address, name) + 2;
    char first = 0;
    bpf_probe_read_kernel(&first, 1, path);
    /* an abstract socket's name starts with a zero byte: shown with '@' as ss does */
    if (first == 0) {
        buf[*off & STR_OFF_MASK] = '@';
        *off += 1;
        put_kernel_str(buf, off, r, TSR_SOCK_UNIX_PATH, path + 1, 107);
        if (r->len[TSR_SOCK_UNIX_PATH] == 0) *off -= 1;
        else r->len[TSR_SOCK_UNIX_PATH] += 1;
        return;
    }
    put_kernel_str(buf, off, r, TSR_SOCK_UNIX_PATH, path, 108);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ts_h_socket, struct pt_regs *regs, long ret) {
    __u32 nr = (__u32)regs->orig_ax;
    struct tsr_syscall_layout *l = layout_get(nr);
    if (!l) return 0;
    __u8 *buf = scratch_get(0);
    if (!buf) return 0;
    struct task_struct *task = bpf_get_current_task_btf();
    struct tsr_record *r = record_begin(buf, task, TSR_KIND_SYSCALL);
    r->nr = nr;
    r->handler = TSR_H_SOCKET;
    r->res = ret;
    unsigned long a[6];
    read_args(regs, a);
    copy_numbers(r, l, a);
    __u32 off = sizeof(struct tsr_record);
    long fd = (l->options & TSR_L_FD_IS_RESULT) ? ret : (long)(int)arg_at(a, l->fd);
    r->arg[0] = fd;
    struct file *f = fd_file(task, fd);
    struct sock *sk = 0;
    if (f) {
        umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
        if ((mode & S_IFMT) == S_IFSOCK) {
            struct socket *sock = BPF_CORE_READ(f, private_data);
            sk = BPF_CORE_READ(sock, sk);
        }
    }
    if (sk) {
        __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
        r->sock.family = family;
        r->sock.type = BPF_CORE_READ(sk, sk_type);
        r->sock.protocol = BPF_CORE_READ(sk, sk_protocol);
        if (family == AF_INET) {
            __u32 local = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
            __u32 remote = BPF_CORE_READ(sk, __sk_common.skc_daddr);
            __builtin_memcpy(r->sock.local, &local, 4);
            __builtin_memcpy(r->sock.remote, &remote, 4);
            r->sock.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
            r->sock.remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
            r->flags |= TSR_F_SOCK_VALID;
        } else if (family == AF_INET6) {
            BPF_CORE_READ_INTO(&r->sock.local, sk, __sk_common.skc_v6_rcv_saddr);
            BPF_CORE_READ_INTO(&r->sock.remote, sk, __sk_common.skc_v6_daddr);
            r->sock.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
            r->sock.remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
            r->flags |= TSR_F_SOCK_VALID;
        } else if (family == AF_UNIX) {
            struct unix_sock *us = (struct unix_sock *)sk;
            struct unix_address *addr = BPF_CORE_READ(us, addr);
            if (!addr) {
                struct unix_sock *peer = (struct unix_sock *)BPF_CORE_READ(us, peer);
                if (peer) addr = BPF_CORE_READ(peer, addr);
            }
            put_unix_address(buf, &off, r, addr);
        }
    }
    /* A connect that failed before the socket took the address: what the caller asked for. */
    bool no_remote = r->sock.remote_port == 0 && r->sock.family != AF_UNIX;
    if (no_remote && l->addr >= 0) {
        __u16 family = r->sock.family, type = r->sock.type, protocol = r->sock.protocol;
        __u8 local[16];
        __u16 local_port = r->sock.local_port;
        __builtin_memcpy(local, r->sock.local, 16);
        sock_from_user(r, (const void *)arg_at(a, l->addr), (long)arg_at(a, l->addrlen));
        if (family) { r->sock.type = type; r->sock.protocol = protocol; }
        __builtin_memcpy(r->sock.local, local, 16);
        r->sock.local_port = local_port;
    }
    record_send(buf, r, off);
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ts_h_args, struct pt_regs *regs, long ret) {
    __u32 nr = (__u32)regs->orig_ax;
    struct tsr_syscall_layout *l = layout_get(nr);
    if (!l) return 0;
    __u8 *buf = scratch_get(0);
    if (!buf) return 0;
    struct task_struct *task = bpf_get_current_task_btf();
    struct tsr_record *r = record_begin(buf, task, TSR_KIND_SYSCALL);
    r->nr = nr;
    r->handler = TSR_H_ARGS;
    r->res = ret;
    unsigned long a[6];
    read_args(regs, a);
    copy_numbers(r, l, a);
    record_send(buf, r, sizeof(struct tsr_record));
    return 0;
}

/* ------------------------------------------------------------------------------------------- */

static __always_inline void put_cgroup(__u8 *buf, __u32 *off, struct tsr_record *r, struct task_struct *task) {
    struct kernfs_node *kn = 0;
    __u32 source = tsr_cfg.cgroup_source;
    if (source == TSR_CGROUP_V2) {
        kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
    } else {
        int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
        if (source == TSR_CGROUP_V1_PIDS) id = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
        if (source == TSR_CGROUP_V1_CPU) id = bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id);
        struct css_set *cgroups = BPF_CORE_READ(task, cgroups);
        struct cgroup_subsys_state *css = 0;
        bpf_probe_read_kernel(&css, sizeof(css), &cgroups->subsys[id & 15]);
        kn = BPF_CORE_READ(css, cgroup, kn);
    }
    __u32 start = *off, len = 0;
    for (int i = 0; i < MAX_CGROUP_COMPONENTS && kn; i++) {
        const char *name = BPF_CORE_READ(kn, name);
        long n = bpf_probe_read_kernel_str(buf + ((start + len) & STR_OFF_MASK), NAME_LEN, name);
        if (n <= 1) break;   /* the root's name is empty */
        len += n;
        if (bpf_core_field_exists(kn->__parent)) kn = BPF_CORE_READ(kn, __parent);
        else kn = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
    }
    if (len == 0) return;
    r->len[TSR_EXEC_CGROUP] = len - 1;
    *off = start + len - 1;
}

static __always_inline void exe_flags(struct tsr_record *r, struct file *exe) {
    struct dentry *dentry = BPF_CORE_READ(exe, f_path.dentry);
    if (!dentry) return;
    if (BPF_CORE_READ(dentry, d_parent) == dentry) {
        char prefix[7] = {};
        bpf_probe_read_kernel_str(prefix, sizeof(prefix), BPF_CORE_READ(dentry, d_name.name));
        if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' && prefix[4] == 'd' && prefix[5] == ':')
            r->flags |= TSR_F_EXE_MEMFD;
    }
    if (BPF_CORE_READ(dentry, d_sb, s_magic) == OVERLAYFS_SUPER_MAGIC) {
        /* overlayfs keeps its upper dentry right after the VFS inode (struct ovl_inode) */
        char *inode = (char *)BPF_CORE_READ(dentry, d_inode);
        struct dentry *upper = 0;
        bpf_probe_read_kernel(&upper, sizeof(upper), inode + bpf_core_type_size(struct inode));
        if (upper && BPF_CORE_READ(upper, d_inode, i_ino) != 0) r->flags |= TSR_F_EXE_UPPER;
    }
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ts_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
    __u8 *buf = scratch_get(1);
    if (!buf) return 0;
    struct tsr_record *r = record_begin(buf, p, TSR_KIND_EXEC);
    /* execve or execveat: the syscall the task is in */
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(p);
    if (regs) r->nr = (__u16)BPF_CORE_READ(regs, orig_ax);
    __u32 off = sizeof(struct tsr_record);
    put_kernel_str(buf, &off, r, TSR_EXEC_FILENAME, BPF_CORE_READ(bprm, filename), TSR_STR_MAX);
    struct file *exe = BPF_CORE_READ(p, mm, exe_file);
    if (exe) {
        put_kernel_path(buf, &off, r, TSR_EXEC_EXEPATH, (struct path *)((char *)exe + bpf_core_field_offset(struct file, f_path)), p);
        exe_flags(r, exe);
    }
    unsigned long arg_start = BPF_CORE_READ(p, mm, arg_start);
    unsigned long arg_end = BPF_CORE_READ(p, mm, arg_end);
    if (arg_end > arg_start) {
        unsigned long n = arg_end - arg_start;
        if (n > TSR_STR_MAX - 1) { n = TSR_STR_MAX - 1; r->flags |= TSR_F_TRUNCATED; }
        if (bpf_probe_read_user(buf + (off & STR_OFF_MASK), n & (TSR_STR_MAX - 1), (void *)arg_start) == 0) {
            /* argv ends with a terminator: drop it, keep the ones between arguments */
            if (n > 0 && buf[(off + n - 1) & STR_OFF_MASK] == 0) n -= 1;
            r->len[TSR_EXEC_ARGS] = n;
            off += n;
        } else {
            r->flags |= TSR_F_READ_FAULT;
        }
    }
    put_kernel_str(buf, &off, r, TSR_EXEC_COMM, p->comm, TSR_COMM_LEN);
    struct path *pwd = (struct path *)((char *)BPF_CORE_READ(p, fs) + bpf_core_field_offset(struct fs_struct, pwd));
    put_kernel_path(buf, &off, r, TSR_EXEC_CWD, pwd, p);
    put_cgroup(buf, &off, r, p);
    record_send(buf, r, off);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ts_fork, struct task_struct *parent, struct task_struct *child) {
    __u32 parent_tgid = BPF_CORE_READ(parent, tgid);
    if (BPF_CORE_READ(child, tgid) == parent_tgid) return 0;   /* a new thread */
    __u8 *buf = scratch_get(1);
    if (!buf) return 0;
    struct tsr_record *r = record_begin(buf, child, TSR_KIND_FORK);
    r->arg[0] = parent_tgid;
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(parent);
    if (regs) r->nr = (__u16)BPF_CORE_READ(regs, orig_ax);
    if (BPF_CORE_READ(child, mm) == BPF_CORE_READ(parent, mm)) r->flags |= TSR_F_THREAD_CLONE;
    __u32 off = sizeof(struct tsr_record);
    put_kernel_str(buf, &off, r, TSR_FORK_COMM, child->comm, TSR_COMM_LEN);
    put_cgroup(buf, &off, r, child);
    record_send(buf, r, off);
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ts_exit, struct task_struct *p) {
    if (BPF_CORE_READ(p, signal, live.counter) != 0) return 0;   /* other threads live on */
    __u8 *buf = scratch_get(1);
    if (!buf) return 0;
    struct tsr_record *r = record_begin(buf, p, TSR_KIND_EXIT);
    r->res = BPF_CORE_READ(p, exit_code);
    record_send(buf, r, sizeof(struct tsr_record));
    return 0;
}
