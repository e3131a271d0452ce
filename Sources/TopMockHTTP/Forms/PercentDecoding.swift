/// Decoding of `application/x-www-form-urlencoded` text (query strings and form bodies).
///
/// Concrete over byte buffers on purpose: this runs for every parameter of every request, and a
/// generic `Collection` version is not specialised across the module boundary (a profile showed
/// per-byte witness calls).
public enum PercentDecoding {
    /// Decodes `%XX` escapes and, when `plusIsSpace`, `+` as a space (what every TOP SDK's URL
    /// encoder writes). A `%` not followed by two hex digits is kept as it is. Invalid UTF-8
    /// becomes U+FFFD.
    public static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool = true) -> String {
        // Fast path: nothing to decode.
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || ($0 == UInt8(ascii: "+") && plusIsSpace) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: bytes.count) { output in
            var read = 0, written = 0
            let count = bytes.count
            while read < count {
                let byte = bytes[read]
                if byte == UInt8(ascii: "%"), read + 2 < count,
                   let high = hexValue(bytes[read + 1]), let low = hexValue(bytes[read + 2]) {
                    output[written] = high << 4 | low
                    read += 3
                } else {
                    output[written] = byte == UInt8(ascii: "+") && plusIsSpace ? UInt8(ascii: " ") : byte
                    read += 1
                }
                written += 1
            }
            return written
        }
    }

    public static func decodeString(_ bytes: [UInt8], plusIsSpace: Bool = true) -> String {
        bytes.withUnsafeBufferPointer { decodeString($0, plusIsSpace: plusIsSpace) }
    }

    public static func decodeString(_ text: String, plusIsSpace: Bool = true) -> String {
        decodeString(Array(text.utf8), plusIsSpace: plusIsSpace)
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
