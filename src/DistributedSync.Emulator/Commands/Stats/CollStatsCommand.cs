using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;

namespace DistributedSync.Emulator.Commands.Stats;

/// <summary>
/// <c>collStats</c>: counts and sizes of a collection in mongod 7.0's shape (<c>ns, size, count,
/// avgObjSize, numOrphanDocs, storageSize, freeStorageSize, capped, max, maxSize, nindexes,
/// indexDetails, indexBuilds, totalIndexSize, totalSize, indexSizes, scaleFactor</c>), sizes
/// divided by <c>scale</c>; like mongod 4.2+, a missing collection answers ok with zeros.
/// </summary>
public sealed class CollStatsCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "scale", "verbose", "waitForLock", "numericOnly" };

    /// <inheritdoc />
    public string Name => "collStats";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => ["collstats"];

    /// <inheritdoc />
    public string Help => "{ collStats:\"blog.posts\" , scale : 1 } scale divides sizes e.g. for KB use 1024\n    avgObjSize - in bytes";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var scale = ScaleArgument.Parse(context.Command, Name);
        var reply = new BsonDocument("ns", context.DatabaseName + "." + collection);
        var info = context.Storage.GetCollection(context.DatabaseName, collection);
        if (info is null)
        {
            reply.Add("size", 0).Add("count", 0).Add("numOrphanDocs", 0).Add("storageSize", 0).Add("totalSize", 0)
                .Add("nindexes", 0).Add("totalIndexSize", 0).Add("indexDetails", new BsonDocument())
                .Add("indexSizes", new BsonDocument()).Add("scaleFactor", ScaleArgument.Number(scale));
            return ValueTask.FromResult(reply);
        }

        var (count, dataSize, storageSize, indexSize) = StorageEstimates.Of(context.Storage, info);
        reply.Add("size", ScaleArgument.Number(dataSize / scale));
        reply.Add("count", ScaleArgument.Number(count));
        if (count > 0)
        {
            reply.Add("avgObjSize", ScaleArgument.Number(dataSize / count));
        }

        reply.Add("numOrphanDocs", 0);
        reply.Add("storageSize", ScaleArgument.Number(storageSize / scale));
        reply.Add("freeStorageSize", 0);
        reply.Add("capped", info.Options.Capped);
        if (info.Options.Capped)
        {
            reply.Add("max", ScaleArgument.Number(info.Options.MaxDocuments ?? 0));
            reply.Add("maxSize", ScaleArgument.Number(info.Options.MaxSize / scale));
        }

        var perIndex = StorageEstimates.IndexSize(count);
        var sizes = new BsonDocument();
        foreach (var index in info.Indexes)
        {
            sizes.Add(index.Name, ScaleArgument.Number(perIndex / scale));
        }

        reply.Add("nindexes", info.Indexes.Count);
        reply.Add("indexDetails", new BsonDocument());
        reply.Add("indexBuilds", new BsonArray());
        reply.Add("totalIndexSize", ScaleArgument.Number(indexSize / scale));
        reply.Add("totalSize", ScaleArgument.Number((storageSize + indexSize) / scale));
        reply.Add("indexSizes", sizes);
        reply.Add("scaleFactor", ScaleArgument.Number(scale));
        return ValueTask.FromResult(reply);
    }
}
