using DistributedSync.Bson;
using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// A read snapshot: the catalog and the documents as of one commit. Dispose it promptly; while it
/// is open SQLite keeps the WAL from being checkpointed past it.
/// </summary>
public sealed class ReadContext : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly StorageState _state;

    internal ReadContext(SqliteConnection connection, StorageState state)
    {
        _connection = connection;
        _state = state;
    }

    /// <summary>The collection in this snapshot, or null.</summary>
    public CollectionInfo? GetCollection(string database, string collection)
        => _state.Collections.TryGetValue(database + "." + collection, out var s) ? s.Info : null;

    /// <summary>Document count and total BSON size in this snapshot.</summary>
    public (long Count, long Bytes) GetCounters(CollectionInfo collection)
        => _state.Collections.TryGetValue(collection.Namespace, out var s) ? (s.Count, s.Bytes) : (0, 0);

    /// <summary>Documents in natural order after <paramref name="afterRecordId"/>, at most <paramref name="limit"/>.</summary>
    public IEnumerable<StoredDocument> Scan(CollectionInfo collection, long afterRecordId = 0, int? limit = null)
        => DocumentReader.Scan(_connection, collection, afterRecordId, limit);

    /// <summary>The document with this <c>_id</c>, or null.</summary>
    /// <summary>Documents in reverse natural order (newest first), read lazily.</summary>
    public IEnumerable<StoredDocument> ScanReverse(CollectionInfo collection)
        => DocumentReader.ScanReverse(_connection, collection);

    /// <summary>The document whose <c>_id</c> equals <paramref name="id"/>, or null.</summary>
    public StoredDocument? FindById(CollectionInfo collection, BsonValue id)
        => DocumentReader.FindById(_connection, collection, id);

    /// <summary>The smallest record id still stored (0 when empty): a capped cursor whose last position is below it has lost its place.</summary>
    public long MinRecordId(CollectionInfo collection) => DocumentReader.MinRecordId(_connection, collection);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            StorageEngine.Execute(_connection, "COMMIT;");
        }
        catch (SqliteException)
        {
            // The snapshot had no open transaction left; nothing to release.
        }

        _connection.Dispose();
    }
}
