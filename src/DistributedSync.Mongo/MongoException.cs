namespace DistributedSync.Mongo;

/// <summary>
/// The base of every error this client raises on purpose. Catch a subclass to tell a server's
/// refusal (<see cref="MongoCommandException"/>, <see cref="MongoWriteException"/>,
/// <see cref="MongoBulkWriteException"/>) from a transport failure
/// (<see cref="MongoConnectionException"/>), a time limit (<see cref="MongoTimeoutException"/>)
/// or a misuse found before anything was sent (<see cref="MongoClientException"/>).
/// Cancellation through a <see cref="CancellationToken"/> is reported as
/// <see cref="OperationCanceledException"/>, never as a <see cref="MongoException"/>.
/// Messages never contain credentials.
/// </summary>
public abstract class MongoException : Exception
{
    private readonly string[] _errorLabels;

    /// <summary>Creates the exception.</summary>
    protected MongoException(string message, Exception? innerException = null, IEnumerable<string>? errorLabels = null)
        : base(message, innerException)
        => _errorLabels = errorLabels?.Distinct(StringComparer.Ordinal).ToArray() ?? [];

    /// <summary>
    /// The server's error labels (such as <c>RetryableWriteError</c> or
    /// <c>TransientTransactionError</c>), plus any the client adds (<c>NetworkError</c>).
    /// </summary>
    public IReadOnlyList<string> ErrorLabels => _errorLabels;

    /// <summary>True when <see cref="ErrorLabels"/> contains <paramref name="label"/>.</summary>
    public bool HasErrorLabel(string label) => Array.IndexOf(_errorLabels, label) >= 0;
}
