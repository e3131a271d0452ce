import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Options fall back to `TOPMOCK_*` environment variables (the container sets TOPMOCK_HOST).
/// A command-line value always wins over the environment.
enum Environment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }

    /// The option's value, else the variable's, else the default; a variable that does not parse is
    /// a usage error naming the variable.
    static func resolve<T: ExpressibleByArgument>(_ option: T?, _ variable: String, default fallback: T) throws -> T {
        if let option { return option }
        guard let text = value(variable) else { return fallback }
        guard let parsed = T(argument: text) else {
            throw ValidationError("environment variable \(variable)='\(text)' is not a valid value")
        }
        return parsed
    }

    /// Bool flags: `1`, `true`, `yes`, `on` mean true.
    static func flag(_ option: Bool, _ variable: String) -> Bool {
        if option { return true }
        guard let text = value(variable)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(text)
    }
}
