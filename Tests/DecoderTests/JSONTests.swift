import IOMMUFD
import Testing

@Suite("JSONValue")
struct JSONTests {
    // MARK: Round trips

    static let documents: [String] = [
        "null", "true", "false", "0", "-1", "42", "9223372036854775807", "-9223372036854775808",
        "18446744073709551615", "1.5", "-0.25", "1e+300", "\"\"", "\"text\"", "[]", "{}",
        "[1,[2,[3,[]]],{\"a\":{\"b\":[null,true]}}]",
        "{\"z\":1,\"a\":2,\"m\":[\"x\",{\"k\":\"v\"}]}",
        "\"quote \\\" backslash \\\\ newline \\n tab \\t cr \\r bs \\b ff \\f ctl \\u0001\"",
        "\"h\u{e9}llo \u{4e16}\u{754c} \u{1F600}\"",
    ]

    @Test("compact serialization reproduces the document", arguments: documents)
    func compactRoundTrip(document: String) throws {
        let value = try JSONValue.parse(document)
        #expect(value.serialized(pretty: false) == document)
        #expect(try JSONValue.parse(value.serialized(pretty: true)) == value)
    }

    @Test("values built in code survive both serializations")
    func builtValuesRoundTrip() throws {
        let value: JSONValue = [
            "name": "SMMU_IDR0",
            "raw": .hex(0x0d44_101b, digits: 8),
            "fields": ["S1P": 1, "S2P": 1, "TTF": 2],
            "ratio": 0.5,
            "big": JSONValue(UInt64.max),
            "negative": -7,
            "flags": [true, false, nil],
            "empty": [:],
            "none": [],
        ]
        for pretty in [false, true] {
            let text = value.serialized(pretty: pretty)
            let back = try JSONValue.parse(text)
            #expect(back == value)
            #expect(back.serialized(pretty: pretty) == text)
            #expect(back.keys == value.keys)
        }
    }

    @Test("pretty output indents two spaces, one member per line")
    func prettyFormat() {
        let value: JSONValue = ["a": 1, "b": [true, "x"], "c": [:], "d": []]
        let expected = """
            {
              "a": 1,
              "b": [
                true,
                "x"
              ],
              "c": {},
              "d": []
            }
            """
        #expect(value.serialized(pretty: true) == expected)
        #expect(value.description == "{\"a\":1,\"b\":[true,\"x\"],\"c\":{},\"d\":[]}")
    }

    // MARK: Strings

    @Test("escapes: serializer writes what JSON requires")
    func serializerEscapes() {
        let value = JSONValue.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}/\u{7F}é")
        #expect(value.serialized(pretty: false) == "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/\u{7F}é\"")
    }

    @Test("escapes: parser reads every escape and unicode forms")
    func parserEscapes() throws {
        #expect(try JSONValue.parse("\"\\/\\\"\\\\\\b\\f\\n\\r\\t\"") == .string("/\"\\\u{08}\u{0C}\n\r\t"))
        #expect(try JSONValue.parse("\"\\u00e9\\u4E16\"") == .string("é世"))
        #expect(try JSONValue.parse("\"\\ud83d\\ude00\"") == .string("\u{1F600}"))
        #expect(try JSONValue.parse("\"\u{1F600} raw\"") == .string("\u{1F600} raw"))
        #expect(try JSONValue.parse("\"\\u0000\"") == .string("\u{0}"))
        let nul = JSONValue.string("\u{0}")
        #expect(nul.serialized(pretty: false) == "\"\\u0000\"")
    }

    // MARK: Numbers

    @Test("integers become int or uint, everything else double")
    func numberKinds() throws {
        #expect(try JSONValue.parse("7") == .int(7))
        if case .int(let value) = try JSONValue.parse("-9223372036854775808") {
            #expect(value == .min)
        } else {
            Issue.record("expected .int")
        }
        if case .uint(let value) = try JSONValue.parse("9223372036854775808") {
            #expect(value == 9_223_372_036_854_775_808)
        } else {
            Issue.record("expected .uint")
        }
        if case .double(let value) = try JSONValue.parse("1.0") { #expect(value == 1) } else { Issue.record("expected .double") }
        if case .double(let value) = try JSONValue.parse("1E2") { #expect(value == 100) } else { Issue.record("expected .double") }
        if case .double(let value) = try JSONValue.parse("-2.5e-3") { #expect(value == -0.0025) } else { Issue.record("expected .double") }
        // Beyond UInt64 an integer is kept approximately, as a double.
        if case .double(let value) = try JSONValue.parse("18446744073709551616") {
            #expect(value == 18_446_744_073_709_551_616.0)
        } else {
            Issue.record("expected .double")
        }
        #expect(try JSONValue.parse("-0") == .int(0))
    }

    @Test("integer cases compare by value; doubles never equal integers")
    func numericEquality() {
        #expect(JSONValue.int(5) == JSONValue.uint(5))
        #expect(JSONValue.int(5).hashValue == JSONValue.uint(5).hashValue)
        #expect(JSONValue.int(-1) != JSONValue.uint(UInt64.max))
        #expect(JSONValue.int(1) != JSONValue.double(1))
        #expect(JSONValue(UInt64(3)) == .int(3))
        if case .uint = JSONValue(UInt64.max) {} else { Issue.record("expected .uint") }
    }

    @Test("non-finite doubles are written as null")
    func nonFinite() {
        #expect(JSONValue.double(.infinity).serialized(pretty: false) == "null")
        #expect(JSONValue.double(.nan).serialized(pretty: false) == "null")
        #expect(JSONValue.double(0.1).serialized(pretty: false) == "0.1")
    }

    // MARK: Objects

    @Test("objects keep insertion order but compare without it")
    func objectOrder() throws {
        let first = try JSONValue.parse("{\"b\":1,\"a\":2}")
        let second = try JSONValue.parse("{\"a\":2,\"b\":1}")
        #expect(first.keys == ["b", "a"])
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(Set([first, second]).count == 1)
        #expect(first != (try JSONValue.parse("{\"a\":2}")))
        #expect(first != (try JSONValue.parse("{\"a\":2,\"b\":3}")))
        #expect(first != (try JSONValue.parse("[1,2]")))
    }

    @Test("a repeated key keeps its first place and its last value")
    func duplicateKeys() throws {
        let value = try JSONValue.parse("{\"a\":1,\"b\":2,\"a\":3}")
        #expect(value.keys == ["a", "b"])
        #expect(value["a"] == 3)
    }

    @Test("deep nesting parses up to the limit")
    func nesting() throws {
        let depth = 500
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try JSONValue.parse(text)
        for _ in 0..<depth { value = value[0]! }
        #expect(value == 1)
        let tooDeep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(tooDeep) }
    }

    // MARK: Accessors

    @Test("subscripts and typed accessors")
    func accessors() throws {
        let value = try JSONValue.parse(
            #"{"n": 3, "big": 18446744073709551615, "neg": -2, "s": "x", "a": [1, "two"], "t": true, "z": null, "d": 2.5}"#)
        #expect(value["n"]?.intValue == 3)
        #expect(value["n"]?.uint64Value == 3)
        #expect(value["big"]?.intValue == nil)
        #expect(value["big"]?.uint64Value == .max)
        #expect(value["neg"]?.uint64Value == nil)
        #expect(value["neg"]?.int64Value == -2)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["s"]?.intValue == nil)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["a"]?[1]?.stringValue == "two")
        #expect(value["a"]?[2] == nil)
        #expect(value["t"]?.boolValue == true)
        #expect(value["z"]?.isNull == true)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["n"]?.doubleValue == 3)
        #expect(value["missing"] == nil)
        #expect(value[0] == nil)
        #expect(value["a"]?["key"] == nil)
        #expect(value.objectValue?.count == 8)
    }

    // MARK: Errors

    static let malformed: [(String, String)] = [
        ("", "unexpected end of input"),
        ("   ", "unexpected end of input"),
        ("[1,]", "expected a value"),
        ("{\"a\":1,}", "expected a string key"),
        ("{\"a\" 1}", "expected ':'"),
        ("{a:1}", "expected a string key"),
        ("[1 2]", "expected ',' or ']'"),
        ("01", "leading zeros"),
        ("1.", "expected a digit after '.'"),
        ("1e", "expected a digit in the exponent"),
        ("-", "expected a digit"),
        ("+1", "unexpected character"),
        ("tru", "invalid literal"),
        ("nul", "invalid literal"),
        ("\"abc", "unterminated string"),
        ("\"a\\x\"", "invalid escape"),
        ("\"\\u12\"", "four hex digits"),
        ("\"\\ud83d\"", "high surrogate"),
        ("\"\\ude00\"", "low surrogate"),
        ("\"tab\there\"", "control character"),
        ("[1] x", "unexpected text after the value"),
        ("1e999", "out of range"),
        ("NaN", "unexpected character"),
    ]

    @Test("malformed input is rejected with a reason", arguments: malformed)
    func malformedInput(text: String, reason: String) {
        do {
            let value = try JSONValue.parse(text)
            Issue.record("parsed \(text.debugDescription) as \(value)")
        } catch {
            #expect(error.reason.contains(reason), "\(text.debugDescription): \(error.reason)")
        }
    }

    @Test("errors give line and column")
    func errorLocation() {
        do {
            _ = try JSONValue.parse("{\n  \"a\": 1,\n  \"é\": ?\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
            #expect(error.description.hasPrefix("JSON parse error at line 3, column 8:"))
        }
    }
}
