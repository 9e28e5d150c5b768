#if canImport(Glibc)
import Glibc
#endif
import CCrypto

/// SHA-256 through OpenSSL's libcrypto: it uses the CPU's SHA extensions, where a Swift
/// implementation in a debug build takes minutes over a multi-gigabyte backup.
public struct SHA256Digest {
    private let context: OpaquePointer

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The digest as lower-case hex; the context is freed, so call this once.
    public func finish() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        EVP_MD_CTX_free(context)
        return Self.hex(out.prefix(Int(length)))
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for b in bytes { text.append(digits[Int(b >> 4)]); text.append(digits[Int(b & 0xF)]) }
        return String(decoding: text, as: UTF8.self)
    }

    public static func of(_ bytes: [UInt8]) -> String {
        let d = SHA256Digest()
        d.update(bytes)
        return d.finish()
    }

    /// The digest of a file's contents, read in 1 MiB chunks.
    public static func ofFile(_ path: String) throws(ActionError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ActionError.io(operation: "read", path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let d = SHA256Digest()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                _ = d.finish()
                throw ActionError.io(operation: "read", path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { d.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return d.finish()
    }
}
