/// Decoding of `application/x-www-form-urlencoded` text (query strings and form bodies).
public enum PercentDecoding {
    /// Decodes `%XX` escapes and, when `plusIsSpace`, `+` as a space (what every TOP SDK's URL
    /// encoder writes). A `%` not followed by two hex digits is kept as it is.
    public static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool = true) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, let high = hexValue(bytes[first]), let low = hexValue(bytes[second]) {
                        output.append(high << 4 | low)
                        index = bytes.index(after: second)
                        continue
                    }
                }
                output.append(byte)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                output.append(UInt8(ascii: " "))
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return output
    }

    /// Decodes to a String; invalid UTF-8 becomes U+FFFD.
    public static func decodeString(_ bytes: some Collection<UInt8>, plusIsSpace: Bool = true) -> String {
        String(decoding: decode(bytes, plusIsSpace: plusIsSpace), as: UTF8.self)
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}

/// Encoding for `application/x-www-form-urlencoded` (as Java's URLEncoder does it: letters,
/// digits and `-_.*` stay, space becomes `+`, every other byte of the UTF-8 becomes `%XX`).
public enum PercentEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    public static func encodeFormComponent(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name=value&…`, each side form-encoded.
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encodeFormComponent($0.0))=\(encodeFormComponent($0.1))" }.joined(separator: "&")
    }
}
