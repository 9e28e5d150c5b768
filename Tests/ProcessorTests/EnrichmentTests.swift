import AlertStore
import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

@Suite struct AddressListTests {
    @Test func matchesAddressesBlocksAndDomains() {
        let (list, errors) = AddressList.parse("""
            # exchanges
            52.84.0.0/16 binance
            203.0.113.7
            kraken.com kraken
            *.coinbase.com coinbase
            2001:db8::/32 v6net
            not_an_entry!
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.line == 7)
        #expect(list.match(ip: "52.84.12.1") == .some("binance"))
        #expect(list.match(ip: "52.85.0.1") == nil)
        #expect(list.match(ip: "203.0.113.7") == .some(nil))
        #expect(list.match(ip: "203.0.113.8") == nil)
        #expect(list.match(domain: "api.kraken.com") == .some("kraken"))
        #expect(list.match(domain: "kraken.com.") == .some("kraken"))
        #expect(list.match(domain: "evilkraken.com") == nil)
        #expect(list.match(domain: "coinbase.com") == nil)          // *. means subdomains only
        #expect(list.match(domain: "api.coinbase.com") == .some("coinbase"))
        #expect(list.match(ip: "2001:db8:1::5") == .some("v6net"))
        #expect(list.match(ip: "2001:db9::5") == nil)
    }

    @Test func ipv6TextForms() {
        #expect(IPAddress.parse("::1") == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddress.parse("fe80::1:2")?.count == 16)
        #expect(IPAddress.parse("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress.parse("256.1.1.1") == nil)
        #expect(IPAddress.parse("1.2.3") == nil)
    }
}
