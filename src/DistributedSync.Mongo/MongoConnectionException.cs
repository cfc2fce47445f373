namespace DistributedSync.Mongo;

/// <summary>
/// The connection to a server failed: it could not be opened, it broke during an operation
/// (the peer closed it, an I/O error) or the server sent bytes that are not a valid reply.
/// The connection involved has been closed and will not be reused. Whether the operation took
/// effect on the server is unknown when the failure happened after the request was sent.
/// </summary>
public sealed class MongoConnectionException : MongoException
{
    /// <summary>The label added to every network error, as drivers do.</summary>
    public const string NetworkErrorLabel = "NetworkError";

    /// <summary>Creates the exception.</summary>
    public MongoConnectionException(string endpoint, string message, Exception? innerException = null)
        : base(message, innerException, [NetworkErrorLabel]) => Endpoint = endpoint;

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>True when the failure was a malformed reply rather than an I/O error.</summary>
    public bool IsProtocolError { get; init; }

    /// <summary>True when the failure happened before the handshake completed.</summary>
    public bool DuringHandshake { get; init; }
}
