using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Stats;

/// <summary>
/// <c>dbStats</c>: counts and sizes of a database, in mongod 7.0's shape and types
/// (<c>collections</c>, <c>views</c>, <c>objects</c>, <c>indexes</c>, <c>scaleFactor</c> as
/// longs, sizes as doubles divided by <c>scale</c>); zeros for a missing database.
/// </summary>
public sealed class DbStatsCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "scale", "freeStorage" };

    /// <inheritdoc />
    public string Name => "dbStats";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["dbstats"];

    /// <inheritdoc />
    public string Help => "Get stats on a database. Not instantaneous. Slower for databases with large .ns files.\nExample: { dbStats : 1 , scale : 1 }";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var scale = ScaleArgument.Parse(context.Command, Name);
        long objects = 0, dataSize = 0, storageSize = 0, indexes = 0, indexSize = 0;
        var collections = context.Storage.ListCollections(context.DatabaseName);
        foreach (var collection in collections)
        {
            var sizes = StorageEstimates.Of(context.Storage, collection);
            objects += sizes.Count;
            dataSize += sizes.DataSize;
            storageSize += sizes.StorageSize;
            indexes += collection.Indexes.Count;
            indexSize += sizes.IndexSize;
        }

        var (fsUsed, fsTotal) = FileSystemSizes(context.Storage.DbPath);
        return ValueTask.FromResult(new BsonDocument
        {
            { "db", context.DatabaseName },
            { "collections", (long)collections.Count },
            { "views", 0L },
            { "objects", objects },
            { "avgObjSize", objects == 0 ? 0.0 : (double)dataSize / objects },
            { "dataSize", (double)dataSize / scale },
            { "storageSize", (double)storageSize / scale },
            { "indexes", indexes },
            { "indexSize", (double)indexSize / scale },
            { "totalSize", (double)(storageSize + indexSize) / scale },
            { "scaleFactor", scale },
            { "fsUsedSize", fsUsed / scale },
            { "fsTotalSize", fsTotal / scale },
        });
    }

    private static (double Used, double Total) FileSystemSizes(string path)
    {
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(path));
            return (drive.TotalSize - drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }
}
