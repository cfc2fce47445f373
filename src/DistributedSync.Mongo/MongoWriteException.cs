namespace DistributedSync.Mongo;

/// <summary>
/// A single-statement write (InsertOne, UpdateOne/Many, ReplaceOne, DeleteOne/Many) failed:
/// either the statement was refused (<see cref="WriteError"/>, e.g. a duplicate key) or it took
/// effect but the write concern was not satisfied (<see cref="WriteConcernError"/>), or both.
/// </summary>
public sealed class MongoWriteException : MongoException
{
    /// <summary>Creates the exception; at least one of the two errors must be given.</summary>
    public MongoWriteException(string @namespace, WriteError? writeError, WriteConcernError? writeConcernError, IEnumerable<string>? errorLabels = null)
        : base(FormatMessage(@namespace, writeError, writeConcernError), null, errorLabels)
    {
        if (writeError is null && writeConcernError is null)
        {
            throw new ArgumentException("A write exception needs a write error or a write concern error.", nameof(writeError));
        }

        Namespace = @namespace;
        WriteError = writeError;
        WriteConcernError = writeConcernError;
    }

    /// <summary>The <c>database.collection</c> written to.</summary>
    public string Namespace { get; }

    /// <summary>The refused statement, or null when only the write concern failed.</summary>
    public WriteError? WriteError { get; }

    /// <summary>The write concern error, or null.</summary>
    public WriteConcernError? WriteConcernError { get; }

    private static string FormatMessage(string ns, WriteError? writeError, WriteConcernError? writeConcernError)
    {
        var parts = new List<string>(2);
        if (writeError is not null)
        {
            parts.Add($"write error code {writeError.Code}{(writeError.CodeName.Length > 0 ? $" ({writeError.CodeName})" : string.Empty)}: {writeError.Message}");
        }

        if (writeConcernError is not null)
        {
            parts.Add(writeConcernError.ToString());
        }

        return $"A write to {ns} failed: {string.Join("; ", parts)}";
    }
}
