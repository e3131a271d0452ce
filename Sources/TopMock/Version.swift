/// topmock's version, reported by `--version` and `/__admin/health`.
public enum TopMockVersion {
    public static let current = "0.1.0"
}
