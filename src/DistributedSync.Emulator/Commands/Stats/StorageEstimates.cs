using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Stats;

/// <summary>
/// The on-disk sizes the stats commands report. SQLite does not give per-collection file sizes,
/// so they are deterministic estimates in mongod's units: a collection takes its data rounded
/// up to 4 KiB pages (at least one page, like an empty WiredTiger table), an index one page per
/// 128 entries (at least one). Two nodes with the same data report the same sizes.
/// </summary>
internal static class StorageEstimates
{
    /// <summary>The page size the estimates round to.</summary>
    public const long PageSize = 4096;

    /// <summary>The storage size of a collection holding <paramref name="dataBytes"/> of documents.</summary>
    public static long CollectionSize(long dataBytes) => Math.Max(PageSize, RoundUp(dataBytes));

    /// <summary>The size of one index over <paramref name="entries"/> documents.</summary>
    public static long IndexSize(long entries) => Math.Max(PageSize, RoundUp(entries * 32));

    /// <summary>Data, storage and index sizes of a collection in <paramref name="storage"/>.</summary>
    public static (long Count, long DataSize, long StorageSize, long IndexSize) Of(StorageEngine storage, CollectionInfo collection)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(collection);
        var (count, bytes) = storage.GetCounters(collection.Database, collection.Name);
        return (count, bytes, CollectionSize(bytes), collection.Indexes.Count * IndexSize(count));
    }

    /// <summary>The total on-disk size of a database (collections and indexes).</summary>
    public static long DatabaseSize(StorageEngine storage, string database)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.ListCollections(database).Sum(c =>
        {
            var sizes = Of(storage, c);
            return sizes.StorageSize + sizes.IndexSize;
        });
    }

    private static long RoundUp(long bytes) => (bytes + PageSize - 1) / PageSize * PageSize;
}
