import PosixSupport

/// HTTP/1.1 pipelining: several requests in one write, their answers read in order.
///
/// The stepped clock's chain of round trips is what a stepped run spends its wall time on when
/// the machine is busy; a request and the advances around it go out together instead.
extension HTTPClient {
    /// Sends `first` and, without waiting for its answer, `second` on the same connection
    /// (HTTP/1.1 pipelining); the server answers them in order. One round trip instead of two,
    /// for a caller that sends `second` once `first` is answered whatever the answer. Throws as
    /// ``send(_:)`` when `first` gets no answer; `second`'s failure (a server that closed after
    /// `first`, say) is in its result.
    package func send(
        _ first: HTTPRequest, followedBy second: HTTPRequest
    ) throws -> (first: HTTPResponse, second: Result<HTTPResponse, HTTPClientError>) {
        let (answer, following) = try send(first, followedBy: [second])
        return (answer, following[0])
    }

    /// Sends `first` and every request of `following` in one write on the same connection
    /// (HTTP/1.1 pipelining), and reads their answers in order: one round trip for all of them.
    /// Throws as ``send(_:)`` when `first` gets no answer; each follower's failure is in its
    /// result, and once one fails (the server closed after `first`, say) the rest fail with it.
    package func send(
        _ first: HTTPRequest, followedBy following: [HTTPRequest]
    ) throws -> (first: HTTPResponse, following: [Result<HTTPResponse, HTTPClientError>]) {
        let deadline = MonotonicClock.deadline(after: configuration.timeout)
        return try state.withLock { state throws(HTTPClientError) in
            let answer = try onConnection(deadline: deadline, state: &state) { connection throws(ExchangeFailure) in
                try write([first] + following, on: &connection, deadline: deadline)
                return try receive(forHEAD: first.method == "HEAD", on: &connection, deadline: deadline)
            }
            var results: [Result<HTTPResponse, HTTPClientError>] = []
            results.reserveCapacity(following.count)
            for request in following {
                guard state.connection?.parser.canReuseConnection == true else {
                    drop(&state)
                    results.append(.failure(.connectionClosed))
                    continue
                }
                do throws(ExchangeFailure) {
                    results.append(.success(try receive(
                        forHEAD: request.method == "HEAD", on: &state.connection!, deadline: deadline)))
                } catch {
                    drop(&state)
                    results.append(.failure(error.error))
                }
            }
            if let connection = state.connection, !connection.parser.canReuseConnection { drop(&state) }
            return (answer, results)
        }
    }
}
