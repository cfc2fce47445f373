using DistributedSync.Bson;
using DistributedSync.Emulator.Commands.Crud;
using DistributedSync.Emulator.Commands.Stats;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Commands.Ddl;

/// <summary>
/// <c>listDatabases</c> (admin only): <c>{databases: [{name, sizeOnDisk, empty}], totalSize,
/// totalSizeMb}</c> for the databases that hold collections (sizes from
/// <see cref="StorageEstimates"/>), <c>{databases: [{name}]}</c> with <c>nameOnly</c>, filtered by
/// <c>filter</c> on those fields.
/// </summary>
public sealed class ListDatabasesCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "filter", "nameOnly", "authorizedDatabases" };

    /// <inheritdoc />
    public string Name => "listDatabases";

    /// <inheritdoc />
    public bool AdminOnly => true;

    /// <inheritdoc />
    public string Help => "{ listDatabases:1, [filter: <filterObject>] [, nameOnly: true ] }\nlist databases on this server";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        CommandArgs.RejectUnknown(command, Name, Known);
        var filter = FilterMatcher.Compile(CommandArgs.Document(command, Name, "filter") ?? []);
        var nameOnly = CommandArgs.Bool(command, Name, "nameOnly") ?? false;
        CommandArgs.Bool(command, Name, "authorizedDatabases");
        var databases = new BsonArray();
        long total = 0;
        foreach (var name in context.Storage.ListDatabases())
        {
            var size = StorageEstimates.DatabaseSize(context.Storage, name);
            var entry = new BsonDocument { { "name", name }, { "sizeOnDisk", size }, { "empty", false } };
            if (!filter.IsMatchAll && !filter.Matches(entry))
            {
                continue;
            }

            total += size;
            databases.Add(nameOnly ? new BsonDocument("name", name) : entry);
        }

        var reply = new BsonDocument("databases", databases);
        if (!nameOnly)
        {
            reply.Add("totalSize", total);
            reply.Add("totalSizeMb", total / (1024 * 1024));
        }

        return ValueTask.FromResult(reply);
    }
}
