// Generated from ../shared/conformance/fields/*.tsv (falcosecurity/libs + plugins field tables, Apache-2.0).
// Embedded verbatim so the engine works without the corpus; RuleEngineTests checks they stay identical.

enum EmbeddedCatalogs {
    static let syscallFieldsTSV = #"""
name	type	arg	description	class	flags	provider
evt.num	UINT64	none	event number.	evt		libsinsp
evt.time	CHARBUF	none	event timestamp as a time string that includes the nanosecond part.	evt		libsinsp
evt.time.s	CHARBUF	none	event timestamp as a time string with no nanoseconds.	evt		libsinsp
evt.time.iso8601	CHARBUF	none	event timestamp in ISO 8601 format, including nanoseconds and time zone offset (in UTC).	evt		libsinsp
evt.datetime	CHARBUF	none	event timestamp as a time string that includes the date.	evt		libsinsp
evt.datetime.s	CHARBUF	none	event timestamp as a datetime string with no nanoseconds.	evt		libsinsp
evt.rawtime	ABSTIME	none	absolute event timestamp, i.e. nanoseconds from epoch.	evt		libsinsp
evt.rawtime.s	ABSTIME	none	integer part of the event timestamp (e.g. seconds since epoch).	evt		libsinsp
evt.rawtime.ns	ABSTIME	none	fractional part of the absolute event timestamp.	evt		libsinsp
evt.reltime	RELTIME	none	number of nanoseconds from the beginning of the capture.	evt		libsinsp
evt.reltime.s	RELTIME	none	number of seconds from the beginning of the capture.	evt		libsinsp
evt.reltime.ns	RELTIME	none	fractional part (in ns) of the time from the beginning of the capture.	evt		libsinsp
evt.pluginname	CHARBUF	none	if the event comes from a plugin-defined event source, the name of the plugin that generated it. The plugin must be currently loaded.	evt		libsinsp
evt.plugininfo	CHARBUF	none	if the event comes from a plugin-defined event source, a summary of the event as formatted by the plugin. The plugin must be currently loaded.	evt		libsinsp
evt.source	CHARBUF	none	the name of the source that produced the event.	evt		libsinsp
evt.is_async	BOOL	none	'true' for asynchronous events, 'false' otherwise.	evt		libsinsp
evt.asynctype	CHARBUF	none	If the event is asynchronous, the type of the event (e.g. 'container').	evt		libsinsp
evt.hostname	CHARBUF	none	The hostname of the underlying host can be customized by setting an environment variable (e.g. FALCO_HOSTNAME for the Falco agent). This is valuable in Kubernetes setups, where the hostname can match the pod name particularly in DaemonSet deployments. To achieve this, assign Kubernetes' spec.nodeName to the environment variable. Notably, spec.nodeName generally includes the cluster name.	evt		libsinsp
evt.latency	RELTIME	none	delta between an exit event and the correspondent enter event, in nanoseconds.	evt	deprecated	libsinsp
evt.latency.s	RELTIME	none	integer part of the event latency delta.	evt	deprecated	libsinsp
evt.latency.ns	RELTIME	none	fractional part of the event latency delta.	evt	deprecated	libsinsp
evt.latency.quantized	UINT64	none	10-base log of the delta between an exit event and the correspondent enter event.	evt	table_only,deprecated	libsinsp
evt.latency.human	CHARBUF	none	delta between an exit event and the correspondent enter event, as a human readable string (e.g. 10.3ms).	evt	deprecated	libsinsp
evt.deltatime	RELTIME	none	delta between this event and the previous event, in nanoseconds.	evt		libsinsp
evt.deltatime.s	RELTIME	none	integer part of the delta between this event and the previous event.	evt		libsinsp
evt.deltatime.ns	RELTIME	none	fractional part of the delta between this event and the previous event.	evt		libsinsp
evt.outputtime	CHARBUF	none	this depends on -t param, default is %evt.time ('h').	evt	print_only	libsinsp
evt.dir	CHARBUF	none	event direction can be either '>' for enter events or '<' for exit events.	evt	deprecated	libsinsp
evt.type	CHARBUF	none	The name of the event (e.g. 'open').	evt		libsinsp
evt.type.is	UINT32	required+key	allows one to specify an event type, and returns 1 for events that are of that type. For example, evt.type.is.open returns 1 for open events, 0 for any other event.	evt		libsinsp
syscall.type	CHARBUF	none	For system call events, the name of the system call (e.g. 'open'). Unset for other events (e.g. switch or internal events). Use this field instead of evt.type if you need to make sure that the filtered/printed value is actually a system call.	evt		libsinsp
evt.category	CHARBUF	none	The event category. Example values are 'file' (for file operations like open and close), 'net' (for network operations like socket and bind), memory (for things like brk or mmap), and so on.	evt		libsinsp
evt.cpu	INT16	none	number of the CPU where this event happened.	evt		libsinsp
evt.args	CHARBUF	none	all the event arguments, aggregated into a single string.	evt		libsinsp
evt.arg	CHARBUF	required+index+key	one of the event arguments specified by name or by number. Some events (e.g. return codes or FDs) will be converted into a text representation when possible. E.g. 'evt.arg.fd' or 'evt.arg[0]'.	evt		libsinsp
evt.rawarg	DYN	required+key	one of the event arguments specified by name. E.g. 'evt.rawarg.fd'.	evt	no_rhs,no_transformer	libsinsp
evt.info	CHARBUF	none	Currently, this field returns the same value as 'evt.args'.	evt		libsinsp
evt.buffer	BYTEBUF	none	the binary data buffer for events that have one, like read(), recvfrom(), etc. Use this field in filters with 'contains' to search into I/O data buffers.	evt		libsinsp
evt.buflen	UINT64	none	the length of the binary data buffer for events that have one, like read(), recvfrom(), etc.	evt		libsinsp
evt.res	CHARBUF	none	event return value, as a string. If the event failed, the result is an error code string (e.g. 'ENOENT'), otherwise the result is the string 'SUCCESS'.	evt		libsinsp
evt.rawres	INT64	none	event return value, as a number (e.g. -2). Useful for range comparisons.	evt		libsinsp
evt.failed	BOOL	none	'true' for events that returned an error status.	evt		libsinsp
evt.is_io	BOOL	none	'true' for events that read or write to FDs, like read(), send, recvfrom(), etc.	evt		libsinsp
evt.is_io_read	BOOL	none	'true' for events that read from FDs, like read(), recv(), recvfrom(), etc.	evt		libsinsp
evt.is_io_write	BOOL	none	'true' for events that write to FDs, like write(), send(), etc.	evt		libsinsp
evt.io_dir	CHARBUF	none	'r' for events that read from FDs, like read(); 'w' for events that write to FDs, like write().	evt		libsinsp
evt.is_wait	BOOL	none	'true' for events that make the thread wait, e.g. sleep(), select(), poll().	evt		libsinsp
evt.wait_latency	RELTIME	none	for events that make the thread wait (e.g. sleep(), select(), poll()), this is the time spent waiting for the event to return, in nanoseconds.	evt	deprecated	libsinsp
evt.is_syslog	BOOL	none	'true' for events that are writes to /dev/log.	evt		libsinsp
evt.count	UINT32	none	This filter field always returns 1.	evt		libsinsp
evt.count.error	UINT32	none	This filter field returns 1 for events that returned with an error.	evt		libsinsp
evt.count.error.file	UINT32	none	This filter field returns 1 for events that returned with an error and are related to file I/O.	evt		libsinsp
evt.count.error.net	UINT32	none	This filter field returns 1 for events that returned with an error and are related to network I/O.	evt		libsinsp
evt.count.error.memory	UINT32	none	This filter field returns 1 for events that returned with an error and are related to memory allocation.	evt		libsinsp
evt.count.error.other	UINT32	none	This filter field returns 1 for events that returned with an error and are related to none of the previous categories.	evt		libsinsp
evt.count.exit	UINT32	none	This filter field returns 1 for exit events.	evt		libsinsp
evt.count.procinfo	UINT32	none	This filter field returns 1 for procinfo events generated by process main threads.	evt	table_only	libsinsp
evt.count.threadinfo	UINT32	none	This filter field returns 1 for procinfo events.	evt	table_only	libsinsp
evt.around	UINT64	required+index	Accepts the event if it's around the specified time interval. The syntax is evt.around[T]=D, where T is the value returned by %evt.rawtime for the event and D is a delta in milliseconds. For example, evt.around[1404996934793590564]=1000 will return the events with timestamp with one second before the timestamp and one second after it, for a total of two seconds of capture.	evt	filter_only,no_rhs,no_transformer	libsinsp
evt.abspath	CHARBUF	required+key	Absolute path calculated from dirfd and name during syscalls like renameat and symlinkat. Use 'evt.abspath.src' or 'evt.abspath.dst' for syscalls that support multiple paths.	evt		libsinsp
evt.buflen.in	UINT64	none	the length of the binary data buffer, but only for input I/O events.	evt	table_only	libsinsp
evt.buflen.out	UINT64	none	the length of the binary data buffer, but only for output I/O events.	evt	table_only	libsinsp
evt.buflen.file	UINT64	none	the length of the binary data buffer, but only for file I/O events.	evt	table_only	libsinsp
evt.buflen.file.in	UINT64	none	the length of the binary data buffer, but only for input file I/O events.	evt	table_only	libsinsp
evt.buflen.file.out	UINT64	none	the length of the binary data buffer, but only for output file I/O events.	evt	table_only	libsinsp
evt.buflen.net	UINT64	none	the length of the binary data buffer, but only for network I/O events.	evt	table_only	libsinsp
evt.buflen.net.in	UINT64	none	the length of the binary data buffer, but only for input network I/O events.	evt	table_only	libsinsp
evt.buflen.net.out	UINT64	none	the length of the binary data buffer, but only for output network I/O events.	evt	table_only	libsinsp
evt.is_open_read	BOOL	none	'true' for open/openat/openat2/open_by_handle_at events where the path was opened for reading	evt		libsinsp
evt.is_open_write	BOOL	none	'true' for open/openat/openat2/open_by_handle_at events where the path was opened for writing	evt		libsinsp
evt.infra.docker.name	CHARBUF	none	for docker infrastructure events, the name of the event.	evt	table_only	libsinsp
evt.infra.docker.container.id	CHARBUF	none	for docker infrastructure events, the id of the impacted container.	evt	table_only	libsinsp
evt.infra.docker.container.name	CHARBUF	none	for docker infrastructure events, the name of the impacted container.	evt	table_only	libsinsp
evt.infra.docker.container.image	CHARBUF	none	for docker infrastructure events, the image name of the impacted container.	evt	table_only	libsinsp
evt.is_open_exec	BOOL	none	'true' for open/openat/openat2/open_by_handle_at or creat events where a file is created with execute permissions	evt		libsinsp
evt.is_open_create	BOOL	none	'true' for for open/openat/openat2/open_by_handle_at events where a file is created.	evt		libsinsp
proc.exe	CHARBUF	none	The first command-line argument (i.e., argv[0]), typically the executable name or a custom string as specified by the user. It is primarily obtained from syscall arguments, truncated after 4096 bytes, or, as a fallback, by reading /proc/PID/cmdline, in which case it may be truncated after 1024 bytes. This field may differ from the last component of proc.exepath, reflecting how command invocation and execution paths can vary.	process		libsinsp
proc.pexe	CHARBUF	none	The proc.exe (first command line argument argv[0]) of the parent process.	process		libsinsp
proc.aexe	CHARBUF	optional+index	The proc.exe (first command line argument argv[0]) for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.aexe[1] retrieves the proc.exe of the parent process, proc.aexe[2] retrieves the proc.exe of the grandparent process, and so on. The current process's proc.exe line can be obtained using proc.aexe[0]. When used without any arguments in filters, proc.aexe matches any of the process ancestors. For instance, you can use `proc.aexe endswith java` to match any process ancestor whose proc.exe ends with the term `java`. In output, proc.aexe without arguments returns the space-separated list of proc.exe values of all ancestors.	process	no_rhs,no_transformer	libsinsp
proc.exepath	CHARBUF	none	The full executable path of a process, resolving to the canonical path for symlinks. This is primarily obtained from the kernel, or as a fallback, by reading /proc/PID/exe (in the latter case, the path is truncated after 1024 bytes). For the modern eBPF driver,due to verifier limits, path components may be truncated to 96.	process		libsinsp
proc.pexepath	CHARBUF	none	The proc.exepath (full executable path) of the parent process.	process		libsinsp
proc.aexepath	CHARBUF	optional+index	The proc.exepath (full executable path) for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.aexepath[1] retrieves the proc.exepath of the parent process, proc.aexepath[2] retrieves the proc.exepath of the grandparent process, and so on. The current process's proc.exepath line can be obtained using proc.aexepath[0]. When used without any arguments in filters, proc.aexepath matches any of the process ancestors. For instance, you can use `proc.aexepath endswith java` to match any process ancestor whose path ends with the term `java`. In output, proc.aexepath without arguments returns the space-separated list of proc.exepath values of all ancestors.	process	no_rhs,no_transformer	libsinsp
proc.name	CHARBUF	none	The process name (truncated after 16 characters) generating the event (task->comm). Truncation is determined by kernel settings and not by Falco. This field is collected from the syscalls args or, as a fallback, extracted from /proc/PID/comm. The name of the process and the name of the executable file on disk (if applicable) can be different if a process is given a custom name which is often the case for example for java applications.	process		libsinsp
proc.pname	CHARBUF	none	The proc.name (truncated after 16 characters) of the parent process.	process		libsinsp
proc.aname	CHARBUF	optional+index	The proc.name (truncated after 16 characters) for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.aname[1] retrieves the proc.name of the parent process, proc.aname[2] retrieves the proc.name of the grandparent process, and so on. The current process's proc.name line can be obtained using proc.aname[0]. When used without any arguments in filters, proc.aname matches any of the process ancestors. For instance, you can use `proc.aname=bash` to match any process ancestor whose name is `bash`. In output, proc.aname without arguments returns the space-separated list of proc.name values of all ancestors.	process	no_rhs,no_transformer	libsinsp
proc.args	CHARBUF	optional+index	The arguments passed on the command line when starting the process generating the event excluding argv[0] (truncated after 4096 bytes). This field is collected from the system call arguments, or as a fallback, extracted from /proc/PID/cmdline, can be accessed by specifying proc.args[INDEX], e.g., proc.args[0] or proc.args[1]. The indexing is zero-based, meaning proc.args[0] refers to the first command-line argument passed, rather than argv[0].	process		libsinsp
proc.aargs	CHARBUF	optional+index	The arguments passed on the command line when starting the process generating the event for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.aargs[1] retrieves the arguments passed on the command line of the parent process, proc.aargs[2] retrieves the proc.args of the grandparent process, and so on. The current process's arguments passed on the command line can be obtained using proc.aargs[0]. When used without any arguments in filters, proc.aargs matches any of the process ancestors. For instance, you can use `proc.aargs contains base64` to match any process ancestor whose arguments contain the term base64. In output, proc.aargs without arguments returns the space-separated list of proc.args values of all ancestors.	process		libsinsp
proc.cmdline	CHARBUF	none	The concatenation of `proc.name + proc.args` (truncated after 4096 bytes) when starting the process generating the event.	process		libsinsp
proc.pcmdline	CHARBUF	none	The proc.cmdline (full command line (proc.name + proc.args)) of the parent process.	process		libsinsp
proc.acmdline	CHARBUF	optional+index	The full command line (proc.name + proc.args) for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.acmdline[1] retrieves the full command line of the parent process, proc.acmdline[2] retrieves the proc.cmdline of the grandparent process, and so on. The current process's full command line can be obtained using proc.acmdline[0]. When used without any arguments in filters, proc.acmdline matches any of the process ancestors. For instance, you can use `proc.acmdline contains base64` to match any process ancestor whose command line contains the term base64. In output, proc.acmdline without arguments returns the space-separated list of proc.cmdline values of all ancestors.	process	no_rhs,no_transformer	libsinsp
proc.cmdnargs	UINT64	none	The number of command line args (proc.args).	process		libsinsp
proc.cmdlenargs	UINT64	none	The total count of characters / length of the command line args (proc.args) combined excluding whitespaces between args.	process		libsinsp
proc.exeline	CHARBUF	none	The full command line, with exe as first argument (proc.exe + proc.args) when starting the process generating the event.	process		libsinsp
proc.env	CHARBUF	optional+key	The environment variables of the process generating the event as concatenated string 'ENV_NAME=value ENV_NAME1=value1'. Can also be used to extract the value of a known env variable, e.g. proc.env[ENV_NAME].	process		libsinsp
proc.aenv	CHARBUF	optional+index+key	[EXPERIMENTAL] This field can be used in three flavors: (1) as a filter checking all parents, e.g. 'proc.aenv contains xyz', which is similar to the familiar 'proc.aname contains xyz' approach, (2) checking the `proc.env` of a specified level of the parent, e.g. 'proc.aenv[2]', which is similar to the familiar 'proc.aname[2]' approach, or (3) checking the first matched value of a known ENV_NAME in the parent lineage, such as 'proc.aenv[ENV_NAME]' (across a max of 20 ancestor levels). This field may be deprecated or undergo breaking changes in future releases. Please use it with caution.	process	no_rhs,no_transformer	libsinsp
proc.cwd	CHARBUF	none	The current working directory of the event.	process		libsinsp
proc.loginshellid	INT64	none	The pid of the oldest shell among the ancestors of the current process, if there is one. This field can be used to separate different user sessions.	process		libsinsp
proc.tty	UINT32	none	The controlling terminal of the process. 0 for processes without a terminal.	process		libsinsp
proc.pid	INT64	none	The id of the process generating the event.	process		libsinsp
proc.ppid	INT64	none	The pid of the parent of the process generating the event.	process		libsinsp
proc.apid	INT64	optional+index	The pid for a specific process ancestor. You can access different levels of ancestors by using indices. For example, proc.apid[1] retrieves the pid of the parent process, proc.apid[2] retrieves the pid of the grandparent process, and so on. The current process's pid can be obtained using proc.apid[0]. When used without any arguments in filters, proc.apid matches any of the process ancestors. For instance, you can use `proc.apid=1337` to match any process ancestor whose pid is equal to 1337. In output, proc.apid without arguments defaults to proc.apid[0] (the current process's pid).	process	no_rhs,no_transformer	libsinsp
proc.vpid	INT64	none	The id of the process generating the event as seen from its current PID namespace.	process		libsinsp
proc.pvpid	INT64	none	The id of the parent process generating the event as seen from its current PID namespace.	process		libsinsp
proc.sid	INT64	none	The session id of the process generating the event.	process		libsinsp
proc.sname	CHARBUF	none	The name of the current process's session leader. This is either the process with pid=proc.sid or the eldest ancestor that has the same sid as the current process.	process		libsinsp
proc.sid.exe	CHARBUF	none	The first command line argument argv[0] (usually the executable name or a custom one) of the current process's session leader. This is either the process with pid=proc.sid or the eldest ancestor that has the same sid as the current process.	process		libsinsp
proc.sid.exepath	CHARBUF	none	The full executable path of the current process's session leader. This is either the process with pid=proc.sid or the eldest ancestor that has the same sid as the current process.	process		libsinsp
proc.vpgid	INT64	none	The process group id of the process generating the event, as seen from its current PID namespace.	process		libsinsp
proc.vpgid.name	CHARBUF	none	The name of the current process's process group leader. This is either the process with proc.vpgid == proc.vpid or the eldest ancestor that has the same vpgid as the current process. The description of `proc.is_vpgid_leader` offers additional insights.	process		libsinsp
proc.vpgid.exe	CHARBUF	none	The first command line argument argv[0] (usually the executable name or a custom one) of the current process's process group leader. This is either the process with proc.vpgid == proc.vpid or the eldest ancestor that has the same vpgid as the current process. The description of `proc.is_vpgid_leader` offers additional insights.	process		libsinsp
proc.vpgid.exepath	CHARBUF	none	The full executable path of the current process's process group leader. This is either the process with proc.vpgid == proc.vpid or the eldest ancestor that has the same vpgid as the current process. The description of `proc.is_vpgid_leader` offers additional insights.	process		libsinsp
proc.pgid	INT64	none	The process group id of the process generating the event, as seen from host PID namespace.	process		libsinsp
proc.pgid.name	CHARBUF	none	The name of the current process's process group leader. This is either the process with proc.pgid == proc.pid or the eldest ancestor that has the same pgid as the current process. The description of `proc.is_pgid_leader` offers additional insights.	process		libsinsp
proc.pgid.exe	CHARBUF	none	The first command line argument argv[0] (usually the executable name or a custom one) of the current process's process group leader. This is either the process with proc.pgid == proc.pid or the eldest ancestor that has the same pgid as the current process. The description of `proc.is_pgid_leader` offers additional insights.	process		libsinsp
proc.pgid.exepath	CHARBUF	none	The full executable path of the current process's process group leader. This is either the process with proc.pgid == proc.pid or the eldest ancestor that has the same pgid as the current process. The description of `proc.is_pgid_leader` offers additional insights.	process		libsinsp
proc.duration	RELTIME	none	Number of nanoseconds since the process started.	process		libsinsp
proc.ppid.duration	RELTIME	none	Number of nanoseconds since the parent process started.	process		libsinsp
proc.pid.ts	RELTIME	none	Start of process as epoch timestamp in nanoseconds.	process		libsinsp
proc.ppid.ts	RELTIME	none	Start of parent process as epoch timestamp in nanoseconds.	process		libsinsp
proc.is_exe_writable	BOOL	none	'true' if this process' executable file is writable by the same user that spawned the process.	process		libsinsp
proc.is_exe_upper_layer	BOOL	none	'true' if this process' executable file is in upper layer in overlayfs. This field value can only be trusted if the underlying kernel version is greater or equal than 3.18.0, since overlayfs was introduced at that time.	process		libsinsp
proc.is_exe_lower_layer	BOOL	none	'true' if this process' executable file is in lower layer in overlayfs. This field value can only be trusted if the underlying kernel version is greater or equal than 3.18.0, since overlayfs was introduced at that time.	process		libsinsp
proc.is_exe_from_memfd	BOOL	none	'true' if the executable file of the current process is an anonymous file created using memfd_create() and is being executed by referencing its file descriptor (fd). This type of file exists only in memory and not on disk. Relevant to detect malicious in-memory code injection. Requires kernel version greater or equal to 3.17.0.	process		libsinsp
proc.is_sid_leader	BOOL	none	'true' if this process is the leader of the process session, proc.sid == proc.vpid. For host processes vpid reflects pid.	process		libsinsp
proc.is_vpgid_leader	BOOL	none	'true' if this process is the leader of the virtual process group, proc.vpgid == proc.vpid. For host processes vpgid and vpid reflect pgid and pid. Can help to distinguish if the process was 'directly' executed for instance in a tty (similar to bash history logging, `is_vpgid_leader` would be 'true') or executed as descendent process in the same process group which for example is the case when subprocesses are spawned from a script (`is_vpgid_leader` would be 'false').	process		libsinsp
proc.is_pgid_leader	BOOL	none	'true' if this process is the leader of the process group, proc.pgid == proc.pid. Can help to distinguish if the process was 'directly' executed for instance in a tty (similar to bash history logging, `is_pgid_leader` would be 'true') or executed as descendent process in the same process group which for example is the case when subprocesses are spawned from a script (`is_pgid_leader` would be 'false').	process		libsinsp
proc.exe_ino	INT64	none	The inode number of the executable file on disk. Can be correlated with fd.ino.	process		libsinsp
proc.exe_ino.ctime	ABSTIME	none	Last status change time of executable file (inode->ctime) as epoch timestamp in nanoseconds. Time is changed by writing or by setting inode information e.g. owner, group, link count, mode etc.	process		libsinsp
proc.exe_ino.mtime	ABSTIME	none	Last modification time of executable file (inode->mtime) as epoch timestamp in nanoseconds. Time is changed by file modifications, e.g. by mknod, truncate, utime, write of more than zero bytes etc. For tracking changes in owner, group, link count or mode, use proc.exe_ino.ctime instead.	process		libsinsp
proc.exe_ino.ctime_duration_proc_start	ABSTIME	none	Number of nanoseconds between modifying status of executable image and spawning a new process using the changed executable image.	process		libsinsp
proc.exe_ino.ctime_duration_pidns_start	ABSTIME	none	Number of nanoseconds between PID namespace start ts and ctime exe file if PID namespace start predates ctime.	process		libsinsp
proc.pidns_init_start_ts	UINT64	none	Start of PID namespace (container or non container pid namespace) as epoch timestamp in nanoseconds.	process		libsinsp
thread.cap_permitted	CHARBUF	none	The permitted capabilities set	process		libsinsp
thread.cap_inheritable	CHARBUF	none	The inheritable capabilities set	process		libsinsp
thread.cap_effective	CHARBUF	none	The effective capabilities set	process		libsinsp
proc.fdopencount	UINT64	none	Number of open FDs for the process	process		libsinsp
proc.fdlimit	INT64	none	Maximum number of FDs the process can open.	process		libsinsp
proc.fdusage	DOUBLE	none	The ratio between open FDs and maximum available FDs for the process.	process		libsinsp
proc.vmsize	UINT64	none	Total virtual memory for the process (as kb).	process		libsinsp
proc.vmrss	UINT64	none	Resident non-swapped memory for the process (as kb).	process		libsinsp
proc.vmswap	UINT64	none	Swapped memory for the process (as kb).	process		libsinsp
thread.pfmajor	UINT64	none	Number of major page faults since thread start.	process		libsinsp
thread.pfminor	UINT64	none	Number of minor page faults since thread start.	process		libsinsp
thread.tid	INT64	none	The id of the thread generating the event.	process		libsinsp
thread.ismain	BOOL	none	'true' if the thread generating the event is the main one in the process.	process		libsinsp
thread.vtid	INT64	none	The id of the thread generating the event as seen from its current PID namespace.	process		libsinsp
thread.nametid	CHARBUF	none	This field chains the process name and tid of a thread and can be used as a specific identifier of a thread for a specific execve.	process	table_only	libsinsp
thread.exectime	RELTIME	none	CPU time spent by the last scheduled thread, in nanoseconds. Exported by switch events only.	process		libsinsp
thread.totexectime	RELTIME	none	Total CPU time, in nanoseconds since the beginning of the capture, for the current thread. Exported by switch events only.	process		libsinsp
thread.cgroups	CHARBUF	none	All cgroups the thread belongs to, aggregated into a single string.	process		libsinsp
thread.cgroup	CHARBUF	required+key	The cgroup the thread belongs to, for a specific subsystem. e.g. thread.cgroup.cpuacct.	process		libsinsp
proc.nthreads	UINT64	none	The number of alive threads that the process generating the event currently has, including the leader thread. Please note that the leader thread may not be here, in that case 'proc.nthreads' and 'proc.nchilds' are equal	process		libsinsp
proc.nchilds	UINT64	none	The number of alive not leader threads that the process generating the event currently has. This excludes the leader thread.	process		libsinsp
thread.cpu	DOUBLE	none	The CPU consumed by the thread in the last second.	process		libsinsp
thread.cpu.user	DOUBLE	none	The user CPU consumed by the thread in the last second.	process		libsinsp
thread.cpu.system	DOUBLE	none	The system CPU consumed by the thread in the last second.	process		libsinsp
thread.vmsize	UINT64	none	For the process main thread, this is the total virtual memory for the process (as kb). For the other threads, this field is zero.	process		libsinsp
thread.vmrss	UINT64	none	For the process main thread, this is the resident non-swapped memory for the process (as kb). For the other threads, this field is zero.	process		libsinsp
thread.vmsize.b	UINT64	none	For the process main thread, this is the total virtual memory for the process (in bytes). For the other threads, this field is zero.	process	table_only	libsinsp
thread.vmrss.b	UINT64	none	For the process main thread, this is the resident non-swapped memory for the process (in bytes). For the other threads, this field is zero.	process	table_only	libsinsp
proc.stdin.type	CHARBUF	none	The type of file descriptor 0, corresponding to stdin, of the process generating the event.	process		libsinsp
proc.stdout.type	CHARBUF	none	The type of file descriptor 1, corresponding to stdout, of the process generating the event.	process		libsinsp
proc.stderr.type	CHARBUF	none	The type of file descriptor 2, corresponding to stderr, of the process generating the event.	process		libsinsp
proc.stdin.name	CHARBUF	none	The name of the file descriptor 0, corresponding to stdin, of the process generating the event.	process		libsinsp
proc.stdout.name	CHARBUF	none	The name of the file descriptor 1, corresponding to stdout, of the process generating the event.	process		libsinsp
proc.stderr.name	CHARBUF	none	The name of the file descriptor 2, corresponding to stderr, of the process generating the event.	process		libsinsp
user.uid	UINT32	none	user ID.	user		libsinsp
user.name	CHARBUF	none	user name.	user		libsinsp
user.homedir	CHARBUF	none	home directory of the user.	user		libsinsp
user.shell	CHARBUF	none	user's shell.	user		libsinsp
user.loginuid	INT64	none	audit user id (auid), internally the loginuid is of type `uint32_t`. However, if an invalid uid corresponding to UINT32_MAX is encountered, it is returned as -1 to support familiar filtering conditions.	user		libsinsp
user.loginname	CHARBUF	none	audit user name (auid).	user		libsinsp
group.gid	UINT32	none	group ID.	group		libsinsp
group.name	CHARBUF	none	group name.	group		libsinsp
fd.num	INT64	none	the unique number identifying the file descriptor.	fd		libsinsp
fd.type	CHARBUF	none	type of FD. Can be 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify' 'signalfd' or 'memfd'.	fd		libsinsp
fd.typechar	CHARBUF	none	type of FD as a single character. Can be 'f' for file, 4 for IPv4 socket, 6 for IPv6 socket, 'u' for unix socket, p for pipe, 'e' for eventfd, 's' for signalfd, 'l' for eventpoll, 'i' for inotify, 'b' for bpf, 'u' for userfaultd, 'r' for io_uring, 'm' for memfd ,'o' for unknown.	fd		libsinsp
fd.name	CHARBUF	none	FD full name. If the fd is a file, this field contains the full path. If the FD is a socket, this field contain the connection tuple.	fd		libsinsp
fd.directory	CHARBUF	none	If the fd is a file, the directory that contains it.	fd		libsinsp
fd.filename	CHARBUF	none	If the fd is a file, the filename without the path.	fd		libsinsp
fd.ip	IPADDR	none	matches the ip address (client or server) of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.cip	IPADDR	none	client IP address.	fd		libsinsp
fd.sip	IPADDR	none	server IP address.	fd		libsinsp
fd.lip	IPADDR	none	local IP address.	fd		libsinsp
fd.rip	IPADDR	none	remote IP address.	fd		libsinsp
fd.port	PORT	none	matches the port (either client or server) of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.cport	PORT	none	for TCP/UDP FDs, the client port.	fd		libsinsp
fd.sport	PORT	none	for TCP/UDP FDs, server port.	fd		libsinsp
fd.lport	PORT	none	for TCP/UDP FDs, the local port.	fd		libsinsp
fd.rport	PORT	none	for TCP/UDP FDs, the remote port.	fd		libsinsp
fd.l4proto	CHARBUF	none	the IP protocol of a socket. Can be 'tcp', 'udp', 'icmp' or 'raw'.	fd		libsinsp
fd.sockfamily	CHARBUF	none	the socket family for socket events. Can be 'ip' or 'unix'.	fd		libsinsp
fd.is_server	BOOL	none	'true' if the process owning this FD is the server endpoint in the connection.	fd		libsinsp
fd.uid	CHARBUF	none	a unique identifier for the FD, created by chaining the FD number and the thread ID.	fd		libsinsp
fd.containername	CHARBUF	none	chaining of the container ID and the FD name. Useful when trying to identify which container an FD belongs to.	fd		libsinsp
fd.containerdirectory	CHARBUF	none	chaining of the container ID and the directory name. Useful when trying to identify which container a directory belongs to.	fd		libsinsp
fd.proto	PORT	none	matches the protocol (either client or server) of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.cproto	CHARBUF	none	for TCP/UDP FDs, the client protocol.	fd		libsinsp
fd.sproto	CHARBUF	none	for TCP/UDP FDs, server protocol.	fd		libsinsp
fd.lproto	CHARBUF	none	for TCP/UDP FDs, the local protocol.	fd		libsinsp
fd.rproto	CHARBUF	none	for TCP/UDP FDs, the remote protocol.	fd		libsinsp
fd.net	IPNET	none	matches the IP network (client or server) of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.cnet	IPNET	none	matches the client IP network of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.snet	IPNET	none	matches the server IP network of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.lnet	IPNET	none	matches the local IP network of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.rnet	IPNET	none	matches the remote IP network of the fd.	fd	filter_only,no_rhs,no_transformer	libsinsp
fd.connected	BOOL	none	for TCP/UDP FDs, 'true' if the socket is connected.	fd		libsinsp
fd.name_changed	BOOL	none	True when an event changes the name of an fd used by this event. This can occur in some cases such as udp connections where the connection tuple changes.	fd		libsinsp
fd.cip.name	CHARBUF	none	Domain name associated with the client IP address.	fd	no_rhs,no_transformer	libsinsp
fd.sip.name	CHARBUF	none	Domain name associated with the server IP address.	fd	no_rhs,no_transformer	libsinsp
fd.lip.name	CHARBUF	none	Domain name associated with the local IP address.	fd	no_rhs,no_transformer	libsinsp
fd.rip.name	CHARBUF	none	Domain name associated with the remote IP address.	fd	no_rhs,no_transformer	libsinsp
fd.dev	INT32	none	device number (major/minor) containing the referenced file	fd		libsinsp
fd.dev.major	INT32	none	major device number containing the referenced file	fd		libsinsp
fd.dev.minor	INT32	none	minor device number containing the referenced file	fd		libsinsp
fd.ino	INT64	none	inode number of the referenced file	fd		libsinsp
fd.nameraw	CHARBUF	none	FD full name raw. Just like fd.name, but only used if fd is a file path. File path is kept raw with limited sanitization and without deriving the absolute path.	fd		libsinsp
fd.types	CHARBUF list	optional+index	List of FD types in used. Can be passed an fd number e.g. fd.types[0] to get the type of stdout as a single item list.	fd	no_rhs	libsinsp
fd.is_upper_layer	BOOL	none	'true' if the fd is of a file in the upper layer of an overlayfs.	fd		libsinsp
fd.is_lower_layer	BOOL	none	'true' if the fd is of a file in the lower layer of an overlayfs.	fd		libsinsp
fs.path.name	CHARBUF	none	For any event type that deals with a filesystem path, the path the file syscall is operating on. This path is always fully resolved, prepending the thread cwd when needed.	fs.path		libsinsp
fs.path.nameraw	CHARBUF	none	For any event type that deals with a filesystem path, the path the file syscall is operating on. This path is always the path provided to the syscall and may not be fully resolved.	fs.path		libsinsp
fs.path.source	CHARBUF	none	For any event type that deals with a filesystem path, and specifically for a source and target like mv, cp, etc, the source path the file syscall is operating on. This path is always fully resolved, prepending the thread cwd when needed.	fs.path		libsinsp
fs.path.sourceraw	CHARBUF	none	For any event type that deals with a filesystem path, and specifically for a source and target like mv, cp, etc, the source path the file syscall is operating on. This path is always the path provided to the syscall and may not be fully resolved.	fs.path		libsinsp
fs.path.target	CHARBUF	none	For any event type that deals with a filesystem path, and specifically for a target and target like mv, cp, etc, the target path the file syscall is operating on. This path is always fully resolved, prepending the thread cwd when needed.	fs.path		libsinsp
fs.path.targetraw	CHARBUF	none	For any event type that deals with a filesystem path, and specifically for a target and target like mv, cp, etc, the target path the file syscall is operating on. This path is always the path provided to the syscall and may not be fully resolved.	fs.path		libsinsp
fdlist.nums	CHARBUF	none	for poll events, this is a comma-separated list of the FD numbers in the 'fds' argument, returned as a string.	fdlist		libsinsp
fdlist.names	CHARBUF	none	for poll events, this is a comma-separated list of the FD names in the 'fds' argument, returned as a string.	fdlist		libsinsp
fdlist.cips	CHARBUF	none	for poll events, this is a comma-separated list of the client IP addresses in the 'fds' argument, returned as a string.	fdlist		libsinsp
fdlist.sips	CHARBUF	none	for poll events, this is a comma-separated list of the server IP addresses in the 'fds' argument, returned as a string.	fdlist		libsinsp
fdlist.cports	CHARBUF	none	for TCP/UDP FDs, for poll events, this is a comma-separated list of the client TCP/UDP ports in the 'fds' argument, returned as a string.	fdlist		libsinsp
fdlist.sports	CHARBUF	none	for poll events, this is a comma-separated list of the server TCP/UDP ports in the 'fds' argument, returned as a string.	fdlist		libsinsp
util.cnt	UINT64	none	incremental counter.	util	hidden_class	libsinsp
container.id	CHARBUF	none	The truncated container ID (first 12 characters), e.g. 3ad7b26ded6d is extracted from the Linux cgroups by Falco within the kernel. Consequently, this field is reliably available and serves as the lookup key for Falco's synchronous or asynchronous requests against the container runtime socket to retrieve all other 'container.*' information. One important aspect to be aware of is that if the process occurs on the host, meaning not in the container PID namespace, this field is set to a string called 'host'. In Kubernetes, pod sandbox container processes can exist where `container.id` matches `k8s.pod.sandbox_id`, lacking other 'container.*' details.	container	output_suggested	container plugin
container.full_id	CHARBUF	none	The full container ID, e.g. 3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e. In contrast to `container.id`, we enrich this field as part of the container engine enrichment. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.name	CHARBUF	none	The container name. In instances of userspace container engine lookup delays, this field may not be available yet. One important aspect to be aware of is that if the process occurs on the host, meaning not in the container PID namespace, this field is set to a string called 'host'.	container	output_suggested	container plugin
container.image	CHARBUF	none	The container image name (e.g. falcosecurity/falco:latest for docker). In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.image.id	CHARBUF	none	The container image id (e.g. 6f7e2741b66b). In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.type	CHARBUF	none	The container type, e.g. docker, cri-o, containerd etc.	container		container plugin
container.privileged	BOOL	none	'true' for containers running as privileged, 'false' otherwise. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mounts	CHARBUF	none	A space-separated list of mount information. Each item in the list has the format 'source:dest:mode:rdrw:propagation'. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount	CHARBUF	required+index+key	Information about a single mount, specified by number (e.g. container.mount[0]) or mount source (container.mount[/usr/local]). The pathname can be a glob (container.mount[/usr/local/*]), in which case the first matching mount will be returned. The information has the format 'source:dest:mode:rdrw:propagation'. If there is no mount with the specified index or matching the provided source, returns the string "none" instead of a NULL value. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount.source	CHARBUF	required+index+key	The mount source, specified by number (e.g. container.mount.source[0]) or mount destination (container.mount.source[/host/lib/modules]). The pathname can be a glob. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount.dest	CHARBUF	required+index+key	The mount destination, specified by number (e.g. container.mount.dest[0]) or mount source (container.mount.dest[/lib/modules]). The pathname can be a glob. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount.mode	CHARBUF	required+index+key	The mount mode, specified by number (e.g. container.mount.mode[0]) or mount source (container.mount.mode[/usr/local]). The pathname can be a glob. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount.rdwr	CHARBUF	required+index+key	The mount rdwr value, specified by number (e.g. container.mount.rdwr[0]) or mount source (container.mount.rdwr[/usr/local]). The pathname can be a glob. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.mount.propagation	CHARBUF	required+index+key	The mount propagation value, specified by number (e.g. container.mount.propagation[0]) or mount source (container.mount.propagation[/usr/local]). The pathname can be a glob. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.image.repository	CHARBUF	none	The container image repository (e.g. falcosecurity/falco). In instances of userspace container engine lookup delays, this field may not be available yet.	container	output_suggested	container plugin
container.image.tag	CHARBUF	none	The container image tag (e.g. stable, latest). In instances of userspace container engine lookup delays, this field may not be available yet.	container	output_suggested	container plugin
container.image.digest	CHARBUF	none	The container image registry digest (e.g. sha256:d977378f890d445c15e51795296e4e5062f109ce6da83e0a355fc4ad8699d27). In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.healthcheck	CHARBUF	none	Deprecated, will be removed in a future version.	container	deprecated	container plugin
container.liveness_probe	CHARBUF	none	Deprecated, will be removed in a future version. Use `k8smeta` plugin instead.	container	deprecated	container plugin
container.readiness_probe	CHARBUF	none	Deprecated, will be removed in a future version. Use `k8smeta` plugin instead.	container	deprecated	container plugin
container.start_ts	ABSTIME	none	Container start as epoch timestamp in nanoseconds based on proc.pidns_init_start_ts and extracted in the kernel and not from the container runtime socket / container engine.	container		container plugin
container.duration	RELTIME	none	Number of nanoseconds since container.start_ts.	container		container plugin
container.ip	CHARBUF	none	The container's / pod's primary ip address as retrieved from the container engine. Only ipv4 addresses are tracked. Consider container.cni.json (CRI use case) for logging ip addresses for each network interface. In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.cni.json	CHARBUF	none	The container's / pod's CNI result field from the respective pod status info. It contains ip addresses for each network interface exposed as unparsed escaped JSON string. Supported for CRI container engine (containerd, cri-o runtimes), optimized for containerd (some non-critical JSON keys removed). Useful for tracking ips (ipv4 and ipv6, dual-stack support) for each network interface (multi-interface support). In instances of userspace container engine lookup delays, this field may not be available yet.	container		container plugin
container.host_pid	BOOL	none	'true' if the container is running in the host PID namespace, 'false' otherwise.	container		container plugin
container.host_network	BOOL	none	'true' if the container is running in the host network namespace, 'false' otherwise.	container		container plugin
container.host_ipc	BOOL	none	'true' if the container is running in the host IPC namespace, 'false' otherwise.	container		container plugin
container.label	CHARBUF	required+key	Container label. E.g. 'container.label.foo'.	container		container plugin
container.labels	CHARBUF	none	Container comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'.	container		container plugin
proc.is_container_healthcheck	BOOL	none	Deprecated, will be removed in a future version.	proc	deprecated	container plugin
proc.is_container_liveness_probe	BOOL	none	Deprecated, will be removed in a future version. Use `k8smeta` plugin instead.	proc	deprecated	container plugin
proc.is_container_readiness_probe	BOOL	none	Deprecated, will be removed in a future version. Use `k8smeta` plugin instead.	proc	deprecated	container plugin
k8s.pod.name	CHARBUF	none	The Kubernetes pod name. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s	output_suggested	container plugin
k8s.ns.name	CHARBUF	none	The Kubernetes namespace name. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s	output_suggested	container plugin
k8s.pod.id	CHARBUF	none	[LEGACY] The Kubernetes pod UID, e.g. 3e41dc6b-08a8-44db-bc2a-3724b18ab19a. This legacy field points to `k8s.pod.uid`; however, the pod ID typically refers to the pod sandbox ID. We recommend using the semantically more accurate `k8s.pod.uid` field. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.uid	CHARBUF	none	The Kubernetes pod UID, e.g. 3e41dc6b-08a8-44db-bc2a-3724b18ab19a. Note that the pod UID is a unique identifier assigned upon pod creation within Kubernetes, allowing the Kubernetes control plane to manage and track pods reliably. As such, it is fundamentally a different concept compared to the pod sandbox ID. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.sandbox_id	CHARBUF	none	The truncated Kubernetes pod sandbox ID (first 12 characters), e.g 63060edc2d3a. The sandbox ID is specific to the container runtime environment. It is the equivalent of the container ID for the pod / sandbox and extracted from the Linux cgroups. As such, it differs from the pod UID. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet. In Kubernetes, pod sandbox container processes can exist where `container.id` matches `k8s.pod.sandbox_id`, lacking other 'container.*' details.	k8s		container plugin
k8s.pod.full_sandbox_id	CHARBUF	none	The full Kubernetes pod / sandbox ID, e.g 63060edc2d3aa803ab559f2393776b151f99fc5b05035b21db66b3b62246ad6a. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.label	CHARBUF	required+key	The Kubernetes pod label. The label can be accessed either with the familiar brackets notation, e.g. 'k8s.pod.label[foo]' or by appending a dot followed by the name, e.g. 'k8s.pod.label.foo'. The label name itself can include the original special characters such as '.', '-', '_' or '/' characters. For instance, 'k8s.pod.label[app.kubernetes.io/name]', 'k8s.pod.label.app.kubernetes.io/name' or 'k8s.pod.label[custom-label_one]' are all valid. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.labels	CHARBUF	none	The Kubernetes pod comma-separated key/value labels. E.g. 'foo1:bar1,foo2:bar2'. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.ip	CHARBUF	none	The Kubernetes pod ip, same as container.ip field as each container in a pod shares the network stack of the sandbox / pod. Only ipv4 addresses are tracked. Consider k8s.pod.cni.json for logging ip addresses for each network interface. This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.pod.cni.json	CHARBUF	none	The Kubernetes pod CNI result field from the respective pod status info, same as container.cni.json field. It contains ip addresses for each network interface exposed as unparsed escaped JSON string. Supported for CRI container engine (containerd, cri-o runtimes), optimized for containerd (some non-critical JSON keys removed). Useful for tracking ips (ipv4 and ipv6, dual-stack support) for each network interface (multi-interface support). This field is extracted from the container runtime socket simultaneously as we look up the 'container.*' fields. In cases of lookup delays, it may not be available yet.	k8s		container plugin
k8s.rc.name	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rc.id	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rc.label	CHARBUF	required+key	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rc.labels	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.svc.name	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.svc.id	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.svc.label	CHARBUF	required+key	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.svc.labels	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.ns.id	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.ns.label	CHARBUF	required+key	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.ns.labels	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rs.name	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rs.id	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rs.label	CHARBUF	required+key	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.rs.labels	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.deployment.name	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.deployment.id	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.deployment.label	CHARBUF	required+key	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
k8s.deployment.labels	CHARBUF	none	Deprecated. Use `k8smeta` plugin instead.	k8s	deprecated	container plugin
"""#
    static let k8sauditFieldsTSV = #"""
name	type	arg	description	class	flags	provider
ka.auditid	CHARBUF	none	The unique id of the audit event	ka		k8saudit plugin
ka.stage	CHARBUF	none	Stage of the request (e.g. RequestReceived, ResponseComplete, etc.)	ka		k8saudit plugin
ka.auth.decision	CHARBUF	none	The authorization decision	ka		k8saudit plugin
ka.auth.reason	CHARBUF	none	The authorization reason	ka		k8saudit plugin
ka.auth.openshift.decision	CHARBUF	none	The authentication decision of the openshfit apiserver extention. Only available on openshift clusters	ka		k8saudit plugin
ka.validations.admission.policy.failure	CHARBUF	none	The validation failure reason from a Validation Admission Policy	ka		k8saudit plugin
ka.security.pod.violations	CHARBUF	none	The violation reason for pod security policy	ka		k8saudit plugin
ka.auth.openshift.username	CHARBUF	none	The user name performing the openshift authentication operation. Only available on openshift clusters	ka		k8saudit plugin
ka.user.name	CHARBUF	none	The user name performing the request	ka		k8saudit plugin
ka.user.groups	CHARBUF list	none	The groups to which the user belongs	ka		k8saudit plugin
ka.impuser.name	CHARBUF	none	The impersonated user name	ka		k8saudit plugin
ka.verb	CHARBUF	none	The action being performed	ka		k8saudit plugin
ka.uri	CHARBUF	none	The request URI as sent from client to server	ka		k8saudit plugin
ka.uri.param	CHARBUF	required+key	The value of a given query parameter in the uri (e.g. when uri=/foo?key=val, ka.uri.param[key] is val).	ka		k8saudit plugin
ka.target.name	CHARBUF	none	The target object name	ka		k8saudit plugin
ka.target.namespace	CHARBUF	none	The target object namespace	ka		k8saudit plugin
ka.target.resource	CHARBUF	none	The target object resource	ka		k8saudit plugin
ka.target.subresource	CHARBUF	none	The target object subresource	ka		k8saudit plugin
ka.target.pod.name	CHARBUF	none	The target pod name	ka		k8saudit plugin
ka.req.binding.subjects	CHARBUF list	none	When the request object refers to a cluster role binding, the subject (e.g. account/users) being linked by the binding	ka		k8saudit plugin
ka.req.binding.subjects.user_names	CHARBUF list	none	When the request object refers to a cluster role binding, the subject user names being linked by the binding	ka		k8saudit plugin
ka.req.binding.subjects.serviceaccount_names	CHARBUF list	none	When the request object refers to a cluster role binding, the subject service account names being linked by the binding	ka		k8saudit plugin
ka.req.binding.subjects.serviceaccount_ns_names	CHARBUF list	none	When the request object refers to a cluster role binding, the subject serviceaccount namespaced names being linked by the binding, e.g. a list containing: mynamespace:myserviceaccount	ka		k8saudit plugin
ka.req.binding.subjects.group_names	CHARBUF list	none	When the request object refers to a cluster role binding, the subject group names being linked by the binding	ka		k8saudit plugin
ka.req.binding.role	CHARBUF	none	When the request object refers to a cluster role binding, the role being linked by the binding	ka		k8saudit plugin
ka.req.binding.subject.has_name	CHARBUF	required+key	Deprecated, always returns "N/A". Only provided for backwards compatibility	ka		k8saudit plugin
ka.req.configmap.name	CHARBUF	none	If the request object refers to a configmap, the configmap name	ka		k8saudit plugin
ka.req.configmap.obj	CHARBUF	none	If the request object refers to a configmap, the entire configmap object	ka		k8saudit plugin
ka.req.pod.containers.args	CHARBUF list	optional+index	When the request object refers to a pod, the container's args.	ka		k8saudit plugin
ka.req.pod.containers.command	CHARBUF list	optional+index	When the request object refers to a pod, the container's command.	ka		k8saudit plugin
ka.req.pod.containers.name	CHARBUF list	optional+index	When the request object refers to a pod, the container's names.	ka		k8saudit plugin
ka.req.pod.containers.image	CHARBUF list	optional+index	When the request object refers to a pod, the container's images.	ka		k8saudit plugin
ka.req.container.image	CHARBUF	none	Deprecated by ka.req.pod.containers.image. Returns the image of the first container only	ka		k8saudit plugin
ka.req.pod.containers.image.repository	CHARBUF list	optional+index	The same as req.container.image, but only the repository part (e.g. falcosecurity/falco).	ka		k8saudit plugin
ka.req.container.image.repository	CHARBUF	none	Deprecated by ka.req.pod.containers.image.repository. Returns the repository of the first container only	ka		k8saudit plugin
ka.req.pod.host_ipc	CHARBUF	none	When the request object refers to a pod, the value of the hostIPC flag.	ka		k8saudit plugin
ka.req.pod.host_network	CHARBUF	none	When the request object refers to a pod, the value of the hostNetwork flag.	ka		k8saudit plugin
ka.req.container.host_network	CHARBUF	none	Deprecated alias for ka.req.pod.host_network	ka		k8saudit plugin
ka.req.pod.host_pid	CHARBUF	none	When the request object refers to a pod, the value of the hostPID flag.	ka		k8saudit plugin
ka.req.pod.containers.host_port	CHARBUF list	optional+index	When the request object refers to a pod, all container's hostPort values.	ka		k8saudit plugin
ka.req.pod.containers.privileged	CHARBUF list	optional+index	When the request object refers to a pod, the value of the privileged flag for all containers.	ka		k8saudit plugin
ka.req.container.privileged	CHARBUF	none	Deprecated by ka.req.pod.containers.privileged. Returns true if any container has privileged=true	ka		k8saudit plugin
ka.req.pod.containers.allow_privilege_escalation	CHARBUF list	optional+index	When the request object refers to a pod, the value of the allowPrivilegeEscalation flag for all containers	ka		k8saudit plugin
ka.req.pod.containers.read_only_fs	CHARBUF list	optional+index	When the request object refers to a pod, the value of the readOnlyRootFilesystem flag for all containers	ka		k8saudit plugin
ka.req.pod.run_as_user	CHARBUF	none	When the request object refers to a pod, the runAsUser uid specified in the security context for the pod. See ....containers.run_as_user for the runAsUser for individual containers	ka		k8saudit plugin
ka.req.pod.containers.run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the runAsUser uid for all containers	ka		k8saudit plugin
ka.req.pod.containers.eff_run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the initial uid that will be used for all containers. This combines information from both the pod and container security contexts and uses 0 if no uid is specified	ka		k8saudit plugin
ka.req.pod.run_as_group	CHARBUF	none	When the request object refers to a pod, the runAsGroup gid specified in the security context for the pod. See ....containers.run_as_group for the runAsGroup for individual containers	ka		k8saudit plugin
ka.req.pod.containers.run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the runAsGroup gid for all containers	ka		k8saudit plugin
ka.req.pod.containers.eff_run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the initial gid that will be used for all containers. This combines information from both the pod and container security contexts and uses 0 if no gid is specified	ka		k8saudit plugin
ka.req.pod.containers.proc_mount	CHARBUF list	optional+index	When the request object refers to a pod, the procMount types for all containers	ka		k8saudit plugin
ka.req.role.rules	CHARBUF list	none	When the request object refers to a role/cluster role, the rules associated with the role	ka		k8saudit plugin
ka.req.role.rules.apiGroups	CHARBUF list	optional+index	When the request object refers to a role/cluster role, the api groups associated with the role's rules	ka		k8saudit plugin
ka.req.role.rules.nonResourceURLs	CHARBUF list	optional+index	When the request object refers to a role/cluster role, the non resource urls associated with the role's rules	ka		k8saudit plugin
ka.req.role.rules.verbs	CHARBUF list	optional+index	When the request object refers to a role/cluster role, the verbs associated with the role's rules	ka		k8saudit plugin
ka.req.role.rules.resources	CHARBUF list	optional+index	When the request object refers to a role/cluster role, the resources associated with the role's rules	ka		k8saudit plugin
ka.req.pod.fs_group	CHARBUF	none	When the request object refers to a pod, the fsGroup gid specified by the security context.	ka		k8saudit plugin
ka.req.pod.supplemental_groups	CHARBUF list	none	When the request object refers to a pod, the supplementalGroup gids specified by the security context.	ka		k8saudit plugin
ka.req.pod.containers.add_capabilities	CHARBUF list	optional+index	When the request object refers to a pod, all capabilities to add when running the container.	ka		k8saudit plugin
ka.req.service.type	CHARBUF	none	When the request object refers to a service, the service type	ka		k8saudit plugin
ka.req.service.ports	CHARBUF list	optional+index	When the request object refers to a service, the service's ports	ka		k8saudit plugin
ka.req.pod.volumes.hostpath	CHARBUF list	optional+index	When the request object refers to a pod, all hostPath paths specified for all volumes	ka		k8saudit plugin
ka.req.volume.hostpath	CHARBUF	required+key	Deprecated by ka.req.pod.volumes.hostpath. Return true if the provided (host) path prefix is used by any volume	ka		k8saudit plugin
ka.req.pod.volumes.flexvolume_driver	CHARBUF list	optional+index	When the request object refers to a pod, all flexvolume drivers specified for all volumes	ka		k8saudit plugin
ka.req.pod.volumes.volume_type	CHARBUF list	optional+index	When the request object refers to a pod, all volume types for all volumes	ka		k8saudit plugin
ka.resp.name	CHARBUF	none	The response object name	ka		k8saudit plugin
ka.response.code	CHARBUF	none	The response code	ka		k8saudit plugin
ka.response.reason	CHARBUF	none	The response reason (usually present only for failures)	ka		k8saudit plugin
ka.useragent	CHARBUF	none	The useragent of the client who made the request to the apiserver	ka		k8saudit plugin
ka.sourceips	CHARBUF list	optional+index	The IP addresses of the client who made the request to the apiserver	ka		k8saudit plugin
ka.cluster.name	CHARBUF	none	The name of the k8s cluster	ka		k8saudit plugin
ka.req.pod.initContainers.name	CHARBUF list	optional+index	When the request object refers to a pod, the init containers names.	ka		k8saudit plugin
ka.req.pod.initContainers.image	CHARBUF list	optional+index	When the request object refers to a pod, the init containers images.	ka		k8saudit plugin
ka.req.pod.initContainers.image.repository	CHARBUF list	optional+index	The same as ka.req.pod.initContainers.image, but only the repository part (e.g. falcosecurity/falco).	ka		k8saudit plugin
ka.req.pod.initContainers.command	CHARBUF list	optional+index	When the request object refers to a pod, the init containers commands.	ka		k8saudit plugin
ka.req.pod.initContainers.args	CHARBUF list	optional+index	When the request object refers to a pod, the init containers args.	ka		k8saudit plugin
ka.req.pod.initContainers.privileged	CHARBUF list	optional+index	When the request object refers to a pod, the value of the privileged flag for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.allow_privilege_escalation	CHARBUF list	optional+index	When the request object refers to a pod, the value of the allowPrivilegeEscalation flag for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.read_only_fs	CHARBUF list	optional+index	When the request object refers to a pod, the value of the readOnlyRootFilesystem flag for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the runAsUser uid for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.eff_run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the initial uid that will be used for all init containers. This combines information from both the pod and container security contexts and uses 0 if no uid is specified.	ka		k8saudit plugin
ka.req.pod.initContainers.run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the runAsGroup gid for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.eff_run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the initial gid that will be used for all init containers. This combines information from both the pod and container security contexts and uses 0 if no gid is specified.	ka		k8saudit plugin
ka.req.pod.initContainers.proc_mount	CHARBUF list	optional+index	When the request object refers to a pod, the procMount type for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.add_capabilities	CHARBUF list	optional+index	When the request object refers to a pod, the capabilities added for all init containers.	ka		k8saudit plugin
ka.req.pod.initContainers.host_port	CHARBUF list	optional+index	When the request object refers to a pod, all init containers hostPort values.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.name	CHARBUF list	optional+index	When the request object refers to a pod, the ephemeral containers names.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.image	CHARBUF list	optional+index	When the request object refers to a pod, the ephemeral containers images.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.image.repository	CHARBUF list	optional+index	The same as ka.req.pod.ephemeralContainers.image, but only the repository part (e.g. falcosecurity/falco).	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.command	CHARBUF list	optional+index	When the request object refers to a pod, the ephemeral containers commands.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.args	CHARBUF list	optional+index	When the request object refers to a pod, the ephemeral containers args.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.privileged	CHARBUF list	optional+index	When the request object refers to a pod, the value of the privileged flag for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.allow_privilege_escalation	CHARBUF list	optional+index	When the request object refers to a pod, the value of the allowPrivilegeEscalation flag for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.read_only_fs	CHARBUF list	optional+index	When the request object refers to a pod, the value of the readOnlyRootFilesystem flag for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the runAsUser uid for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.eff_run_as_user	CHARBUF list	optional+index	When the request object refers to a pod, the initial uid that will be used for all ephemeral containers. This combines information from both the pod and container security contexts and uses 0 if no uid is specified.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the runAsGroup gid for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.eff_run_as_group	CHARBUF list	optional+index	When the request object refers to a pod, the initial gid that will be used for all ephemeral containers. This combines information from both the pod and container security contexts and uses 0 if no gid is specified.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.proc_mount	CHARBUF list	optional+index	When the request object refers to a pod, the procMount type for all ephemeral containers.	ka		k8saudit plugin
ka.req.pod.ephemeralContainers.add_capabilities	CHARBUF list	optional+index	When the request object refers to a pod, the capabilities added for all ephemeral containers.	ka		k8saudit plugin
json.value	CHARBUF	required+key	Extracts a value from a JSON-encoded input. Syntax is json.value[<json pointer>], where <json pointer> is a json pointer (see https://datatracker.ietf.org/doc/html/rfc6901)	json		json plugin
json.obj	CHARBUF	none	The full json message as a text string.	json		json plugin
json.rawtime	CHARBUF	none	The time of the event, identical to evt.rawtime.	json		json plugin
jevt.value	CHARBUF	required+key	Alias for json.value, provided for backwards compatibility.	jevt		json plugin
jevt.obj	CHARBUF	none	Alias for json.obj, provided for backwards compatibility.	jevt		json plugin
jevt.rawtime	CHARBUF	none	Alias for json.rawtime, provided for backwards compatibility.	jevt		json plugin
"""#
    static let syscallEventsTSV = #"""
code	name	direction	category	flags	params
PPME_GENERIC_E	syscall	E	other,syscall	old_version,converter_managed	ID:SYSCALLID, nativeID:UINT16
PPME_GENERIC_X	syscall	X	other,syscall	converter_managed	ID:SYSCALLID, nativeID:UINT16
PPME_SYSCALL_OPEN_E	open	E	file,syscall	creates_fd,modifies_state,converter_managed	name:FSPATH, flags:FLAGS32, mode:UINT32
PPME_SYSCALL_OPEN_X	open	X	file,syscall	creates_fd,modifies_state,converter_managed	fd:FD, name:FSPATH, flags:FLAGS32, mode:UINT32, dev:UINT32, ino:UINT64
PPME_SYSCALL_CLOSE_E	close	E	io_other,syscall	old_version,destroys_fd,uses_fd,modifies_state,converter_managed	fd:FD
PPME_SYSCALL_CLOSE_X	close	X	io_other,syscall	destroys_fd,uses_fd,modifies_state,converter_managed	res:ERRNO, fd:FD
PPME_SYSCALL_READ_E	read	E	io_read,syscall	old_version,uses_fd,reads_from_fd,converter_managed	fd:FD, size:UINT32
PPME_SYSCALL_READ_X	read	X	io_read,syscall	uses_fd,reads_from_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32
PPME_SYSCALL_WRITE_E	write	E	io_write,syscall	old_version,uses_fd,writes_to_fd,converter_managed	fd:FD, size:UINT32
PPME_SYSCALL_WRITE_X	write	X	io_write,syscall	uses_fd,writes_to_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32
PPME_SYSCALL_BRK_1_E	brk	E	memory,syscall	old_version,converter_managed	size:UINT32
PPME_SYSCALL_BRK_1_X	brk	X	memory,syscall	old_version,converter_managed	res:UINT64
PPME_SYSCALL_EXECVE_8_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_8_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64
PPME_SYSCALL_CLONE_11_E	clone	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CLONE_11_X	clone	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_PROCEXIT_E	procexit	E	process,tracepoint	old_version,modifies_state,converter_managed	
PPME_PROCEXIT_X	NA	X	unknown	unused	
PPME_SOCKET_SOCKET_E	socket	E	net,syscall	old_version,creates_fd,modifies_state,converter_managed	domain:ENUMFLAGS32, type:UINT32, proto:UINT32
PPME_SOCKET_SOCKET_X	socket	X	net,syscall	creates_fd,modifies_state,converter_managed	fd:FD, domain:ENUMFLAGS32, type:UINT32, proto:UINT32, flags:FLAGS32
PPME_SOCKET_BIND_E	bind	E	net,syscall	old_version,uses_fd,modifies_state,converter_managed	fd:FD
PPME_SOCKET_BIND_X	bind	X	net,syscall	uses_fd,modifies_state,converter_managed	res:ERRNO, addr:SOCKADDR, fd:FD
PPME_SOCKET_CONNECT_E	connect	E	net,syscall	uses_fd,modifies_state,converter_managed	fd:FD, addr:SOCKADDR
PPME_SOCKET_CONNECT_X	connect	X	net,syscall	uses_fd,modifies_state,converter_managed	res:ERRNO, tuple:SOCKTUPLE, fd:FD, addr:SOCKADDR
PPME_SOCKET_LISTEN_E	listen	E	net,syscall	old_version,uses_fd,converter_managed	fd:FD, backlog:INT32
PPME_SOCKET_LISTEN_X	listen	X	net,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, backlog:INT32
PPME_SOCKET_ACCEPT_E	accept	E	net,syscall	old_version,creates_fd,modifies_state	
PPME_SOCKET_ACCEPT_X	accept	X	net,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD, tuple:SOCKTUPLE, queuepct:UINT8
PPME_SOCKET_SEND_E	send	E	io_write,syscall	old_version,uses_fd,writes_to_fd,converter_managed	fd:FD, size:UINT32
PPME_SOCKET_SEND_X	send	X	io_write,syscall	uses_fd,writes_to_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_SENDTO_E	sendto	E	io_write,syscall	old_version,uses_fd,writes_to_fd,modifies_state,converter_managed	fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_SENDTO_X	sendto	X	io_write,syscall	uses_fd,writes_to_fd,modifies_state,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_RECV_E	recv	E	io_read,syscall	old_version,uses_fd,reads_from_fd,converter_managed	fd:FD, size:UINT32
PPME_SOCKET_RECV_X	recv	X	io_read,syscall	uses_fd,reads_from_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_RECVFROM_E	recvfrom	E	io_read,syscall	old_version,uses_fd,reads_from_fd,modifies_state,converter_managed	fd:FD, size:UINT32
PPME_SOCKET_RECVFROM_X	recvfrom	X	io_read,syscall	uses_fd,reads_from_fd,modifies_state,converter_managed	res:ERRNO, data:BYTEBUF, tuple:SOCKTUPLE, fd:FD, size:UINT32
PPME_SOCKET_SHUTDOWN_E	shutdown	E	net,syscall	old_version,uses_fd,modifies_state,converter_managed	fd:FD, how:ENUMFLAGS8
PPME_SOCKET_SHUTDOWN_X	shutdown	X	net,syscall	uses_fd,modifies_state,converter_managed	res:ERRNO, fd:FD, how:ENUMFLAGS8
PPME_SOCKET_GETSOCKNAME_E	getsockname	E	net,syscall	old_version	
PPME_SOCKET_GETSOCKNAME_X	getsockname	X	net,syscall		
PPME_SOCKET_GETPEERNAME_E	getpeername	E	net,syscall	old_version	
PPME_SOCKET_GETPEERNAME_X	getpeername	X	net,syscall		
PPME_SOCKET_SOCKETPAIR_E	socketpair	E	ipc,syscall	old_version,creates_fd,modifies_state,converter_managed	domain:ENUMFLAGS32, type:UINT32, proto:UINT32
PPME_SOCKET_SOCKETPAIR_X	socketpair	X	ipc,syscall	creates_fd,modifies_state,converter_managed	res:ERRNO, fd1:FD, fd2:FD, source:UINT64, peer:UINT64, domain:ENUMFLAGS32, type:UINT32, proto:UINT32
PPME_SOCKET_SETSOCKOPT_E	setsockopt	E	net,syscall	old_version	
PPME_SOCKET_SETSOCKOPT_X	setsockopt	X	net,syscall	uses_fd	res:ERRNO, fd:FD, level:ENUMFLAGS8, optname:ENUMFLAGS8, val:DYN, optlen:UINT32
PPME_SOCKET_GETSOCKOPT_E	getsockopt	E	net,syscall	old_version,modifies_state	
PPME_SOCKET_GETSOCKOPT_X	getsockopt	X	net,syscall	uses_fd,modifies_state	res:ERRNO, fd:FD, level:ENUMFLAGS8, optname:ENUMFLAGS8, val:DYN, optlen:UINT32
PPME_SOCKET_SENDMSG_E	sendmsg	E	io_write,syscall	old_version,uses_fd,writes_to_fd,modifies_state,converter_managed	fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_SENDMSG_X	sendmsg	X	io_write,syscall	uses_fd,writes_to_fd,modifies_state,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, tuple:SOCKTUPLE
PPME_SOCKET_SENDMMSG_E	sendmmsg	E	io_write,syscall	old_version	
PPME_SOCKET_SENDMMSG_X	sendmmsg	X	io_write,syscall	uses_fd,writes_to_fd,modifies_state,converter_managed	res:ERRNO, fd:FD, size:UINT32, data:BYTEBUF, tuple:SOCKTUPLE
PPME_SOCKET_RECVMSG_E	recvmsg	E	io_read,syscall	old_version,uses_fd,reads_from_fd,modifies_state,converter_managed	fd:FD
PPME_SOCKET_RECVMSG_X	recvmsg	X	io_read,syscall	uses_fd,reads_from_fd,modifies_state,converter_managed	res:ERRNO, size:UINT32, data:BYTEBUF, tuple:SOCKTUPLE, msgcontrol:BYTEBUF, fd:FD
PPME_SOCKET_RECVMMSG_E	recvmmsg	E	io_read,syscall	old_version	
PPME_SOCKET_RECVMMSG_X	recvmmsg	X	io_read,syscall	uses_fd,reads_from_fd,modifies_state,converter_managed	res:ERRNO, fd:FD, size:UINT32, data:BYTEBUF, tuple:SOCKTUPLE, msgcontrol:BYTEBUF
PPME_SOCKET_ACCEPT4_E	accept	E	net,syscall	old_version,creates_fd,modifies_state,converter_managed	flags:INT32
PPME_SOCKET_ACCEPT4_X	accept	X	net,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD, tuple:SOCKTUPLE, queuepct:UINT8
PPME_SYSCALL_CREAT_E	creat	E	file,syscall	creates_fd,modifies_state,converter_managed	name:FSPATH, mode:UINT32
PPME_SYSCALL_CREAT_X	creat	X	file,syscall	creates_fd,modifies_state,converter_managed	fd:FD, name:FSPATH, mode:UINT32, dev:UINT32, ino:UINT64, creat_flags:FLAGS16
PPME_SYSCALL_PIPE_E	pipe	E	ipc,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_PIPE_X	pipe	X	ipc,syscall	creates_fd,modifies_state	res:ERRNO, fd1:FD, fd2:FD, ino:UINT64
PPME_SYSCALL_EVENTFD_E	eventfd	E	ipc,syscall	old_version,creates_fd,modifies_state,converter_managed	initval:UINT64, flags:UINT32
PPME_SYSCALL_EVENTFD_X	eventfd	X	ipc,syscall	creates_fd,modifies_state,converter_managed	res:FD, initval:UINT64, flags:UINT32
PPME_SYSCALL_FUTEX_E	futex	E	ipc,syscall	old_version,converter_managed	addr:UINT64, op:FLAGS16, val:UINT64
PPME_SYSCALL_FUTEX_X	futex	X	ipc,syscall	converter_managed	res:ERRNO, addr:UINT64, op:FLAGS16, val:UINT64
PPME_SYSCALL_STAT_E	stat	E	file,syscall	old_version	
PPME_SYSCALL_STAT_X	stat	X	file,syscall		res:ERRNO, path:FSPATH
PPME_SYSCALL_LSTAT_E	lstat	E	file,syscall	old_version	
PPME_SYSCALL_LSTAT_X	lstat	X	file,syscall		res:ERRNO, path:FSPATH
PPME_SYSCALL_FSTAT_E	fstat	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD
PPME_SYSCALL_FSTAT_X	fstat	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD
PPME_SYSCALL_STAT64_E	stat64	E	file,syscall	old_version	
PPME_SYSCALL_STAT64_X	stat64	X	file,syscall		res:ERRNO, path:FSPATH
PPME_SYSCALL_LSTAT64_E	lstat64	E	file,syscall	old_version	
PPME_SYSCALL_LSTAT64_X	lstat64	X	file,syscall		res:ERRNO, path:FSPATH
PPME_SYSCALL_FSTAT64_E	fstat64	E	file,syscall	old_version,uses_fd	fd:FD
PPME_SYSCALL_FSTAT64_X	fstat64	X	file,syscall		res:ERRNO
PPME_SYSCALL_EPOLLWAIT_E	epoll_wait	E	wait,syscall	old_version,waits,converter_managed	maxevents:ERRNO
PPME_SYSCALL_EPOLLWAIT_X	epoll_wait	X	wait,syscall	waits,converter_managed	res:ERRNO, maxevents:ERRNO
PPME_SYSCALL_POLL_E	poll	E	wait,syscall	old_version,waits,converter_managed	fds:FDLIST, timeout:INT64
PPME_SYSCALL_POLL_X	poll	X	wait,syscall	waits,converter_managed	res:ERRNO, fds:FDLIST, timeout:INT64
PPME_SYSCALL_SELECT_E	select	E	wait,syscall	old_version,waits	
PPME_SYSCALL_SELECT_X	select	X	wait,syscall	waits	res:ERRNO
PPME_SYSCALL_NEWSELECT_E	select	E	wait,syscall	old_version,waits	
PPME_SYSCALL_NEWSELECT_X	select	X	wait,syscall	old_version,waits,converter_managed	res:ERRNO
PPME_SYSCALL_LSEEK_E	lseek	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD, offset:UINT64, whence:ENUMFLAGS8
PPME_SYSCALL_LSEEK_X	lseek	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, offset:UINT64, whence:ENUMFLAGS8
PPME_SYSCALL_LLSEEK_E	llseek	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD, offset:UINT64, whence:ENUMFLAGS8
PPME_SYSCALL_LLSEEK_X	llseek	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, offset:UINT64, whence:ENUMFLAGS8
PPME_SYSCALL_IOCTL_2_E	ioctl	E	io_other,syscall	old_version,uses_fd,converter_managed	fd:FD, request:UINT64
PPME_SYSCALL_IOCTL_2_X	ioctl	X	io_other,syscall	old_version,uses_fd,converter_managed	res:ERRNO
PPME_SYSCALL_GETCWD_E	getcwd	E	file,syscall	old_version	
PPME_SYSCALL_GETCWD_X	getcwd	X	file,syscall		res:ERRNO, path:CHARBUF
PPME_SYSCALL_CHDIR_E	chdir	E	file,syscall	old_version,modifies_state	
PPME_SYSCALL_CHDIR_X	chdir	X	file,syscall	modifies_state	res:ERRNO, path:CHARBUF
PPME_SYSCALL_FCHDIR_E	fchdir	E	file,syscall	old_version,uses_fd,modifies_state,converter_managed	fd:FD
PPME_SYSCALL_FCHDIR_X	fchdir	X	file,syscall	uses_fd,modifies_state,converter_managed	res:ERRNO, fd:FD
PPME_SYSCALL_MKDIR_E	mkdir	E	file,syscall	old_version,converter_managed	path:FSPATH, mode:UINT32
PPME_SYSCALL_MKDIR_X	mkdir	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_RMDIR_E	rmdir	E	file,syscall	old_version,converter_managed	path:FSPATH
PPME_SYSCALL_RMDIR_X	rmdir	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_OPENAT_E	openat	E	file,syscall	old_version,creates_fd,modifies_state,converter_managed	dirfd:FD, name:CHARBUF, flags:FLAGS32, mode:UINT32
PPME_SYSCALL_OPENAT_X	openat	X	file,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD
PPME_SYSCALL_LINK_E	link	E	file,syscall	old_version,converter_managed	oldpath:FSPATH, newpath:FSPATH
PPME_SYSCALL_LINK_X	link	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_LINKAT_E	linkat	E	file,syscall	old_version,converter_managed	olddir:FD, oldpath:CHARBUF, newdir:FD, newpath:CHARBUF
PPME_SYSCALL_LINKAT_X	linkat	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_UNLINK_E	unlink	E	file,syscall	old_version,converter_managed	path:FSPATH
PPME_SYSCALL_UNLINK_X	unlink	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_UNLINKAT_E	unlinkat	E	file,syscall	old_version,converter_managed	dirfd:FD, name:CHARBUF
PPME_SYSCALL_UNLINKAT_X	unlinkat	X	file,syscall	old_version,converter_managed	res:ERRNO
PPME_SYSCALL_PREAD_E	pread	E	io_read,syscall	old_version,uses_fd,reads_from_fd,converter_managed	fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_PREAD_X	pread	X	io_read,syscall	uses_fd,reads_from_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_PWRITE_E	pwrite	E	io_write,syscall	old_version,uses_fd,writes_to_fd,converter_managed	fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_PWRITE_X	pwrite	X	io_write,syscall	uses_fd,writes_to_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_READV_E	readv	E	io_read,syscall	old_version,uses_fd,reads_from_fd,converter_managed	fd:FD
PPME_SYSCALL_READV_X	readv	X	io_read,syscall	uses_fd,reads_from_fd,converter_managed	res:ERRNO, size:UINT32, data:BYTEBUF, fd:FD
PPME_SYSCALL_WRITEV_E	writev	E	io_write,syscall	old_version,uses_fd,writes_to_fd,converter_managed	fd:FD, size:UINT32
PPME_SYSCALL_WRITEV_X	writev	X	io_write,syscall	uses_fd,writes_to_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32
PPME_SYSCALL_PREADV_E	preadv	E	io_read,syscall	old_version,uses_fd,reads_from_fd,converter_managed	fd:FD, pos:UINT64
PPME_SYSCALL_PREADV_X	preadv	X	io_read,syscall	uses_fd,reads_from_fd,converter_managed	res:ERRNO, size:UINT32, data:BYTEBUF, fd:FD, pos:UINT64
PPME_SYSCALL_PWRITEV_E	pwritev	E	io_write,syscall	old_version,uses_fd,writes_to_fd,converter_managed	fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_PWRITEV_X	pwritev	X	io_write,syscall	uses_fd,writes_to_fd,converter_managed	res:ERRNO, data:BYTEBUF, fd:FD, size:UINT32, pos:UINT64
PPME_SYSCALL_DUP_E	dup	E	io_other,syscall	old_version,creates_fd,uses_fd,modifies_state,converter_managed	fd:FD
PPME_SYSCALL_DUP_X	dup	X	io_other,syscall	old_version,creates_fd,uses_fd,modifies_state,converter_managed	res:FD
PPME_SYSCALL_SIGNALFD_E	signalfd	E	signal,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD, mask:UINT32, flags:UINT8
PPME_SYSCALL_SIGNALFD_X	signalfd	X	signal,syscall	creates_fd,modifies_state,converter_managed	res:FD, fd:FD, mask:UINT32, flags:UINT8
PPME_SYSCALL_KILL_E	kill	E	signal,syscall	old_version,converter_managed	pid:PID, sig:SIGTYPE
PPME_SYSCALL_KILL_X	kill	X	signal,syscall	converter_managed	res:ERRNO, pid:PID, sig:SIGTYPE
PPME_SYSCALL_TKILL_E	tkill	E	signal,syscall	old_version,converter_managed	tid:PID, sig:SIGTYPE
PPME_SYSCALL_TKILL_X	tkill	X	signal,syscall	converter_managed	res:ERRNO, tid:PID, sig:SIGTYPE
PPME_SYSCALL_TGKILL_E	tgkill	E	signal,syscall	old_version,converter_managed	pid:PID, tid:PID, sig:SIGTYPE
PPME_SYSCALL_TGKILL_X	tgkill	X	signal,syscall	converter_managed	res:ERRNO, pid:PID, tid:PID, sig:SIGTYPE
PPME_SYSCALL_NANOSLEEP_E	nanosleep	E	sleep,syscall	old_version,waits,converter_managed	interval:RELTIME
PPME_SYSCALL_NANOSLEEP_X	nanosleep	X	sleep,syscall	waits,converter_managed	res:ERRNO, interval:RELTIME
PPME_SYSCALL_TIMERFD_CREATE_E	timerfd_create	E	time,syscall	old_version,creates_fd,modifies_state,converter_managed	clockid:UINT8, flags:UINT8
PPME_SYSCALL_TIMERFD_CREATE_X	timerfd_create	X	time,syscall	creates_fd,modifies_state,converter_managed	res:FD, clockid:UINT8, flags:UINT8
PPME_SYSCALL_INOTIFY_INIT_E	inotify_init	E	ipc,syscall	old_version,creates_fd,modifies_state,converter_managed	flags:UINT8
PPME_SYSCALL_INOTIFY_INIT_X	inotify_init	X	ipc,syscall	creates_fd,modifies_state,converter_managed	res:FD, flags:UINT8
PPME_SYSCALL_GETRLIMIT_E	getrlimit	E	process,syscall	old_version,converter_managed	resource:ENUMFLAGS8
PPME_SYSCALL_GETRLIMIT_X	getrlimit	X	process,syscall	converter_managed	res:ERRNO, cur:INT64, max:INT64, resource:ENUMFLAGS8
PPME_SYSCALL_SETRLIMIT_E	setrlimit	E	process,syscall	old_version,converter_managed	resource:ENUMFLAGS8
PPME_SYSCALL_SETRLIMIT_X	setrlimit	X	process,syscall	converter_managed	res:ERRNO, cur:INT64, max:INT64, resource:ENUMFLAGS8
PPME_SYSCALL_PRLIMIT_E	prlimit	E	process,syscall	old_version,converter_managed	pid:PID, resource:ENUMFLAGS8
PPME_SYSCALL_PRLIMIT_X	prlimit	X	process,syscall	converter_managed	res:ERRNO, newcur:INT64, newmax:INT64, oldcur:INT64, oldmax:INT64, pid:INT64, resource:ENUMFLAGS8
PPME_SCHEDSWITCH_1_E	switch	E	scheduler,tracepoint	old_version,skipparsereset,converter_managed	next:PID
PPME_SCHEDSWITCH_1_X	NA	X	unknown	unused	
PPME_DROP_E	drop	E	internal,metaevent	skipparsereset	ratio:UINT32
PPME_DROP_X	drop	X	internal,metaevent	skipparsereset	ratio:UINT32
PPME_SYSCALL_FCNTL_E	fcntl	E	io_other,syscall	old_version,uses_fd,modifies_state,converter_managed	fd:FD, cmd:ENUMFLAGS8
PPME_SYSCALL_FCNTL_X	fcntl	X	io_other,syscall	uses_fd,modifies_state,converter_managed	res:FD, fd:FD, cmd:ENUMFLAGS8, arg:UINT64
PPME_SCHEDSWITCH_6_E	switch	E	scheduler,tracepoint		next:PID, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32
PPME_SCHEDSWITCH_6_X	NA	X	unknown	unused	
PPME_SYSCALL_EXECVE_13_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_13_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32
PPME_SYSCALL_CLONE_16_E	clone	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CLONE_16_X	clone	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_SYSCALL_BRK_4_E	brk	E	memory,syscall	old_version,converter_managed	addr:UINT64
PPME_SYSCALL_BRK_4_X	brk	X	memory,syscall	converter_managed	res:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, addr:UINT64
PPME_SYSCALL_MMAP_E	mmap	E	memory,syscall	old_version,uses_fd,converter_managed	addr:UINT64, length:UINT64, prot:FLAGS32, flags:FLAGS32, fd:FD, offset:UINT64
PPME_SYSCALL_MMAP_X	mmap	X	memory,syscall	uses_fd,converter_managed	res:ERRNO, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, addr:UINT64, length:UINT64, prot:FLAGS32, flags:FLAGS32, fd:FD, offset:UINT64
PPME_SYSCALL_MMAP2_E	mmap2	E	memory,syscall	old_version,uses_fd,converter_managed	addr:UINT64, length:UINT64, prot:FLAGS32, flags:FLAGS32, fd:FD, pgoffset:UINT64
PPME_SYSCALL_MMAP2_X	mmap2	X	memory,syscall	uses_fd,converter_managed	res:ERRNO, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, addr:UINT64, length:UINT64, prot:FLAGS32, flags:FLAGS32, fd:FD, pgoffset:UINT64
PPME_SYSCALL_MUNMAP_E	munmap	E	memory,syscall	old_version,converter_managed	addr:UINT64, length:UINT64
PPME_SYSCALL_MUNMAP_X	munmap	X	memory,syscall	converter_managed	res:ERRNO, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, addr:UINT64, length:UINT64
PPME_SYSCALL_SPLICE_E	splice	E	io_other,syscall	old_version,uses_fd,converter_managed	fd_in:FD, fd_out:FD, size:UINT64, flags:FLAGS32
PPME_SYSCALL_SPLICE_X	splice	X	io_other,syscall	uses_fd,converter_managed	res:ERRNO, fd_in:FD, fd_out:FD, size:UINT64, flags:FLAGS32
PPME_SYSCALL_PTRACE_E	ptrace	E	process,syscall	old_version,converter_managed	request:ENUMFLAGS16, pid:PID
PPME_SYSCALL_PTRACE_X	ptrace	X	process,syscall	converter_managed	res:ERRNO, addr:DYN, data:DYN, request:ENUMFLAGS16, pid:PID
PPME_SYSCALL_IOCTL_3_E	ioctl	E	io_other,syscall	old_version,uses_fd,converter_managed	fd:FD, request:UINT64, argument:UINT64
PPME_SYSCALL_IOCTL_3_X	ioctl	X	io_other,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, request:UINT64, argument:UINT64
PPME_SYSCALL_EXECVE_14_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_14_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, env:BYTEBUF
PPME_SYSCALL_RENAME_E	rename	E	file,syscall	old_version	
PPME_SYSCALL_RENAME_X	rename	X	file,syscall		res:ERRNO, oldpath:FSPATH, newpath:FSPATH
PPME_SYSCALL_RENAMEAT_E	renameat	E	file,syscall	old_version	
PPME_SYSCALL_RENAMEAT_X	renameat	X	file,syscall		res:ERRNO, olddirfd:FD, oldpath:FSRELPATH, newdirfd:FD, newpath:FSRELPATH
PPME_SYSCALL_SYMLINK_E	symlink	E	file,syscall	old_version	
PPME_SYSCALL_SYMLINK_X	symlink	X	file,syscall		res:ERRNO, target:CHARBUF, linkpath:FSPATH
PPME_SYSCALL_SYMLINKAT_E	symlinkat	E	file,syscall	old_version	
PPME_SYSCALL_SYMLINKAT_X	symlinkat	X	file,syscall	uses_fd	res:ERRNO, target:CHARBUF, linkdirfd:FD, linkpath:FSRELPATH
PPME_SYSCALL_FORK_E	fork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_FORK_X	fork	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_SYSCALL_VFORK_E	vfork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_VFORK_X	vfork	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_PROCEXIT_1_E	procexit	E	process,tracepoint	modifies_state	status:ERRNO, ret:ERRNO, sig:SIGTYPE, core:UINT8, reaper_tid:PID
PPME_PROCEXIT_1_X	NA	X	unknown	unused	
PPME_SYSCALL_SENDFILE_E	sendfile	E	io_write,syscall	old_version,uses_fd,converter_managed	out_fd:FD, in_fd:FD, offset:UINT64, size:UINT64
PPME_SYSCALL_SENDFILE_X	sendfile	X	io_write,syscall	uses_fd,converter_managed	res:ERRNO, offset:UINT64, out_fd:FD, in_fd:FD, size:UINT64
PPME_SYSCALL_QUOTACTL_E	quotactl	E	user,syscall	old_version,converter_managed	cmd:FLAGS16, type:FLAGS8, id:UINT32, quota_fmt:FLAGS8
PPME_SYSCALL_QUOTACTL_X	quotactl	X	user,syscall	converter_managed	res:ERRNO, special:CHARBUF, quotafilepath:CHARBUF, dqb_bhardlimit:UINT64, dqb_bsoftlimit:UINT64, dqb_curspace:UINT64, dqb_ihardlimit:UINT64, dqb_isoftlimit:UINT64, dqb_btime:RELTIME, dqb_itime:RELTIME, dqi_bgrace:RELTIME, dqi_igrace:RELTIME, dqi_flags:FLAGS8, quota_fmt_out:FLAGS8, cmd:FLAGS16, type:FLAGS8, id:UINT32, quota_fmt:FLAGS8
PPME_SYSCALL_SETRESUID_E	setresuid	E	user,syscall	old_version,modifies_state,converter_managed	ruid:UID, euid:UID, suid:UID
PPME_SYSCALL_SETRESUID_X	setresuid	X	user,syscall	modifies_state,converter_managed	res:ERRNO, ruid:UID, euid:UID, suid:UID
PPME_SYSCALL_SETRESGID_E	setresgid	E	user,syscall	old_version,modifies_state,converter_managed	rgid:GID, egid:GID, sgid:GID
PPME_SYSCALL_SETRESGID_X	setresgid	X	user,syscall	modifies_state,converter_managed	res:ERRNO, rgid:GID, egid:GID, sgid:GID
PPME_SCAPEVENT_E	scapevent	E	internal,metaevent	skipparsereset	event_type:UINT32, event_data:UINT64
PPME_SCAPEVENT_X	NA	X	unknown	unused	
PPME_SYSCALL_CLOSE_RANGE_E	NA	E	unknown	unused	
PPME_SYSCALL_CLOSE_RANGE_X	close_range	X	io_other,syscall	modifies_state	res:ERRNO, first:UINT32, last:UINT32, flags:FLAGS32
PPME_SYSCALL_SETUID_E	setuid	E	user,syscall	old_version,modifies_state,converter_managed	uid:UID
PPME_SYSCALL_SETUID_X	setuid	X	user,syscall	modifies_state,converter_managed	res:ERRNO, uid:UID
PPME_SYSCALL_SETGID_E	setgid	E	user,syscall	old_version,modifies_state,converter_managed	gid:GID
PPME_SYSCALL_SETGID_X	setgid	X	user,syscall	modifies_state,converter_managed	res:ERRNO, gid:GID
PPME_SYSCALL_GETUID_E	getuid	E	user,syscall	old_version	
PPME_SYSCALL_GETUID_X	getuid	X	user,syscall		uid:UID
PPME_SYSCALL_GETEUID_E	geteuid	E	user,syscall	old_version	
PPME_SYSCALL_GETEUID_X	geteuid	X	user,syscall		euid:UID
PPME_SYSCALL_GETGID_E	getgid	E	user,syscall	old_version	
PPME_SYSCALL_GETGID_X	getgid	X	user,syscall		gid:GID
PPME_SYSCALL_GETEGID_E	getegid	E	user,syscall	old_version	
PPME_SYSCALL_GETEGID_X	getegid	X	user,syscall		egid:GID
PPME_SYSCALL_GETRESUID_E	getresuid	E	user,syscall	old_version	
PPME_SYSCALL_GETRESUID_X	getresuid	X	user,syscall		res:ERRNO, ruid:UID, euid:UID, suid:UID
PPME_SYSCALL_GETRESGID_E	getresgid	E	user,syscall	old_version	
PPME_SYSCALL_GETRESGID_X	getresgid	X	user,syscall		res:ERRNO, rgid:GID, egid:GID, sgid:GID
PPME_SYSCALL_EXECVE_15_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_15_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, env:BYTEBUF
PPME_SYSCALL_CLONE_17_E	clone	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CLONE_17_X	clone	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_SYSCALL_FORK_17_E	fork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_FORK_17_X	fork	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_SYSCALL_VFORK_17_E	vfork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_VFORK_17_X	vfork	X	process,syscall	old_version,modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, flags:FLAGS32, uid:UINT32, gid:UINT32
PPME_SYSCALL_CLONE_20_E	clone	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CLONE_20_X	clone	X	process,syscall	modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32, uid:UINT32, gid:UINT32, vtid:PID, vpid:PID, pidns_init_start_ts:UINT64
PPME_SYSCALL_FORK_20_E	fork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_FORK_20_X	fork	X	process,syscall	modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32, uid:UINT32, gid:UINT32, vtid:PID, vpid:PID, pidns_init_start_ts:UINT64
PPME_SYSCALL_VFORK_20_E	vfork	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_VFORK_20_X	vfork	X	process,syscall	modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32, uid:UINT32, gid:UINT32, vtid:PID, vpid:PID, pidns_init_start_ts:UINT64
PPME_CONTAINER_E	container	E	internal,metaevent	old_version,skipparsereset,modifies_state,converter_managed	id:CHARBUF, type:UINT32, name:CHARBUF, image:CHARBUF
PPME_CONTAINER_X	NA	X	unknown	unused	
PPME_SYSCALL_EXECVE_16_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_16_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF
PPME_SIGNALDELIVER_E	signaldeliver	E	signal,tracepoint		spid:PID, dpid:PID, sig:SIGTYPE
PPME_SIGNALDELIVER_X	NA	X	unknown	unused	
PPME_PROCINFO_E	procinfo	E	internal,metaevent	skipparsereset	cpu_usr:UINT64, cpu_sys:UINT64
PPME_PROCINFO_X	NA	X	unknown	unused	
PPME_SYSCALL_GETDENTS_E	getdents	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD
PPME_SYSCALL_GETDENTS_X	getdents	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD
PPME_SYSCALL_GETDENTS64_E	getdents64	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD
PPME_SYSCALL_GETDENTS64_X	getdents64	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD
PPME_SYSCALL_SETNS_E	setns	E	process,syscall	old_version,uses_fd,converter_managed	fd:FD, nstype:FLAGS32
PPME_SYSCALL_SETNS_X	setns	X	process,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, nstype:FLAGS32
PPME_SYSCALL_FLOCK_E	flock	E	file,syscall	old_version,uses_fd,converter_managed	fd:FD, operation:FLAGS32
PPME_SYSCALL_FLOCK_X	flock	X	file,syscall	uses_fd,converter_managed	res:ERRNO, fd:FD, operation:FLAGS32
PPME_CPU_HOTPLUG_E	cpu_hotplug	E	system,metaevent	skipparsereset,modifies_state	cpu:UINT32, action:UINT32
PPME_CPU_HOTPLUG_X	NA	X	unknown	unused	
PPME_SOCKET_ACCEPT_5_E	accept	E	net,syscall	old_version,creates_fd,modifies_state	
PPME_SOCKET_ACCEPT_5_X	accept	X	net,syscall	creates_fd,modifies_state	fd:FD, tuple:SOCKTUPLE, queuepct:UINT8, queuelen:UINT32, queuemax:UINT32
PPME_SOCKET_ACCEPT4_5_E	accept	E	net,syscall	old_version,creates_fd,modifies_state,converter_managed	flags:INT32
PPME_SOCKET_ACCEPT4_5_X	accept	X	net,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD, tuple:SOCKTUPLE, queuepct:UINT8, queuelen:UINT32, queuemax:UINT32
PPME_SYSCALL_SEMOP_E	semop	E	process,syscall	old_version,converter_managed	semid:INT32
PPME_SYSCALL_SEMOP_X	semop	X	process,syscall	converter_managed	res:ERRNO, nsops:UINT32, sem_num_0:UINT16, sem_op_0:INT16, sem_flg_0:FLAGS16, sem_num_1:UINT16, sem_op_1:INT16, sem_flg_1:FLAGS16, semid:INT32
PPME_SYSCALL_SEMCTL_E	semctl	E	process,syscall	old_version,converter_managed	semid:INT32, semnum:INT32, cmd:FLAGS16, val:INT32
PPME_SYSCALL_SEMCTL_X	semctl	X	process,syscall	converter_managed	res:ERRNO, semid:INT32, semnum:INT32, cmd:FLAGS16, val:INT32
PPME_SYSCALL_PPOLL_E	ppoll	E	wait,syscall	old_version,waits,converter_managed	fds:FDLIST, timeout:RELTIME, sigmask:SIGSET
PPME_SYSCALL_PPOLL_X	ppoll	X	wait,syscall	waits,converter_managed	res:ERRNO, fds:FDLIST, timeout:RELTIME, sigmask:SIGSET
PPME_SYSCALL_MOUNT_E	mount	E	file,syscall	old_version,modifies_state,converter_managed	flags:FLAGS32
PPME_SYSCALL_MOUNT_X	mount	X	file,syscall	modifies_state,converter_managed	res:ERRNO, dev:CHARBUF, dir:FSPATH, type:CHARBUF, flags:FLAGS32
PPME_SYSCALL_UMOUNT_E	umount	E	file,syscall	old_version,modifies_state	flags:FLAGS32
PPME_SYSCALL_UMOUNT_X	umount	X	file,syscall	old_version,modifies_state,converter_managed	res:ERRNO, name:FSPATH
PPME_K8S_E	k8s	E	internal,metaevent	old_version,skipparsereset,modifies_state	json:CHARBUF
PPME_K8S_X	NA	X	unknown	unused	
PPME_SYSCALL_SEMGET_E	semget	E	process,syscall	old_version,converter_managed	key:INT32, nsems:INT32, semflg:FLAGS32
PPME_SYSCALL_SEMGET_X	semget	X	process,syscall	converter_managed	res:ERRNO, key:INT32, nsems:INT32, semflg:FLAGS32
PPME_SYSCALL_ACCESS_E	access	E	file,syscall	old_version,converter_managed	mode:FLAGS32
PPME_SYSCALL_ACCESS_X	access	X	file,syscall	converter_managed	res:ERRNO, name:FSPATH, mode:FLAGS32
PPME_SYSCALL_CHROOT_E	chroot	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CHROOT_X	chroot	X	process,syscall	modifies_state	res:ERRNO, path:FSPATH
PPME_TRACER_E	tracer	E	other,metaevent	old_version	id:INT64, tags:CHARBUFARRAY, args:CHARBUF_PAIR_ARRAY
PPME_TRACER_X	NA	X	unknown	unused	id:INT64, tags:CHARBUFARRAY, args:CHARBUF_PAIR_ARRAY
PPME_MESOS_E	mesos	E	internal,metaevent	old_version,skipparsereset,modifies_state	json:CHARBUF
PPME_MESOS_X	NA	X	unknown	unused	
PPME_CONTAINER_JSON_E	container	E	process,metaevent	old_version,modifies_state,converter_managed	json:CHARBUF
PPME_CONTAINER_JSON_X	NA	X	unknown	unused	
PPME_SYSCALL_SETSID_E	setsid	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_SETSID_X	setsid	X	process,syscall	modifies_state	res:PID
PPME_SYSCALL_MKDIR_2_E	mkdir	E	file,syscall	old_version,converter_managed	mode:UINT32
PPME_SYSCALL_MKDIR_2_X	mkdir	X	file,syscall	converter_managed	res:ERRNO, path:FSPATH, mode:UINT32
PPME_SYSCALL_RMDIR_2_E	rmdir	E	file,syscall	old_version	
PPME_SYSCALL_RMDIR_2_X	rmdir	X	file,syscall		res:ERRNO, path:FSPATH
PPME_NOTIFICATION_E	notification	E	other,metaevent	skipparsereset	id:CHARBUF, desc:CHARBUF
PPME_NOTIFICATION_X	NA	X	unknown	unused	
PPME_SYSCALL_EXECVE_17_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	
PPME_SYSCALL_EXECVE_17_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32
PPME_SYSCALL_UNSHARE_E	unshare	E	process,syscall	old_version,converter_managed	flags:FLAGS32
PPME_SYSCALL_UNSHARE_X	unshare	X	process,syscall	converter_managed	res:ERRNO, flags:FLAGS32
PPME_INFRASTRUCTURE_EVENT_E	infra	E	internal,metaevent	skipparsereset	source:CHARBUF, name:CHARBUF, description:CHARBUF, scope:CHARBUF
PPME_INFRASTRUCTURE_EVENT_X	NA	X	unknown	unused	
PPME_SYSCALL_EXECVE_18_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	filename:FSPATH
PPME_SYSCALL_EXECVE_18_X	execve	X	process,syscall	old_version,modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32
PPME_PAGE_FAULT_E	page_fault	E	other,tracepoint	skipparsereset	addr:UINT64, ip:UINT64, error:FLAGS32
PPME_PAGE_FAULT_X	NA	X	unknown	unused	
PPME_SYSCALL_EXECVE_19_E	execve	E	process,syscall	old_version,modifies_state,converter_managed	filename:FSPATH
PPME_SYSCALL_EXECVE_19_X	execve	X	process,syscall	modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:UINT32, vpgid:PID, loginuid:UID, flags:FLAGS32, cap_inheritable:UINT64, cap_permitted:UINT64, cap_effective:UINT64, exe_ino:UINT64, exe_ino_ctime:ABSTIME, exe_ino_mtime:ABSTIME, uid:UID, trusted_exepath:FSPATH, pgid:PID, gid:GID, filename:FSPATH
PPME_SYSCALL_SETPGID_E	setpgid	E	process,syscall	old_version,converter_managed	pid:PID, pgid:PID
PPME_SYSCALL_SETPGID_X	setpgid	X	process,syscall	converter_managed	res:ERRNO, pid:PID, pgid:PID
PPME_SYSCALL_BPF_E	bpf	E	other,syscall	old_version,creates_fd,converter_managed	cmd:INT64
PPME_SYSCALL_BPF_X	bpf	X	other,syscall	old_version,creates_fd,converter_managed	res_or_fd:DYN
PPME_SYSCALL_SECCOMP_E	seccomp	E	other,syscall	old_version,converter_managed	op:UINT64, flags:UINT64
PPME_SYSCALL_SECCOMP_X	seccomp	X	other,syscall	converter_managed	res:ERRNO, op:UINT64, flags:UINT64
PPME_SYSCALL_UNLINK_2_E	unlink	E	file,syscall	old_version	
PPME_SYSCALL_UNLINK_2_X	unlink	X	file,syscall		res:ERRNO, path:FSPATH
PPME_SYSCALL_UNLINKAT_2_E	unlinkat	E	file,syscall	old_version	
PPME_SYSCALL_UNLINKAT_2_X	unlinkat	X	file,syscall	uses_fd	res:ERRNO, dirfd:FD, name:FSRELPATH, flags:FLAGS32
PPME_SYSCALL_MKDIRAT_E	mkdirat	E	file,syscall	old_version	
PPME_SYSCALL_MKDIRAT_X	mkdirat	X	file,syscall	uses_fd	res:ERRNO, dirfd:FD, path:FSRELPATH, mode:UINT32
PPME_SYSCALL_OPENAT_2_E	openat	E	file,syscall	creates_fd,modifies_state,converter_managed	dirfd:FD, name:FSRELPATH, flags:FLAGS32, mode:UINT32
PPME_SYSCALL_OPENAT_2_X	openat	X	file,syscall	creates_fd,modifies_state,converter_managed	fd:FD, dirfd:FD, name:FSRELPATH, flags:FLAGS32, mode:UINT32, dev:UINT32, ino:UINT64
PPME_SYSCALL_LINK_2_E	link	E	file,syscall	old_version	
PPME_SYSCALL_LINK_2_X	link	X	file,syscall		res:ERRNO, oldpath:FSPATH, newpath:FSPATH
PPME_SYSCALL_LINKAT_2_E	linkat	E	file,syscall	old_version	
PPME_SYSCALL_LINKAT_2_X	linkat	X	file,syscall		res:ERRNO, olddir:FD, oldpath:FSRELPATH, newdir:FD, newpath:FSRELPATH, flags:FLAGS32
PPME_SYSCALL_FCHMODAT_E	fchmodat	E	file,syscall	old_version	
PPME_SYSCALL_FCHMODAT_X	fchmodat	X	file,syscall	uses_fd	res:ERRNO, dirfd:FD, filename:FSRELPATH, mode:MODE
PPME_SYSCALL_CHMOD_E	chmod	E	file,syscall	old_version	
PPME_SYSCALL_CHMOD_X	chmod	X	file,syscall		res:ERRNO, filename:FSPATH, mode:MODE
PPME_SYSCALL_FCHMOD_E	fchmod	E	file,syscall	old_version	
PPME_SYSCALL_FCHMOD_X	fchmod	X	file,syscall	uses_fd	res:ERRNO, fd:FD, mode:MODE
PPME_SYSCALL_RENAMEAT2_E	renameat2	E	file,syscall	old_version	
PPME_SYSCALL_RENAMEAT2_X	renameat2	X	file,syscall		res:ERRNO, olddirfd:FD, oldpath:FSRELPATH, newdirfd:FD, newpath:FSRELPATH, flags:FLAGS32
PPME_SYSCALL_USERFAULTFD_E	userfaultfd	E	file,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_USERFAULTFD_X	userfaultfd	X	file,syscall	creates_fd,modifies_state	res:ERRNO, flags:FLAGS32
PPME_PLUGINEVENT_E	pluginevent	E	other,plugin	large_payload	plugin_id:UINT32, event_data:BYTEBUF
PPME_PLUGINEVENT_X	NA	X	unknown	unused	
PPME_CONTAINER_JSON_2_E	container	E	process,metaevent	modifies_state,large_payload	json:CHARBUF
PPME_CONTAINER_JSON_2_X	NA	X	unknown	unused	
PPME_SYSCALL_OPENAT2_E	openat2	E	file,syscall	creates_fd,modifies_state,converter_managed	dirfd:FD, name:FSRELPATH, flags:FLAGS32, mode:UINT32, resolve:FLAGS32
PPME_SYSCALL_OPENAT2_X	openat2	X	file,syscall	creates_fd,modifies_state,converter_managed	fd:FD, dirfd:FD, name:FSRELPATH, flags:FLAGS32, mode:UINT32, resolve:FLAGS32, dev:UINT32, ino:UINT64
PPME_SYSCALL_MPROTECT_E	mprotect	E	memory,syscall	old_version,converter_managed	addr:UINT64, length:UINT64, prot:FLAGS32
PPME_SYSCALL_MPROTECT_X	mprotect	X	memory,syscall	converter_managed	res:ERRNO, addr:UINT64, length:UINT64, prot:FLAGS32
PPME_SYSCALL_EXECVEAT_E	execveat	E	process,syscall	old_version,modifies_state,converter_managed	dirfd:FD, pathname:FSRELPATH, flags:FLAGS32
PPME_SYSCALL_EXECVEAT_X	execveat	X	process,syscall	modifies_state,converter_managed	res:ERRNO, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:UINT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:UINT32, vpgid:PID, loginuid:UID, flags:FLAGS32, cap_inheritable:UINT64, cap_permitted:UINT64, cap_effective:UINT64, exe_ino:UINT64, exe_ino_ctime:ABSTIME, exe_ino_mtime:ABSTIME, uid:UID, trusted_exepath:FSPATH, pgid:PID, gid:GID
PPME_SYSCALL_COPY_FILE_RANGE_E	copy_file_range	E	file,syscall	old_version,uses_fd,reads_from_fd,writes_to_fd,converter_managed	fdin:FD, offin:UINT64, len:UINT64
PPME_SYSCALL_COPY_FILE_RANGE_X	copy_file_range	X	file,syscall	uses_fd,reads_from_fd,writes_to_fd,converter_managed	res:ERRNO, fdout:FD, offout:UINT64, fdin:FD, offin:UINT64, len:UINT64
PPME_SYSCALL_CLONE3_E	clone3	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CLONE3_X	clone3	X	process,syscall	modifies_state,converter_managed	res:PID, exe:CHARBUF, args:BYTEBUF, tid:PID, pid:PID, ptid:PID, cwd:CHARBUF, fdlimit:INT64, pgft_maj:UINT64, pgft_min:UINT64, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32, uid:UINT32, gid:UINT32, vtid:PID, vpid:PID, pidns_init_start_ts:UINT64
PPME_SYSCALL_OPEN_BY_HANDLE_AT_E	open_by_handle_at	E	file,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_OPEN_BY_HANDLE_AT_X	open_by_handle_at	X	file,syscall	creates_fd,modifies_state	fd:FD, mountfd:FD, flags:FLAGS32, path:FSPATH, dev:UINT32, ino:UINT64
PPME_SYSCALL_IO_URING_SETUP_E	io_uring_setup	E	io_other,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_IO_URING_SETUP_X	io_uring_setup	X	io_other,syscall	creates_fd,modifies_state	res:ERRNO, entries:UINT32, sq_entries:UINT32, cq_entries:UINT32, flags:FLAGS32, sq_thread_cpu:UINT32, sq_thread_idle:UINT32, features:FLAGS32
PPME_SYSCALL_IO_URING_ENTER_E	io_uring_enter	E	io_other,syscall	old_version	
PPME_SYSCALL_IO_URING_ENTER_X	io_uring_enter	X	io_other,syscall	uses_fd	res:ERRNO, fd:FD, to_submit:UINT32, min_complete:UINT32, flags:FLAGS32, sig:SIGSET
PPME_SYSCALL_IO_URING_REGISTER_E	io_uring_register	E	io_other,syscall	old_version	
PPME_SYSCALL_IO_URING_REGISTER_X	io_uring_register	X	io_other,syscall	uses_fd	res:ERRNO, fd:FD, opcode:ENUMFLAGS16, arg:UINT64, nr_args:UINT32
PPME_SYSCALL_MLOCK_E	mlock	E	memory,syscall	old_version	
PPME_SYSCALL_MLOCK_X	mlock	X	memory,syscall		res:ERRNO, addr:UINT64, len:UINT64
PPME_SYSCALL_MUNLOCK_E	munlock	E	memory,syscall	old_version	
PPME_SYSCALL_MUNLOCK_X	munlock	X	memory,syscall		res:ERRNO, addr:UINT64, len:UINT64
PPME_SYSCALL_MLOCKALL_E	mlockall	E	memory,syscall	old_version	
PPME_SYSCALL_MLOCKALL_X	mlockall	X	memory,syscall		res:ERRNO, flags:FLAGS32
PPME_SYSCALL_MUNLOCKALL_E	munlockall	E	memory,syscall	old_version	
PPME_SYSCALL_MUNLOCKALL_X	munlockall	X	memory,syscall		res:ERRNO
PPME_SYSCALL_CAPSET_E	capset	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_CAPSET_X	capset	X	process,syscall	modifies_state	res:ERRNO, cap_inheritable:UINT64, cap_permitted:UINT64, cap_effective:UINT64
PPME_USER_ADDED_E	useradded	E	process,metaevent	modifies_state	uid:UINT32, gid:UINT32, name:CHARBUF, home:CHARBUF, shell:CHARBUF, container_id:CHARBUF
PPME_USER_ADDED_X	NA	X	unknown	unused	
PPME_USER_DELETED_E	userdeleted	E	process,metaevent	modifies_state	uid:UINT32, gid:UINT32, name:CHARBUF, home:CHARBUF, shell:CHARBUF, container_id:CHARBUF
PPME_USER_DELETED_X	NA	X	unknown	unused	
PPME_GROUP_ADDED_E	groupadded	E	process,metaevent	modifies_state	gid:UINT32, name:CHARBUF, container_id:CHARBUF
PPME_GROUP_ADDED_X	NA	X	unknown	unused	
PPME_GROUP_DELETED_E	groupdeleted	E	process,metaevent	modifies_state	gid:UINT32, name:CHARBUF, container_id:CHARBUF
PPME_GROUP_DELETED_X	NA	X	unknown	unused	
PPME_SYSCALL_DUP2_E	dup2	E	io_other,syscall	old_version,creates_fd,uses_fd,modifies_state	fd:FD
PPME_SYSCALL_DUP2_X	dup2	X	io_other,syscall	creates_fd,uses_fd,modifies_state	res:FD, oldfd:FD, newfd:FD
PPME_SYSCALL_DUP3_E	dup3	E	io_other,syscall	old_version,creates_fd,uses_fd,modifies_state	fd:FD
PPME_SYSCALL_DUP3_X	dup3	X	io_other,syscall	creates_fd,uses_fd,modifies_state	res:FD, oldfd:FD, newfd:FD, flags:FLAGS32
PPME_SYSCALL_DUP_1_E	dup	E	io_other,syscall	old_version,creates_fd,uses_fd,modifies_state	fd:FD
PPME_SYSCALL_DUP_1_X	dup	X	io_other,syscall	creates_fd,uses_fd,modifies_state	res:FD, oldfd:FD
PPME_SYSCALL_BPF_2_E	bpf	E	other,syscall	old_version,creates_fd	cmd:INT64
PPME_SYSCALL_BPF_2_X	bpf	X	other,syscall	creates_fd	fd:FD, cmd:ENUMFLAGS32
PPME_SYSCALL_MLOCK2_E	mlock2	E	memory,syscall	old_version	
PPME_SYSCALL_MLOCK2_X	mlock2	X	memory,syscall		res:ERRNO, addr:UINT64, len:UINT64, flags:FLAGS32
PPME_SYSCALL_FSCONFIG_E	fsconfig	E	system,syscall	old_version	
PPME_SYSCALL_FSCONFIG_X	fsconfig	X	system,syscall	uses_fd	res:ERRNO, fd:FD, cmd:ENUMFLAGS32, key:CHARBUF, value_bytebuf:BYTEBUF, value_charbuf:CHARBUF, aux:INT32
PPME_SYSCALL_EPOLL_CREATE_E	epoll_create	E	wait,syscall	old_version,creates_fd,modifies_state,converter_managed	size:INT32
PPME_SYSCALL_EPOLL_CREATE_X	epoll_create	X	wait,syscall	creates_fd,modifies_state,converter_managed	res:ERRNO, size:INT32
PPME_SYSCALL_EPOLL_CREATE1_E	epoll_create1	E	wait,syscall	old_version,creates_fd,modifies_state,converter_managed	flags:FLAGS32
PPME_SYSCALL_EPOLL_CREATE1_X	epoll_create1	X	wait,syscall	creates_fd,modifies_state,converter_managed	res:ERRNO, flags:FLAGS32
PPME_SYSCALL_CHOWN_E	chown	E	file,syscall	old_version	
PPME_SYSCALL_CHOWN_X	chown	X	file,syscall		res:ERRNO, path:FSPATH, uid:UINT32, gid:UINT32
PPME_SYSCALL_LCHOWN_E	lchown	E	file,syscall	old_version	
PPME_SYSCALL_LCHOWN_X	lchown	X	file,syscall		res:ERRNO, path:FSPATH, uid:UINT32, gid:UINT32
PPME_SYSCALL_FCHOWN_E	fchown	E	file,syscall	old_version	
PPME_SYSCALL_FCHOWN_X	fchown	X	file,syscall	uses_fd	res:ERRNO, fd:FD, uid:UINT32, gid:UINT32
PPME_SYSCALL_FCHOWNAT_E	fchownat	E	file,syscall	old_version	
PPME_SYSCALL_FCHOWNAT_X	fchownat	X	file,syscall	uses_fd	res:ERRNO, dirfd:FD, pathname:FSRELPATH, uid:UINT32, gid:UINT32, flags:FLAGS32
PPME_SYSCALL_UMOUNT_1_E	umount	E	file,syscall	old_version,modifies_state	
PPME_SYSCALL_UMOUNT_1_X	umount	X	file,syscall	modifies_state	res:ERRNO, name:FSPATH
PPME_SOCKET_ACCEPT4_6_E	accept4	E	net,syscall	old_version,creates_fd,modifies_state,converter_managed	flags:INT32
PPME_SOCKET_ACCEPT4_6_X	accept4	X	net,syscall	creates_fd,modifies_state,converter_managed	fd:FD, tuple:SOCKTUPLE, queuepct:UINT8, queuelen:UINT32, queuemax:UINT32, flags:INT32
PPME_SYSCALL_UMOUNT2_E	umount2	E	file,syscall	old_version,modifies_state,converter_managed	flags:FLAGS32
PPME_SYSCALL_UMOUNT2_X	umount2	X	file,syscall	modifies_state,converter_managed	res:ERRNO, name:FSPATH, flags:FLAGS32
PPME_SYSCALL_PIPE2_E	pipe2	E	ipc,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_PIPE2_X	pipe2	X	ipc,syscall	creates_fd,modifies_state	res:ERRNO, fd1:FD, fd2:FD, ino:UINT64, flags:FLAGS32
PPME_SYSCALL_INOTIFY_INIT1_E	inotify_init1	E	ipc,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_INOTIFY_INIT1_X	inotify_init1	X	ipc,syscall	creates_fd,modifies_state	res:FD, flags:FLAGS16
PPME_SYSCALL_EVENTFD2_E	eventfd2	E	ipc,syscall	old_version,creates_fd,modifies_state,converter_managed	initval:UINT64
PPME_SYSCALL_EVENTFD2_X	eventfd2	X	ipc,syscall	creates_fd,modifies_state,converter_managed	res:FD, flags:FLAGS16, initval:UINT64
PPME_SYSCALL_SIGNALFD4_E	signalfd4	E	signal,syscall	old_version,creates_fd,modifies_state,converter_managed	fd:FD, mask:UINT32
PPME_SYSCALL_SIGNALFD4_X	signalfd4	X	signal,syscall	creates_fd,modifies_state,converter_managed	res:FD, flags:FLAGS16, fd:FD, mask:UINT32
PPME_SYSCALL_PRCTL_E	prctl	E	process,syscall	old_version,modifies_state	
PPME_SYSCALL_PRCTL_X	prctl	X	process,syscall	modifies_state	res:ERRNO, option:ENUMFLAGS32, arg2_str:CHARBUF, arg2_int:INT64
PPME_ASYNCEVENT_E	asyncevent	E	other,metaevent	large_payload	plugin_id:UINT32, name:CHARBUF, data:BYTEBUF
PPME_ASYNCEVENT_X	NA	X	unknown	unused	
PPME_SYSCALL_MEMFD_CREATE_E	memfd_create	E	memory,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_MEMFD_CREATE_X	memfd_create	X	memory,syscall	creates_fd,modifies_state	fd:FD, name:CHARBUF, flags:FLAGS32
PPME_SYSCALL_PIDFD_GETFD_E	pidfd_getfd	E	process,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_PIDFD_GETFD_X	pidfd_getfd	X	process,syscall	creates_fd,modifies_state	fd:FD, pid_fd:FD, target_fd:FD, flags:UINT32
PPME_SYSCALL_PIDFD_OPEN_E	pidfd_open	E	process,syscall	old_version,creates_fd,modifies_state	
PPME_SYSCALL_PIDFD_OPEN_X	pidfd_open	X	process,syscall	creates_fd,modifies_state	fd:FD, pid:PID, flags:FLAGS32
PPME_SYSCALL_INIT_MODULE_E	init_module	E	other,syscall	old_version	
PPME_SYSCALL_INIT_MODULE_X	init_module	X	other,syscall		res:ERRNO, img:BYTEBUF, length:UINT64, uargs:CHARBUF
PPME_SYSCALL_FINIT_MODULE_E	finit_module	E	other,syscall	old_version	
PPME_SYSCALL_FINIT_MODULE_X	finit_module	X	other,syscall	uses_fd,reads_from_fd	res:ERRNO, fd:FD, uargs:CHARBUF, flags:FLAGS32
PPME_SYSCALL_MKNOD_E	mknod	E	other,syscall	old_version	
PPME_SYSCALL_MKNOD_X	mknod	X	other,syscall		res:ERRNO, path:FSPATH, mode:MODE, dev:UINT32
PPME_SYSCALL_MKNODAT_E	mknodat	E	other,syscall	old_version	
PPME_SYSCALL_MKNODAT_X	mknodat	X	other,syscall	uses_fd	res:ERRNO, dirfd:FD, path:FSRELPATH, mode:MODE, dev:UINT32
PPME_SYSCALL_NEWFSTATAT_E	newfstatat	E	file,syscall	old_version	
PPME_SYSCALL_NEWFSTATAT_X	newfstatat	X	file,syscall	uses_fd	res:ERRNO, dirfd:FD, path:FSRELPATH, flags:FLAGS32
PPME_SYSCALL_PROCESS_VM_READV_E	process_vm_readv	E	syscall,ipc	old_version	
PPME_SYSCALL_PROCESS_VM_READV_X	process_vm_readv	X	syscall,ipc		res:INT64, pid:PID, data:BYTEBUF
PPME_SYSCALL_PROCESS_VM_WRITEV_E	process_vm_writev	E	syscall,ipc	old_version	
PPME_SYSCALL_PROCESS_VM_WRITEV_X	process_vm_writev	X	syscall,ipc		res:INT64, pid:PID, data:BYTEBUF
PPME_SYSCALL_DELETE_MODULE_E	delete_module	E	other,syscall	old_version	
PPME_SYSCALL_DELETE_MODULE_X	delete_module	X	other,syscall		res:ERRNO, name:CHARBUF, flags:FLAGS32
PPME_SYSCALL_SETREUID_E	setreuid	E	user,syscall	old_version,modifies_state	
PPME_SYSCALL_SETREUID_X	setreuid	X	user,syscall	modifies_state	res:ERRNO, ruid:UID, euid:UID
PPME_SYSCALL_SETREGID_E	setregid	E	user,syscall	old_version	
PPME_SYSCALL_SETREGID_X	setregid	X	user,syscall	modifies_state	res:ERRNO, rgid:UID, egid:UID
PPME_ITER_TASK_E	task	E	iter,process	modifies_state	ppid:PID32, pgid:PID32, vpgid:PID32, sid:PID32, comm:CHARBUF, argv:CHARBUFARRAY, exepath:FSPATH, flags:FLAGS32, env:CHARBUFARRAY, cwd:CHARBUF, fdlimit:UINT64, euid:UID, egid:GID, cap_permitted:UINT64, cap_effective:UINT64, cap_inheritable:UINT64, exe_ino_num:UINT64, exe_ino_ctime:ABSTIME, exe_ino_mtime:ABSTIME, vm_size:UINT32, vm_rss:UINT32, vm_swap:UINT32, pgft_maj:UINT64, pgft_min:UINT64, vtgid:PID32, vpid:PID32, pidns_init_start_ts:UINT64, cgroups:CHARBUFARRAY, root:FSPATH, start_time:ABSTIME, tty:UINT32, loginuid:UID
PPME_ITER_TASK_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_PIPE_E	task_file_pipe	E	iter,file	modifies_state	fd:FD32, path:FSPATH, ino_num:UINT64
PPME_ITER_TASK_FILE_PIPE_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_MEMFD_E	task_file_memfd	E	iter,file	modifies_state	fd:FD32, path:FSPATH, ino_num:UINT64
PPME_ITER_TASK_FILE_MEMFD_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_REGULAR_E	task_file_regular	E	iter,file	modifies_state	fd:FD32, path:FSPATH, flags:FLAGS32, mnt_id:UINT32, ino_num:UINT64
PPME_ITER_TASK_FILE_REGULAR_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_DIRECTORY_E	task_file_directory	E	iter,file	modifies_state	fd:FD32, path:FSPATH, ino_num:UINT64
PPME_ITER_TASK_FILE_DIRECTORY_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_SOCKET_INET_E	task_file_socket_inet	E	iter,file	modifies_state	fd:FD32, sk_type:UINT16, sk_proto:UINT16, local_ip:IPV4ADDR, local_port:PORT, remote_ip:IPV4ADDR, remote_port:PORT, ino_num:UINT64
PPME_ITER_TASK_FILE_SOCKET_INET_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_SOCKET_INET6_E	task_file_socket_inet6	E	iter,file	modifies_state	fd:FD32, sk_type:UINT16, sk_proto:UINT16, local_ip:IPV6ADDR, local_port:PORT, remote_ip:IPV6ADDR, remote_port:PORT, ino_num:UINT64
PPME_ITER_TASK_FILE_SOCKET_INET6_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_SOCKET_UNIX_E	task_file_socket_unix	E	iter,file	modifies_state	fd:FD32, sk_type:UINT16, sk_proto:UINT16, sk_pointer:UINT64, sun_path:FSPATH, ino_num:UINT64
PPME_ITER_TASK_FILE_SOCKET_UNIX_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_SOCKET_NETLINK_E	task_file_socket_netlink	E	iter,file	modifies_state	fd:FD32, sk_type:UINT16, sk_proto:UINT16, ino_num:UINT64
PPME_ITER_TASK_FILE_SOCKET_NETLINK_X	NA	X	unknown	unused	
PPME_ITER_TASK_FILE_ANON_INODE_E	task_file_anon_inode	E	iter,file	modifies_state	fd:FD32, fd_type:FLAGS8, path:FSPATH, ino_num:UINT64
PPME_ITER_TASK_FILE_ANON_INODE_X	NA	X	unknown	unused	
PPME_SYSCALL_KEYCTL_E	NA	E	unknown	unused	
PPME_SYSCALL_KEYCTL_X	keyctl	X	other,syscall		res:ERRNO, operation:ENUMFLAGS32, arg2:DYN, arg3:DYN, arg4:DYN, arg5:DYN
"""#
    static let evtTypeNamesTSV = #"""
name	known_as
NA	event
_llseek	syscall
_newselect	syscall
_sysctl	syscall
accept	event,syscall
accept4	event,syscall
access	event,syscall
acct	syscall
add_key	syscall
adjtimex	syscall
alarm	syscall
arch_prctl	syscall
asyncevent	event
bdflush	syscall
bind	event,syscall
bpf	event,syscall
brk	event,syscall
cachestat	syscall
capget	syscall
capset	event,syscall
chdir	event,syscall
chmod	event,syscall
chown	event,syscall
chroot	event,syscall
clock_adjtime	syscall
clock_getres	syscall
clock_gettime	syscall
clock_nanosleep	syscall
clock_settime	syscall
clone	event,syscall
clone3	event,syscall
close	event,syscall
close_range	event,syscall
connect	event,syscall
container	event
copy_file_range	event,syscall
cpu_hotplug	event
creat	event,syscall
create_module	syscall
delete_module	event,syscall
drop	event
dup	event,syscall
dup2	event,syscall
dup3	event,syscall
epoll_create	event,syscall
epoll_create1	event,syscall
epoll_ctl	syscall
epoll_ctl_old	syscall
epoll_pwait	syscall
epoll_pwait2	syscall
epoll_wait	event,syscall
epoll_wait_old	syscall
eventfd	event,syscall
eventfd2	event,syscall
execve	event,syscall
execveat	event,syscall
exit	syscall
exit_group	syscall
faccessat	syscall
faccessat2	syscall
fadvise64	syscall
fallocate	syscall
fanotify_init	syscall
fanotify_mark	syscall
fchdir	event,syscall
fchmod	event,syscall
fchmodat	event,syscall
fchmodat2	syscall
fchown	event,syscall
fchownat	event,syscall
fcntl	event,syscall
fcntl64	syscall
fdatasync	syscall
fgetxattr	syscall
file_getattr	syscall
file_setattr	syscall
finit_module	event,syscall
flistxattr	syscall
flock	event,syscall
fork	event,syscall
fremovexattr	syscall
fsconfig	event,syscall
fsetxattr	syscall
fsmount	syscall
fsopen	syscall
fspick	syscall
fstat	event,syscall
fstat64	event,syscall
fstatat64	syscall
fstatfs	syscall
fstatfs64	syscall
fsync	syscall
ftruncate	syscall
futex	event,syscall
futex_requeue	syscall
futex_wait	syscall
futex_waitv	syscall
futex_wake	syscall
futimesat	syscall
get_kernel_syms	syscall
get_mempolicy	syscall
get_robust_list	syscall
get_thread_area	syscall
getcpu	syscall
getcwd	event,syscall
getdents	event,syscall
getdents64	event,syscall
getegid	event,syscall
getegid32	syscall
geteuid	event,syscall
geteuid32	syscall
getgid	event,syscall
getgid32	syscall
getgroups	syscall
getitimer	syscall
getpeername	event,syscall
getpgid	syscall
getpgrp	syscall
getpid	syscall
getpmsg	syscall
getppid	syscall
getpriority	syscall
getrandom	syscall
getresgid	event,syscall
getresgid32	syscall
getresuid	event,syscall
getresuid32	syscall
getrlimit	event,syscall
getrusage	syscall
getsid	syscall
getsockname	event,syscall
getsockopt	event,syscall
gettid	syscall
gettimeofday	syscall
getuid	event,syscall
getuid32	syscall
getxattr	syscall
getxattrat	syscall
groupadded	event
groupdeleted	event
idle	syscall
infra	event
init_module	event,syscall
inotify_add_watch	syscall
inotify_init	event,syscall
inotify_init1	event,syscall
inotify_rm_watch	syscall
io_cancel	syscall
io_destroy	syscall
io_getevents	syscall
io_pgetevents	syscall
io_setup	syscall
io_submit	syscall
io_uring_enter	event,syscall
io_uring_register	event,syscall
io_uring_setup	event,syscall
ioctl	event,syscall
ioperm	syscall
iopl	syscall
ioprio_get	syscall
ioprio_set	syscall
ipc	syscall
k8s	event
kcmp	syscall
kexec_file_load	syscall
kexec_load	syscall
keyctl	event,syscall
kill	event,syscall
landlock_add_rule	syscall
landlock_create_ruleset	syscall
landlock_restrict_self	syscall
lchown	event,syscall
lgetxattr	syscall
link	event,syscall
linkat	event,syscall
listen	event,syscall
listmount	syscall
listns	syscall
listxattr	syscall
listxattrat	syscall
llistxattr	syscall
llseek	event
lookup_dcookie	syscall
lremovexattr	syscall
lseek	event,syscall
lsetxattr	syscall
lsm_get_self_attr	syscall
lsm_list_modules	syscall
lsm_set_self_attr	syscall
lstat	event,syscall
lstat64	event,syscall
madvise	syscall
map_shadow_stack	syscall
mbind	syscall
membarrier	syscall
memfd_create	event,syscall
memfd_secret	syscall
mesos	event
migrate_pages	syscall
mincore	syscall
mkdir	event,syscall
mkdirat	event,syscall
mknod	event,syscall
mknodat	event,syscall
mlock	event,syscall
mlock2	event,syscall
mlockall	event,syscall
mmap	event,syscall
mmap2	event,syscall
modify_ldt	syscall
mount	event,syscall
mount_setattr	syscall
move_mount	syscall
move_pages	syscall
mprotect	event,syscall
mq_getsetattr	syscall
mq_notify	syscall
mq_open	syscall
mq_timedreceive	syscall
mq_timedsend	syscall
mq_unlink	syscall
mremap	syscall
mseal	syscall
msgctl	syscall
msgget	syscall
msgrcv	syscall
msgsnd	syscall
msync	syscall
multiplexer	syscall
munlock	event,syscall
munlockall	event,syscall
munmap	event,syscall
na_1	syscall
name_to_handle_at	syscall
nanosleep	event,syscall
newfstatat	event,syscall
nfsservctl	syscall
nice	syscall
notification	event
oldfstat	syscall
oldlstat	syscall
oldolduname	syscall
oldstat	syscall
olduname	syscall
open	event,syscall
open_by_handle_at	event,syscall
open_tree	syscall
open_tree_attr	syscall
openat	event,syscall
openat2	event,syscall
page_fault	event
page_fault_kernel	syscall
page_fault_user	syscall
pause	syscall
pciconfig_iobase	syscall
pciconfig_read	syscall
pciconfig_write	syscall
perf_event_open	syscall
personality	syscall
pidfd_getfd	event,syscall
pidfd_open	event,syscall
pidfd_send_signal	syscall
pipe	event,syscall
pipe2	event,syscall
pivot_root	syscall
pkey_alloc	syscall
pkey_free	syscall
pkey_mprotect	syscall
pluginevent	event
poll	event,syscall
ppoll	event,syscall
prctl	event,syscall
pread	event
pread64	syscall
preadv	event,syscall
preadv2	syscall
prlimit	event
prlimit64	syscall
process_madvise	syscall
process_mrelease	syscall
process_vm_readv	event,syscall
process_vm_writev	event,syscall
procexit	event
procinfo	event
pselect6	syscall
ptrace	event,syscall
pwrite	event
pwrite64	syscall
pwritev	event,syscall
pwritev2	syscall
query_module	syscall
quotactl	event,syscall
quotactl_fd	syscall
read	event,syscall
readahead	syscall
readdir	syscall
readlink	syscall
readlinkat	syscall
readv	event,syscall
reboot	syscall
recv	event,syscall
recvfrom	event,syscall
recvmmsg	event,syscall
recvmsg	event,syscall
remap_file_pages	syscall
removexattr	syscall
removexattrat	syscall
rename	event,syscall
renameat	event,syscall
renameat2	event,syscall
request_key	syscall
restart_syscall	syscall
riscv_flush_icache	syscall
riscv_hwprobe	syscall
rmdir	event,syscall
rseq	syscall
rseq_slice_yield	syscall
rt_sigaction	syscall
rt_sigpending	syscall
rt_sigprocmask	syscall
rt_sigqueueinfo	syscall
rt_sigreturn	syscall
rt_sigsuspend	syscall
rt_sigtimedwait	syscall
rt_tgsigqueueinfo	syscall
rtas	syscall
s390_guarded_storage	syscall
s390_pci_mmio_read	syscall
s390_pci_mmio_write	syscall
s390_runtime_instr	syscall
s390_sthyi	syscall
scapevent	event
sched_get_priority_max	syscall
sched_get_priority_min	syscall
sched_getaffinity	syscall
sched_getattr	syscall
sched_getparam	syscall
sched_getscheduler	syscall
sched_process_exit	syscall
sched_rr_get_interval	syscall
sched_setaffinity	syscall
sched_setattr	syscall
sched_setparam	syscall
sched_setscheduler	syscall
sched_switch	syscall
sched_yield	syscall
seccomp	event,syscall
select	event,syscall
semctl	event,syscall
semget	event,syscall
semop	event,syscall
semtimedop	syscall
send	event,syscall
sendfile	event,syscall
sendfile64	syscall
sendmmsg	event,syscall
sendmsg	event,syscall
sendto	event,syscall
set_mempolicy	syscall
set_mempolicy_home_node	syscall
set_robust_list	syscall
set_thread_area	syscall
set_tid_address	syscall
setdomainname	syscall
setfsgid	syscall
setfsuid	syscall
setgid	event,syscall
setgid32	syscall
setgroups	syscall
sethostname	syscall
setitimer	syscall
setns	event,syscall
setpgid	event,syscall
setpriority	syscall
setregid	event,syscall
setresgid	event,syscall
setresgid32	syscall
setresuid	event,syscall
setresuid32	syscall
setreuid	event,syscall
setrlimit	event,syscall
setsid	event,syscall
setsockopt	event,syscall
settimeofday	syscall
setuid	event,syscall
setuid32	syscall
setxattr	syscall
setxattrat	syscall
sgetmask	syscall
shmat	syscall
shmctl	syscall
shmdt	syscall
shmget	syscall
shutdown	event,syscall
sigaction	syscall
sigaltstack	syscall
signal	syscall
signal_deliver	syscall
signaldeliver	event
signalfd	event,syscall
signalfd4	event,syscall
sigpending	syscall
sigprocmask	syscall
sigreturn	syscall
sigsuspend	syscall
socket	event,syscall
socketcall	syscall
socketpair	event,syscall
splice	event,syscall
spu_create	syscall
spu_run	syscall
ssetmask	syscall
stat	event,syscall
stat64	event,syscall
statfs	syscall
statfs64	syscall
statmount	syscall
statx	syscall
stime	syscall
subpage_prot	syscall
swapcontext	syscall
swapoff	syscall
swapon	syscall
switch	event
switch_endian	syscall
symlink	event,syscall
symlinkat	event,syscall
sync	syscall
sync_file_range	syscall
sync_file_range2	syscall
syncfs	syscall
sys_debug_setcontext	syscall
syscall	event
sysfs	syscall
sysinfo	syscall
syslog	syscall
task	event
task_file_anon_inode	event
task_file_directory	event
task_file_memfd	event
task_file_pipe	event
task_file_regular	event
task_file_socket_inet	event
task_file_socket_inet6	event
task_file_socket_netlink	event
task_file_socket_unix	event
tee	syscall
tgkill	event,syscall
time	syscall
timer_create	syscall
timer_delete	syscall
timer_getoverrun	syscall
timer_gettime	syscall
timer_settime	syscall
timerfd	syscall
timerfd_create	event,syscall
timerfd_gettime	syscall
timerfd_settime	syscall
times	syscall
tkill	event,syscall
tracer	event
truncate	syscall
ugetrlimit	syscall
umask	syscall
umount	event,syscall
umount2	event,syscall
uname	syscall
unknown	syscall
unlink	event,syscall
unlinkat	event,syscall
unshare	event,syscall
uprobe	syscall
uretprobe	syscall
uselib	syscall
useradded	event
userdeleted	event
userfaultfd	event,syscall
ustat	syscall
utime	syscall
utimensat	syscall
utimes	syscall
vfork	event,syscall
vhangup	syscall
vm86	syscall
vmsplice	syscall
wait4	syscall
waitid	syscall
waitpid	syscall
write	event,syscall
writev	event,syscall
"""#
}
