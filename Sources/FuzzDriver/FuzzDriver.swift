#if canImport(Glibc)
import Glibc
#endif
#if TRADSEC_LIBFUZZER
import CFuzzDriver
#endif
import FuzzHarness
import TradsecCore

// `tradsec-fuzz`: the fuzz targets as one program.
//
// Built by `make fuzz` (-sanitize=fuzzer, -DTRADSEC_LIBFUZZER), main hands over to libFuzzer,
// which calls LLVMFuzzerInitialize once, then LLVMFuzzerTestOneInput for each input, on the
// target named by $TRADSEC_FUZZ_TARGET. Built normally, main replays files (Fuzz/README.md).

nonisolated(unsafe) private var selected: FuzzTarget?

/// Writes to standard error (fd 2: the C `stderr` global is not concurrency-safe in Swift 6).
private func printError(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = getenv("TRADSEC_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTargets.named(name) else {
        let names = FuzzTargets.all.map(\.name).joined(separator: " ")
        printError("tradsec-fuzz: set TRADSEC_FUZZ_TARGET to one of: \(names)\n")
        exit(ExitStatus.usage)
    }
    selected = target
    // The target's own -max_len and -dict, unless given: libFuzzer reads its flags after this.
    var args = (0..<Int(argc.pointee)).map { String(cString: argv.pointee![$0]!) }
    if !args.contains(where: { $0.hasPrefix("-max_len=") }) { args.append("-max_len=\(target.maxLength)") }
    if let dictionary = target.dictionary, !args.contains(where: { $0.hasPrefix("-dict=") }),
       let root = getenv("TRADSEC_FUZZ_DICTIONARIES").map({ String(cString: $0) }) {
        args.append("-dict=\(root)/\(dictionary).dict")
    }
    // Kept for the whole run, as libFuzzer keeps argv.
    let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: args.count + 1)
    for (i, arg) in args.enumerated() { list[i] = strdup(arg) }
    list[args.count] = nil
    argc.pointee = Int32(args.count)
    argv.pointee = list
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = selected else { return 0 }
    target.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@main
struct FuzzDriver {
    static let usage = """
        usage: tradsec-fuzz list                     the targets, their -max_len and what each checks
               tradsec-fuzz replay TARGET PATH...    runs TARGET on each file (directories: every file in them)
        """

    static func main() {
        #if TRADSEC_LIBFUZZER
        // SwiftPM links this main, not libFuzzer's: hand over to libFuzzer.
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) })
        #else
        let args = Array(CommandLine.arguments.dropFirst())
        switch args.first {
        case "list":
            for t in FuzzTargets.all { print("\(t.name)\t\(t.maxLength)\t\(t.summary)") }
        case "replay" where args.count >= 2:
            guard let target = FuzzTargets.named(args[1]) else {
                printError("tradsec-fuzz: no target '\(args[1])'\n\(usage)\n")
                exit(ExitStatus.usage)
            }
            // What libFuzzer reports as out-of-memory or a timeout fails a replay too, and
            // quickly: 2 GiB of data (an allocation beyond it traps) and 30 s per input.
            var limit = rlimit(rlim_cur: 2 << 30, rlim_max: 2 << 30)
            setrlimit(Int32(RLIMIT_DATA.rawValue), &limit)
            // Read once here, so the handler only loads an initialised constant.
            _ = ExitStatus.software
            signal(SIGALRM) { _ in
                let message = "tradsec-fuzz: timeout: the input ran for more than 30 s\n"
                _ = message.withCString { write(2, $0, strlen($0)) }
                _exit(ExitStatus.software)
            }
            var count = 0
            for path in args.dropFirst(2) {
                for file in files(path) {
                    // Named first: a trap in the target then says which file it came from.
                    printError("\(target.name) \(file)\n")
                    guard let bytes = read(file) else {
                        printError("tradsec-fuzz: cannot read \(file)\n")
                        exit(ExitStatus.noInput)
                    }
                    alarm(30)
                    bytes.withUnsafeBytes { target.run($0) }
                    alarm(0)
                    count += 1
                }
            }
            print("\(target.name): \(count) input(s) replayed, all invariants held")
        default:
            printError(usage + "\n")
            exit(ExitStatus.usage)
        }
        #endif
    }

    /// `path` itself, or the regular files directly in it (sorted), or none when it does not exist.
    static func files(_ path: String) -> [String] {
        var st = stat()
        guard stat(path, &st) == 0 else { return [] }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            var fileStat = stat()
            if stat(path + "/" + name, &fileStat) == 0, (fileStat.st_mode & S_IFMT) == S_IFREG { names.append(name) }
        }
        return names.sorted().map { path + "/" + $0 }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
