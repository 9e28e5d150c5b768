import Processor
import TradsecCore

/// POST /falco bodies (`PayloadDecoder`: one alert, JSON Lines, an array): either a reason
/// for a 400, or alerts and rejects; every alert kept reads back from its raw text.
enum PayloadHarness {
    static let target = FuzzTarget(
        "payload",
        "PayloadDecoder on a request body: a fatal reason excludes alerts/rejects, reject line numbers increasing, each alert's raw re-decodes to it; oneAlert takes only what decode gives as one alert, as its record",
        maxLength: 16384
    ) { bytes in check(bytes) }

    static func check(_ body: UnsafeRawBufferPointer) {
        let decoded = PayloadDecoder.decode(body)
        // serve's fast path takes Falco's one alert this way instead, and the full path's answer must not differ.
        var batch = AlertBatch()
        if PayloadDecoder.oneAlert(body, into: &batch) {
            Invariant.require(decoded.fatal == nil && decoded.rejectCount == 0 && decoded.alerts.count == 1,
                              "oneAlert took a body that decode gives as \(decoded.alerts.count) alerts, \(decoded.rejectCount) rejects")
            Invariant.require(batch.count == 1, "oneAlert added \(batch.count) entries")
            if decoded.alerts.count == 1, batch.count == 1 {
                Invariant.require(AlertLineHarness.sameRecord(batch.record(at: 0), decoded.alerts[0].record), "oneAlert's record differs from decode's alert")
            }
        } else {
            Invariant.require(batch.isEmpty, "oneAlert refused the body but changed the batch")
        }
        if let fatal = decoded.fatal {
            Invariant.require(decoded.alerts.isEmpty && decoded.rejects.isEmpty, "a fatal body (\(fatal)) also gave alerts or rejects")
            return
        }
        // Neither alerts nor rejects (`[]`) is answered 400 like a body of rejects.
        var last = 0
        Invariant.require(decoded.rejectCount >= decoded.rejects.count, "fewer rejects counted than kept")
        for reject in decoded.rejects {
            Invariant.require(reject.line > last, "reject line numbers not increasing: \(reject.line) after \(last)")
            last = reject.line
            _ = reject.rejection.message
        }
        for alert in decoded.alerts {
            Invariant.require(!alert.raw.utf8.contains(0x0A), "an alert's raw text holds a line break")
            let again = Result { () throws(AlertRejection) -> AlertRecord in try AlertDecoder.decodeRecord(line: alert.raw) }
            guard case .success(let record) = again else {
                Invariant.require(false, "an accepted alert's raw text is refused: \(again)")
                continue
            }
            Invariant.require(AlertLineHarness.sameRecord(record, alert.record), "an accepted alert's raw text decodes differently")
        }
    }
}
