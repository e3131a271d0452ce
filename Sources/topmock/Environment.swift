import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `TOPMOCK_*` environment variables options fall back to (``SettingDefinition/resolve(_:)``; the
/// container sets TOPMOCK_HOST). A command-line value always wins over the environment.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }
}
