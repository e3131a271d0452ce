import ArgumentParser

/// One setting of `serve` and `record`: its long option, environment variable, default, bounds,
/// the help line `--help` prints and the line docs/configuration.md shows. The option
/// declarations (``ServeOptions``, ``UpstreamOptions``, ``Record``), the resolver and the docs'
/// table all read these values, so none of them states an option, a variable or a default of its
/// own (`CLITests` checks the docs' table against ``SettingDefinition/table``).
struct SettingDefinition<Value: Sendable>: Sendable {
    enum Kind: Sendable {
        /// `--name VALUE`.
        case option
        /// `--name`, and the variable set to 1, true, yes or on.
        case flag
        /// `--name VALUE`, repeatable; the variable holds the values joined by `separator`.
        case list(separator: Character)
    }

    /// The long option, without its dashes.
    let name: String
    /// The `TOPMOCK_*` variable; nil for an option with none.
    let variable: String?
    let kind: Kind
    /// The value when neither the option nor the variable is given; nil when there is none.
    let defaultValue: Value?
    /// The default as the help and the docs show it, when `defaultValue` does not say it (a value
    /// computed at start, or none with a meaning).
    let shownDefault: String?
    /// The placeholder in `--help` and the docs (`--scenarios PATH`).
    let valueName: String?
    /// The allowed range of a whole-number setting, whether it came from the option or the variable.
    let bounds: ClosedRange<Int>?
    /// One sentence for `--help`.
    let help: String
    /// docs/configuration.md's explanation, when it says more than `help` (links, consequences).
    let doc: String?

    init(
        _ name: String, _ variable: String?, _ kind: Kind = .option, default defaultValue: Value? = nil, shown shownDefault: String? = nil,
        valueName: String? = nil, bounds: ClosedRange<Int>? = nil, help: String, doc: String? = nil
    ) {
        self.name = name
        self.variable = variable
        self.kind = kind
        self.defaultValue = defaultValue
        self.shownDefault = shownDefault
        self.valueName = valueName
        self.bounds = bounds
        self.help = help
        self.doc = doc
    }

    var option: String { "--" + name }

    /// The default as text: `shownDefault`, else the value itself; nil when there is none.
    var defaultText: String? {
        if let shownDefault { return shownDefault }
        if case .flag = kind { return nil }
        return defaultValue.map { "\($0)" }
    }

    /// `--help`'s text: the sentence, then the variable and the default.
    var argumentHelp: ArgumentHelp {
        var notes: [String] = []
        if let variable {
            switch kind {
            case .option: notes.append("env: \(variable)")
            case .flag: notes.append("env: \(variable)=1")
            case .list(let separator): notes.append("env: \(variable), '\(separator)'-separated")
            }
        }
        if let defaultText { notes.append("default \(defaultText)") }
        return ArgumentHelp(notes.isEmpty ? help : "\(help) (\(notes.joined(separator: ", ")))", valueName: valueName)
    }

    /// The option's name for ArgumentParser.
    var nameSpecification: NameSpecification { .customLong(name) }

    /// The value from `variable`, if set and not empty.
    var environmentText: String? { variable.flatMap(Environment.value) }

    /// A usage error for a value outside ``bounds``, naming the option.
    func checkBounds(_ value: Int) throws {
        guard let bounds, !bounds.contains(value) else { return }
        switch (bounds.lowerBound, bounds.upperBound) {
        case (0, .max): throw ValidationError("\(option) must not be negative")
        case (let low, .max): throw ValidationError("\(option) must be at least \(low)")
        case (let low, let high): throw ValidationError("\(option) must be between \(low) and \(high)")
        }
    }
}

extension SettingDefinition where Value: ExpressibleByArgument {
    /// The option's value, else the variable's, else the default (nil when there is none); a
    /// variable that does not parse, or a number outside ``bounds``, is a usage error.
    func resolve(_ option: Value?) throws -> Value? {
        var value = option
        if value == nil, let text = environmentText {
            guard let parsed = Value(argument: text) else {
                throw ValidationError("environment variable \(variable!)='\(text)' is not a valid value")
            }
            value = parsed
        }
        if let number = value as? Int { try checkBounds(number) }
        return value ?? defaultValue
    }

    /// As ``resolve(_:)``, for a setting that has a default.
    func resolve(_ option: Value?) throws -> Value {
        guard let value: Value = try resolve(option) else {
            preconditionFailure("\(self.option) has no default")
        }
        return value
    }
}

extension SettingDefinition where Value == Bool {
    /// A flag: given, or its variable set to 1, true, yes or on.
    func resolve(_ flag: Bool) -> Bool {
        if flag { return true }
        guard let text = environmentText?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(text)
    }
}

extension SettingDefinition where Value == [String] {
    /// The repeated option's values, else the variable's split at the separator, else the default.
    func resolve(_ values: [String]) -> [String] {
        if !values.isEmpty { return values }
        if case .list(let separator) = kind, let text = environmentText {
            return text.split(separator: separator).map(String.init)
        }
        return defaultValue ?? []
    }
}

/// A setting of any type, as the docs' table shows it.
protocol DocumentedSetting: Sendable {
    /// One row of docs/configuration.md's table: option, variable, default, meaning.
    var markdownRow: String { get }
    /// `VARIABLE=value` when the setting's variable is set here, its value masked when it holds a
    /// secret (an app's, the admin token, the upstream's); nil when unset.
    var environmentLine: String? { get }
}

extension SettingDefinition: DocumentedSetting {
    var environmentLine: String? {
        guard let variable, let text = environmentText else { return nil }
        return "\(variable)=\(SettingsTable.secretVariables.contains(variable) ? "***" : text)"
    }

    var markdownRow: String {
        var shownOption = "`\(option)\(valueName.map { " " + $0.uppercased() } ?? "")`"
        var shownVariable = variable.map { "`\($0)`" } ?? "—"
        switch kind {
        case .option: break
        case .flag: shownVariable = variable.map { "`\($0)=1`" } ?? "—"
        case .list(let separator):
            shownOption += " (repeatable)"
            if let variable { shownVariable = "`\(variable)` (`\(separator)`-separated)" }
        }
        // A default that is a value is code; one described in words is not.
        let shownDefault = defaultText.map { $0.contains(" ") ? $0 : "`\($0)`" } ?? (kindIsFlag ? "off" : "—")
        return "| \(shownOption) | \(shownVariable) | \(shownDefault) | \(doc ?? Self.docLine(help)) |"
    }

    /// A help sentence as a line of the table: no final period, and a lower-case first word
    /// unless it is an acronym (`TCP port; …`).
    private static func docLine(_ help: String) -> String {
        var line = help.hasSuffix(".") ? String(help.dropLast()) : help
        let firstWord = line.prefix { $0 != " " }
        let isAcronym = firstWord.count > 1 && firstWord.allSatisfy { !$0.isLowercase }
        if let first = line.first, first.isUppercase, !isAcronym {
            line = first.lowercased() + line.dropFirst()
        }
        return line
    }

    private var kindIsFlag: Bool {
        if case .flag = kind { return true }
        return false
    }
}
