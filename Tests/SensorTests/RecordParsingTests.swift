import Testing
@testable import Sensor

@Suite struct ContainerIdentityTests {
    @Test func podmanCgroupfsLayout() {
        let id = String(repeating: "ab12", count: 16)
        let identity = ContainerIdentity.from(cgroupPath: "/libpod_parent/libpod-\(id)")
        #expect(identity.id == String(id.prefix(12)))
        #expect(identity.type == "podman")
    }
}
