#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import TradsecCore

/// `fd.sip.name`: the name a server address was reached by, for the names the rules compare it
/// with (Falco resolves those names itself and matches the addresses, as here): each name is
/// resolved on a thread of its own when the sensor starts and every `interval` seconds.
final class ServerNames: @unchecked Sendable {
    let names: [String]
    private let byAddress = Mutex<[String: String]>([:])
    private let queue = DispatchQueue(label: "tradsec.sensor.names")
    private let stopped = Atomic<Bool>(false)
    let interval: Double

    init(names: [String], interval: Double = 60) {
        self.names = names
        self.interval = interval
    }

    func start() {
        guard !names.isEmpty else { return }
        queue.async { [self] in resolveAll() }
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func name(of address: String?) -> String? {
        guard let address, !names.isEmpty else { return nil }
        return byAddress.withLock { $0[address] }
    }

    private func resolveAll() {
        var found: [String: String] = [:]
        for name in names {
            for address in Self.addresses(of: name) where found[address] == nil { found[address] = name }
        }
        byAddress.withLock { $0 = found }
        guard !stopped.load(ordering: .relaxed) else { return }
        queue.asyncAfter(deadline: .now() + interval) { [self] in
            if !stopped.load(ordering: .relaxed) { resolveAll() }
        }
    }

    static func addresses(of name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(cText(host))
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}
