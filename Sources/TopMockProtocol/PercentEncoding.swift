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
