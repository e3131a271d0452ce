extension HTTPServer {
    /// How the server binds and protects itself. Every limit has a default fit for a test mock.
    public struct Configuration: Sendable {
        /// IPv4/IPv6 literal or `localhost`. Default `127.0.0.1`: a mock is not for the network.
        public var host: String = "127.0.0.1"
        /// TCP port; 0 picks a free one (read it back from ``HTTPServer/port``).
        public var port: Int = 8080
        /// Polling threads (libmicrohttpd's internal thread pool, poll(2) mode). Default: the core count.
        public var threadCount: Int = HTTPServer.Configuration.coreCount
        /// Most connections open at once; more are refused at accept.
        public var connectionLimit: Int = 4096
        /// Seconds a connection may stay idle before it is closed.
        public var connectionTimeoutSeconds: Int = 30
        /// Bytes libmicrohttpd may use per connection for the request line and headers.
        public var connectionMemoryLimit: Int = 32 * 1024
        /// Largest request body accepted; larger ones get 413 before or while they are read.
        public var maxBodyBytes: Int = 8 * 1024 * 1024
        /// How long ``HTTPServer/stop()`` waits for requests in flight before it closes everything.
        public var drainTimeout: Duration = .milliseconds(800)

        public init() {}

        /// The number of online processors.
        public static var coreCount: Int { HTTPServer.onlineProcessorCount() }
    }
}
