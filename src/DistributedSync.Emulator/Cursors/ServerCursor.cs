using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Cursors;

/// <summary>One batch taken from a cursor, and whether the cursor has no more to give.</summary>
/// <param name="Documents">The documents of the batch, in order.</param>
/// <param name="Exhausted">True when the cursor is at its end and can be closed (never for tailable cursors).</param>
internal sealed record CursorBatch(List<BsonDocument> Documents, bool Exhausted);

/// <summary>Who opened a cursor: the logical session and the authenticated user mongod checks on getMore.</summary>
/// <param name="SessionId">The <c>lsid.id</c> of the opening command, or null outside a session.</param>
/// <param name="User">The authenticated user ("name@db"), or null.</param>
internal sealed record CursorOwner(BsonValue? SessionId, string? User);

/// <summary>
/// A server-side cursor: where its results come from (<see cref="NextBatch"/>) and what mongod
/// keeps about it (namespace, owner, tailable/awaitData, idle time, time budget). A cursor is
/// used by one operation at a time (it is "pinned" by <see cref="CursorManager"/>).
/// </summary>
internal abstract class ServerCursor
{
    private readonly CancellationTokenSource _killed = new();

    /// <summary>Creates the cursor state.</summary>
    protected ServerCursor(string database, string collection, CursorOwner owner)
    {
        Database = database;
        Collection = collection;
        Owner = owner;
    }

    /// <summary>The cursor id (0 until registered).</summary>
    public long Id { get; internal set; }

    /// <summary>The database of the cursor's namespace.</summary>
    public string Database { get; }

    /// <summary>The collection part of the namespace (e.g. "items" or "$cmd.listCollections").</summary>
    public string Collection { get; }

    /// <summary>"database.collection", as getMore and the replies name it.</summary>
    public string Namespace => Database + "." + Collection;

    /// <summary>Who opened the cursor.</summary>
    public CursorOwner Owner { get; }

    /// <summary>Whether the cursor stays open at the end of the data (capped collections).</summary>
    public bool Tailable { get; init; }

    /// <summary>Whether a getMore at the end of the data waits for new documents.</summary>
    public bool AwaitData { get; init; }

    /// <summary>Whether the idle timeout is disabled (<c>noCursorTimeout</c>).</summary>
    public bool NoCursorTimeout { get; init; }

    /// <summary>
    /// What is left of the opening command's <c>maxTimeMS</c> for the getMores of a
    /// non-awaitData cursor (mongod's cumulative time limit), or null for none.
    /// </summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>Cancelled when the cursor is killed (wakes a waiting awaitData getMore).</summary>
    public CancellationToken KilledToken => _killed.Token;

    /// <summary>True once the cursor has been killed or timed out.</summary>
    public bool IsKilled => _killed.IsCancellationRequested;

    /// <summary>The timestamp of the last use, on the manager's clock.</summary>
    internal long LastUsed { get; set; }

    /// <summary>1 while an operation uses the cursor.</summary>
    internal int Pinned;

    /// <summary>
    /// Produces the next batch: at most <paramref name="batchSize"/> documents (null: no count
    /// limit), at most 16 MiB. Throws mongod's errors (e.g. CappedPositionLost, MaxTimeMSExpired).
    /// </summary>
    public abstract CursorBatch NextBatch(StorageEngine storage, int? batchSize, OperationDeadline deadline);

    /// <summary>Marks the cursor killed and releases what it holds.</summary>
    internal void Kill()
    {
        try
        {
            _killed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already killed and disposed.
        }
    }
}
