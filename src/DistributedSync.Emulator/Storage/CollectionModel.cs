using System.Collections.Immutable;
using DistributedSync.Bson;

namespace DistributedSync.Emulator.Storage;

/// <summary>Options given to <c>create</c> that the storage enforces.</summary>
/// <param name="Capped">Whether the collection is capped.</param>
/// <param name="MaxSize">Capped size limit in bytes (already rounded as mongod rounds it).</param>
/// <param name="MaxDocuments">Capped document count limit, or null for none.</param>
/// <param name="Raw">The options as given (reported by listCollections).</param>
public sealed record CollectionOptions(bool Capped, long MaxSize, long? MaxDocuments, BsonDocument Raw)
{
    /// <summary>A plain, uncapped collection.</summary>
    public static CollectionOptions Default { get; } = new(false, 0, null, []);

    /// <summary>
    /// Options for a capped collection. Like mongod, a size of 4096 bytes or less becomes 4096,
    /// and a larger size is raised to a multiple of 256.
    /// </summary>
    public static CollectionOptions ForCapped(long size, long? max, BsonDocument raw)
    {
        var rounded = size <= 4096 ? 4096 : (size + 255) / 256 * 256;
        return new CollectionOptions(true, rounded, max is > 0 ? max : null, raw);
    }
}

/// <summary>An index of a collection.</summary>
/// <param name="Name">The index name (e.g. <c>_id_</c>, <c>a_1_b_-1</c>).</param>
/// <param name="Key">The key pattern.</param>
/// <param name="Unique">Whether duplicate keys are rejected.</param>
/// <param name="Sparse">Whether documents lacking every key field are left out.</param>
/// <param name="Spec">The full index specification as listIndexes reports it.</param>
public sealed record IndexDefinition(string Name, BsonDocument Key, bool Unique, bool Sparse, BsonDocument Spec)
{
    /// <summary>The physical table number of a unique index (0 for indexes with no table).</summary>
    internal int TableNumber { get; init; }
}

/// <summary>A collection as the catalog knows it: immutable, replaced on every change.</summary>
public sealed record CollectionInfo(
    string Database,
    string Name,
    long TableId,
    Guid Uuid,
    CollectionOptions Options,
    ImmutableList<IndexDefinition> Indexes)
{
    /// <summary>"database.collection".</summary>
    public string Namespace => Database + "." + Name;

    /// <summary>The SQLite table that holds the documents.</summary>
    internal string DocumentTable => "d_" + TableId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SQLite table of a unique index.</summary>
    internal string IndexTable(IndexDefinition index)
        => FormattableString.Invariant($"x_{TableId}_{index.TableNumber}");
}

/// <summary>A collection's catalog entry plus its live counters.</summary>
/// <param name="Info">The catalog entry.</param>
/// <param name="Count">Number of documents.</param>
/// <param name="Bytes">Sum of the documents' BSON sizes.</param>
internal sealed record CollectionState(CollectionInfo Info, long Count, long Bytes);

/// <summary>A stored document and its record id (the natural, insertion order position).</summary>
/// <param name="RecordId">Strictly increasing per collection, never reused.</param>
/// <param name="Document">The decoded document.</param>
/// <param name="Size">Its BSON size in bytes.</param>
public sealed record StoredDocument(long RecordId, BsonDocument Document, int Size);

/// <summary>Storage settings.</summary>
public sealed record StorageOptions
{
    /// <summary>
    /// When true every commit is fsynced (survives power loss); when false (the default) a commit
    /// is written to the WAL before it is acknowledged, which survives a crash or kill -9 of the
    /// process but not the loss of the machine's power. A write with <c>j: true</c> is always
    /// fsynced.
    /// </summary>
    public bool SyncEveryCommit { get; init; }

    /// <summary>The most write requests grouped into one SQLite transaction.</summary>
    public int MaxGroupCommit { get; init; } = 256;
}
