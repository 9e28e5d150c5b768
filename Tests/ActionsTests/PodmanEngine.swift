#if canImport(Glibc)
import Glibc
#endif
import CurlClient
import Testing
import TestSupport

extension PodmanEngine {
    @TaskLocal static var current: PodmanEngine?

    /// The engine the suite trait started; a test outside the trait fails loudly.
    static func shared() throws -> PodmanEngine {
        guard let engine = current else { throw Failure(description: "no podman engine: the suite must carry .podmanEngine") }
        return engine
    }
}

/// Starts one podman engine around a whole suite and tears it down after the last test.
struct PodmanEngineTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let engine = try PodmanEngine()
        defer { engine.stop() }
        try await PodmanEngine.$current.withValue(engine) { try await function() }
    }
}

extension Trait where Self == PodmanEngineTrait {
    static var podmanEngine: PodmanEngineTrait { PodmanEngineTrait() }
}

/// A TCP listener on one address (the container network's gateway) that counts connections:
/// the host service an isolated container must no longer reach.
final class TCPProbeListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLockLike()
    private var accepted = 0
    private var running = true
    private var thread: pthread_t?

    init(address: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr(address)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw PodmanEngine.Failure(description: "cannot listen on \(address): \(String(cString: strerror(errno)))")
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: bound.sin_port))
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        pthread_create(&t, nil, { arg in
            let me = Unmanaged<TCPProbeListener>.fromOpaque(arg!).takeRetainedValue()
            me.loop()
            return nil
        }, box.toOpaque())
        thread = t
    }

    private func loop() {
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            lock.lock()
            let keepGoing = running
            lock.unlock()
            if !keepGoing { return }
            guard ready > 0 else { continue }
            let client = accept(fd, nil, nil)
            if client >= 0 {
                lock.lock(); accepted += 1; lock.unlock()
                close(client)
            }
        }
    }

    var connections: Int { lock.lock(); defer { lock.unlock() }; return accepted }

    func stop() {
        lock.lock(); running = false; lock.unlock()
        if let thread { pthread_join(thread, nil) }
        thread = nil
        close(fd)
    }
}

/// A pthread mutex (Foundation's NSLock would pull Foundation into this file for one type).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}
