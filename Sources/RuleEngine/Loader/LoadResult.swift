/// One step of the chain from the file down to the offending node (spec 4.1).
public struct LoadLocation: Sendable, Equatable {
    public var itemType: String
    public var itemName: String
    public var file: String
    /// 1-based, as editors show them (0 when unknown).
    public var line: Int
    public var column: Int
}

import TradsecCore

/// An error or warning of a rules file load, with Falco's code.
public struct LoadMessage: Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var locations: [LoadLocation]

    public var file: String { locations.last?.file ?? "" }
    public var line: Int { locations.last?.line ?? 0 }
    public var column: Int { locations.last?.column ?? 0 }
    /// Name of the innermost named item (rule, macro, list, exception, plugin entry).
    public var item: String {
        locations.last(where: { !$0.itemName.isEmpty && $0.itemType != "condition expression" && $0.itemType != "value for" })?.itemName ?? ""
    }
    public var itemType: String { locations.last?.itemType ?? "" }

    public var codeDescription: String { LoadCodes.descriptions[code] ?? "" }

    /// `CODE (what it means): message [item type 'name']`, safe for a terminal: the message
    /// and the item's name come from the rules file and are escaped by scalar.
    public var description: String {
        var s = "\(code) (\(codeDescription))"
        if !message.isEmpty { s += ": " + TerminalSafe.escape(message) }
        if !item.isEmpty { s += " [\(TerminalSafe.escape(itemType)) '\(TerminalSafe.escape(item))']" }
        return s
    }
}

/// Result of loading one file (computed on everything collected so far).
public struct LoadResult: Sendable {
    public var file: String
    public var errors: [LoadMessage] = []
    public var warnings: [LoadMessage] = []
    /// Falco's optional schema check of the file (never fails the load); nil if YAML did not parse.
    public var schemaValid: Bool?
    public var successful: Bool { errors.isEmpty }
}

public enum LoadCodes {
    public static let descriptions: [String: String] = [
        "LOAD_ERR_FILE_READ": "File read error",
        "LOAD_ERR_YAML_PARSE": "YAML parse error",
        "LOAD_ERR_YAML_VALIDATE": "Error validating internal structure of YAML file",
        "LOAD_ERR_COMPILE_CONDITION": "Error compiling condition",
        "LOAD_ERR_COMPILE_OUTPUT": "Error compiling output",
        "LOAD_ERR_VALIDATE": "Error validating rule/macro/list/exception objects",
        "LOAD_ERR_EXTENSION": "Error in extension item",
        "LOAD_UNKNOWN_SOURCE": "Unknown event source",
        "LOAD_UNSAFE_NA_CHECK": "Unsafe <NA> comparison in condition",
        "LOAD_NO_EVTTYPE": "Condition has no event-type restriction",
        "LOAD_UNKNOWN_FILTER": "Unknown field or event-type in condition or output",
        "LOAD_UNUSED_MACRO": "Unused macro",
        "LOAD_UNUSED_LIST": "Unused list",
        "LOAD_UNKNOWN_ITEM": "Unknown rules file item",
        "LOAD_DEPRECATED_ITEM": "Used deprecated item",
        "LOAD_WARNING_EXTENSION": "Warning in extension item",
        "LOAD_APPEND_NO_VALUES": "Overriding/appending with no values",
        "LOAD_EXCEPTION_NAME_NOT_UNIQUE": "Multiple exceptions defined with the same name",
        "LOAD_INVALID_MACRO_NAME": "Invalid macro name",
        "LOAD_INVALID_LIST_NAME": "Invalid list name",
        "LOAD_COMPILE_CONDITION": "Warning in rule condition",
        "LOAD_UNKNOWN_KEY": "Unknown key in item definition",
        // tradsec's own: the rest of an unbounded run of warnings.
        "LOAD_TOO_MANY_WARNINGS": "Too many warnings: the rest were not reported",
    ]
}

/// Thrown inside the loader to stop the current file at its first error.
struct LoadFailure: Error {
    var message: LoadMessage
}
