namespace DistributedSync.Mongo;

/// <summary>
/// A multi-document write (InsertMany) had refused statements or write concern errors. Each
/// <see cref="WriteError.Index"/> is the position in the caller's list. In an ordered write,
/// nothing after the first refused document was attempted; in an unordered write everything
/// was attempted. <see cref="InsertedCount"/> tells how many documents the server did insert.
/// </summary>
public sealed class MongoBulkWriteException : MongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoBulkWriteException(
        string @namespace,
        IReadOnlyList<WriteError> writeErrors,
        IReadOnlyList<WriteConcernError> writeConcernErrors,
        long insertedCount,
        int unprocessedCount,
        IEnumerable<string>? errorLabels = null)
        : base(FormatMessage(@namespace, writeErrors, writeConcernErrors), null, errorLabels)
    {
        Namespace = @namespace;
        WriteErrors = writeErrors;
        WriteConcernErrors = writeConcernErrors;
        InsertedCount = insertedCount;
        UnprocessedCount = unprocessedCount;
    }

    /// <summary>The <c>database.collection</c> written to.</summary>
    public string Namespace { get; }

    /// <summary>The refused statements, in index order.</summary>
    public IReadOnlyList<WriteError> WriteErrors { get; }

    /// <summary>The write concern errors, one per batch that had one.</summary>
    public IReadOnlyList<WriteConcernError> WriteConcernErrors { get; }

    /// <summary>How many documents the server reported inserted.</summary>
    public long InsertedCount { get; }

    /// <summary>How many documents were never sent (an ordered write stops at the first error).</summary>
    public int UnprocessedCount { get; }

    private static string FormatMessage(string ns, IReadOnlyList<WriteError> writeErrors, IReadOnlyList<WriteConcernError> writeConcernErrors)
    {
        var first = writeErrors.Count > 0 ? $" first: {writeErrors[0]}." : string.Empty;
        var wce = writeConcernErrors.Count > 0 ? $" {writeConcernErrors[0]}." : string.Empty;
        return $"A bulk write to {ns} had {writeErrors.Count} write error(s) and {writeConcernErrors.Count} write concern error(s).{first}{wce}";
    }
}
