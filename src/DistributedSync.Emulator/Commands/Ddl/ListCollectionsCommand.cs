using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>listCollections</c>: the database's collections as a cursor on
/// <c>db.$cmd.listCollections</c>, each <c>{name, type: "collection", options, info: {readOnly:
/// false, uuid}, idIndex}</c> (<c>{name, type}</c> with <c>nameOnly</c>), ordered by name,
/// filtered by <c>filter</c> (any query on those fields).
/// </summary>
public sealed class ListCollectionsCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "filter", "nameOnly", "authorizedCollections", "cursor", "includePendingDrops" };

    /// <inheritdoc />
    public string Name => "listCollections";

    /// <inheritdoc />
    public string Help => "list collections for this db";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        CommandArgs.RejectUnknown(command, Name, Known);
        var filter = FilterMatcher.Compile(CommandArgs.Document(command, Name, "filter") ?? []);
        var nameOnly = CommandArgs.Bool(command, Name, "nameOnly") ?? false;
        CommandArgs.Bool(command, Name, "authorizedCollections");
        var batchSize = ListingCursor.BatchSize(command, Name);
        var entries = new List<BsonDocument>();
        foreach (var info in context.Storage.ListCollections(context.DatabaseName))
        {
            var entry = Describe(info);
            if (filter.IsMatchAll || filter.Matches(entry))
            {
                entries.Add(nameOnly ? new BsonDocument { { "name", info.Name }, { "type", "collection" } } : entry);
            }
        }

        return ValueTask.FromResult(ListingCursor.Reply(context, "$cmd.listCollections", entries, batchSize));
    }

    /// <summary>The listCollections entry of a collection.</summary>
    internal static BsonDocument Describe(CollectionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var entry = new BsonDocument
        {
            { "name", info.Name },
            { "type", "collection" },
            { "options", info.Options.Raw.DeepClone() },
            { "info", new BsonDocument { { "readOnly", false }, { "uuid", BsonBinaryData.FromGuid(info.Uuid) } } },
        };
        if (info.Indexes.Find(i => i.Name == "_id_") is { } idIndex)
        {
            entry.Add("idIndex", idIndex.Spec.DeepClone());
        }

        return entry;
    }
}
