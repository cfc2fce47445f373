using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Cursors;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>listIndexes</c>: the collection's index specifications as a cursor
/// <c>{cursor: {id, ns: "db.$cmd.listIndexes.coll", firstBatch}}</c> (all in the first batch
/// unless <c>cursor.batchSize</c> asks for fewer); NamespaceNotFound for a missing collection.
/// </summary>
public sealed class ListIndexesCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "cursor", "includeBuildUUIDs", "includeIndexBuildInfo", "collectionUUID" };

    /// <inheritdoc />
    public string Name => "listIndexes";

    /// <inheritdoc />
    public string Help => "list indexes for a collection";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(context.Command, Name, Known);
        var batchSize = ListingCursor.BatchSize(context.Command, Name);
        var info = context.Storage.GetCollection(context.DatabaseName, collection)
            ?? throw new ServerErrorException(ErrorCodes.NamespaceNotFound, $"ns does not exist: {context.DatabaseName}.{collection}");
        var specs = info.Indexes.Select(i => i.Spec).ToList();
        return ValueTask.FromResult(ListingCursor.Reply(context, "$cmd.listIndexes." + collection, specs, batchSize));
    }
}
