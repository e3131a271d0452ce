/// A value kept out of line: none takes one word and no allocation, and a value lives in one heap
/// buffer shared by copies until one of them changes it (copy on write). For what only unusual
/// calls have, so a usual one's storage stays small: the parameters' repeated names and files,
/// a journal entry's refusal details.
public struct OutOfLine<Value: Sendable>: Sendable {
    /// Zero or one element: an empty array is a shared empty singleton, a one-element one a
    /// reference-counted buffer.
    private var storage: [Value] = []

    public init() {}

    /// The value, or nil; setting nil frees it.
    public var value: Value? {
        get { storage.first }
        set {
            if let newValue {
                if storage.isEmpty { storage = [newValue] } else { storage[0] = newValue }
            } else {
                storage = []
            }
        }
    }

    /// Changes the value in place, starting from `initial()` when there is none (no copy of a
    /// value held here alone).
    public mutating func update<Result>(orStartWith initial: () -> Value, _ change: (inout Value) -> Result) -> Result {
        if storage.isEmpty { storage = [initial()] }
        return change(&storage[0])
    }
}

extension OutOfLine: Equatable where Value: Equatable {}
