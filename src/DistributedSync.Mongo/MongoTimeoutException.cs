namespace DistributedSync.Mongo;

/// <summary>Which time limit a <see cref="MongoTimeoutException"/> reports.</summary>
public enum MongoTimeoutKind
{
    /// <summary>No usable server within <c>serverSelectionTimeoutMS</c>.</summary>
    ServerSelection,

    /// <summary>No pooled connection became free within <c>waitQueueTimeoutMS</c>.</summary>
    WaitQueue,

    /// <summary>Opening the TCP/TLS connection took longer than <c>connectTimeoutMS</c>.</summary>
    Connect,

    /// <summary>A read or write on an open connection took longer than <c>socketTimeoutMS</c>.</summary>
    Socket,
}

/// <summary>
/// A client-side time limit expired. For <see cref="MongoTimeoutKind.Socket"/> and
/// <see cref="MongoTimeoutKind.Connect"/> the connection involved has been closed and whether
/// the operation took effect on the server is unknown.
/// </summary>
public sealed class MongoTimeoutException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoTimeoutException(MongoTimeoutKind kind, string endpoint, TimeSpan limit, string message, Exception? innerException = null)
        : base(message, innerException, kind is MongoTimeoutKind.Socket or MongoTimeoutKind.Connect ? [MongoConnectionException.NetworkErrorLabel] : null)
    {
        Kind = kind;
        Endpoint = endpoint;
        Limit = limit;
    }

    /// <summary>Which limit expired.</summary>
    public MongoTimeoutKind Kind { get; }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The limit that expired.</summary>
    public TimeSpan Limit { get; }
}
