import TopMockHTTP

/// `/__admin/recording` under `topmock record`: the recording so far as a scenario file (what the
/// command writes at stop), or cleared. 404 (1015) when topmock is not recording.
struct RecordingResource: Sendable {
    let recorder: Recorder?

    func read() throws(AdminError) -> HTTPResponse {
        guard let recorder else { throw .notRecording }
        return HTTPResponse(
            status: 200, headers: ["Content-Type": "application/yaml;charset=UTF-8"], body: Array(recorder.scenarioFile().utf8))
    }

    struct Cleared: Encodable { var cleared: Int }

    func clear() throws(AdminError) -> HTTPResponse {
        guard let recorder else { throw .notRecording }
        let count = recorder.counts.kept
        recorder.clear()
        return .json(Cleared(cleared: count))
    }
}
