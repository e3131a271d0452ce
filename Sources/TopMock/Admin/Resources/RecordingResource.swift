import TopMockHTTP
import TopMockProtocol

/// `/__admin/recording` under `topmock record`: the recording so far as a scenario file (what the
/// command writes at stop), or cleared. 404 (1015) when topmock is not recording.
struct RecordingResource: Sendable {
    let recorder: Recorder?
    let upstream: UpstreamSettings?
    let clock: any WallClock

    func read() throws(AdminError) -> HTTPResponse {
        guard let recorder, let upstream else { throw .notRecording }
        let stamp = TimestampPolicy.format(epochMillis: clock.nowMillis()) + " GMT+8"
        let yaml = RecordingWriter(upstream: upstream.url, recordedAt: stamp, name: "recorded").yaml(recorder.recorded)
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/yaml;charset=UTF-8"], body: Array(yaml.utf8))
    }

    struct Cleared: Encodable { var cleared: Int }

    func clear() throws(AdminError) -> HTTPResponse {
        guard let recorder else { throw .notRecording }
        let count = recorder.counts.kept
        recorder.clear()
        return .json(Cleared(cleared: count))
    }
}
