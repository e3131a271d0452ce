#if canImport(Glibc)
import Glibc
#endif

/// Decoding of `application/x-www-form-urlencoded` text (query strings and form bodies).
///
/// Concrete over byte buffers on purpose: this runs for every parameter of every request, and a
/// generic `Collection` version is not specialised across the module boundary (it would call
/// through witness tables for every byte).
public enum PercentDecoding {
    /// Decodes `%XX` escapes and, when `plusIsSpace`, `+` as a space (what every TOP SDK's URL
    /// encoder writes). A `%` not followed by two hex digits is kept as it is. Invalid UTF-8
    /// becomes U+FFFD, and `isValidUTF8` says so.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool = true) -> (text: String, isValidUTF8: Bool) {
        let decoded = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = decode(bytes, to: buffer, plusIsSpace: plusIsSpace)
        }
        return decoded.withUnsafeBufferPointer(validated)
    }

    /// Writes the decoded bytes of `bytes` to the start of `destination`, as
    /// ``decode(_:plusIsSpace:)`` decodes them but without checking or repairing UTF-8, and
    /// returns how many it wrote: never more than `bytes.count`, so `destination` needs that many.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutableBufferPointer<UInt8>, plusIsSpace: Bool = true) -> Int
    {
        precondition(destination.count >= bytes.count, "no room for the decoded bytes")
        var read = 0, written = 0
        let count = bytes.count
        while read < count {
            let byte = bytes[read]
            if byte == UInt8(ascii: "%"), read + 2 < count, let high = hexValue(bytes[read + 1]), let low = hexValue(bytes[read + 2]) {
                destination[written] = high << 4 | low
                read += 3
            } else {
                destination[written] = byte == UInt8(ascii: "+") && plusIsSpace ? UInt8(ascii: " ") : byte
                read += 1
            }
            written += 1
        }
        return written
    }

    /// The bytes as a String, and whether they were valid UTF-8 (if not, U+FFFD replaces the bad bytes).
    ///
    /// `String(decoding:)` and a comparison rather than `String(validating:)` (which runs the
    /// standard library's unspecialised generic validator): repairing changes the bytes, so
    /// getting the same bytes back means they were valid.
    public static func validated(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, isValidUTF8: Bool) {
        var text = String(decoding: bytes, as: UTF8.self)
        let isValid = text.withUTF8 { utf8 in
            guard utf8.count == bytes.count, let decoded = utf8.baseAddress, let original = bytes.baseAddress else {
                return utf8.count == bytes.count
            }
            return memcmp(decoded, original, bytes.count) == 0
        }
        return (text, isValid)
    }

    public static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool = true) -> String {
        decode(bytes, plusIsSpace: plusIsSpace).text
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

extension UnsafeBufferPointer<UInt8> {
    /// Where `byte` first occurs in `range`, or `range.upperBound` if it does not. `memchr`: form
    /// bodies are scanned for `&`, `=`, `%` and `+` on every request, and it reads them a word or
    /// a vector at a time where a Swift loop compared byte by byte.
    func position(of byte: UInt8, in range: Range<Int>) -> Int {
        assert(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) outside 0..<\(count)")
        guard !range.isEmpty, let base = baseAddress,
            let found = memchr(base + range.lowerBound, Int32(byte), range.count)
        else { return range.upperBound }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
