namespace DistributedSync.Daemon.Engine;

/// <summary>A failure of the replication engine that the HTTP client should see (<see cref="Kind"/> decides the status code).</summary>
public sealed class SyncEngineException : Exception
{
    /// <summary>Creates an exception of kind <see cref="SyncErrorKind.BadValue"/>.</summary>
    public SyncEngineException()
        : this(SyncErrorKind.BadValue, "The replication engine refused the request.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="SyncErrorKind.BadValue"/>.</summary>
    public SyncEngineException(string message)
        : this(SyncErrorKind.BadValue, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="SyncErrorKind.BadValue"/> with a cause.</summary>
    public SyncEngineException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = SyncErrorKind.BadValue;
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">For the client; must not contain secrets.</param>
    /// <param name="retryAfter">When retrying may succeed (sent as <c>Retry-After</c> with 503 responses).</param>
    /// <param name="position">For <see cref="SyncErrorKind.WriteConcernFailed"/>: where the applied writes are in the oplog.</param>
    /// <param name="innerException">The cause, or null.</param>
    /// <param name="appliedOperations">For a refused operation of a multi-operation request: how many operations before it were applied (see <see cref="AppliedOperations"/>).</param>
    public SyncEngineException(SyncErrorKind kind, string message, TimeSpan? retryAfter = null, OplogPosition? position = null, Exception? innerException = null, int? appliedOperations = null)
        : base(message, innerException)
    {
        Kind = kind;
        RetryAfter = retryAfter;
        Position = position;
        AppliedOperations = appliedOperations;
    }

    /// <summary>What went wrong.</summary>
    public SyncErrorKind Kind { get; }

    /// <summary>When retrying may succeed, or null for the API's default (1 s).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The oplog position of writes that were applied although the request failed, or null.</summary>
    public OplogPosition? Position { get; }

    /// <summary>
    /// When an operation of a request was refused (duplicate key, bad update): the number of
    /// operations before it, which are applied (ordered semantics, like MongoDB's ordered
    /// insertMany); the refused one and those after it are not. Null for other failures.
    /// </summary>
    public int? AppliedOperations { get; }
}

/// <summary>The classes of <see cref="SyncEngineException"/>, each with its HTTP status code.</summary>
public enum SyncErrorKind
{
    /// <summary>The engine cannot do what was asked with these values (400).</summary>
    BadValue,

    /// <summary>No master is elected: writes and primary reads must wait (503, <c>Retry-After</c>).</summary>
    NoMaster,

    /// <summary>The write was applied on the master but not acknowledged by enough nodes in time (503, <c>Retry-After</c>).</summary>
    WriteConcernFailed,

    /// <summary>No live node matches the read preference and staleness bound (503, <c>Retry-After</c>).</summary>
    NoEligibleNode,

    /// <summary>A document with the same <c>_id</c> exists (409).</summary>
    DuplicateKey,
}
