using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>count</c>: <c>{n}</c>, the number of documents matching <c>query</c> after <c>skip</c>, at
/// most <c>limit</c> (a negative limit counts like its absolute value, as mongod does). Without
/// a query, skip or limit it answers from the collection's counter; 0 for a missing collection.
/// </summary>
public sealed class CountCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "query", "limit", "skip", "hint", "collation", "fields", "sampleId",
    };

    /// <inheritdoc />
    public string Name => "count";

    /// <inheritdoc />
    public string Help => "count objects in collection";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, Name, Known);
        var query = CommandArgs.Document(command, Name, "query") ?? [];
        var skip = CommandArgs.Int64AtLeast(command, Name, "skip", 0) ?? 0;
        var limit = CommandArgs.Int64(command, Name, "limit") is { } l ? Math.Abs(l) : 0;
        var maxTime = CommandArgs.MaxTimeMs(command, Name);
        CommandArgs.RequireSimpleCollation(command, Name);
        var filter = FilterMatcher.Compile(query);
        var deadline = OperationDeadline.After(context.Time, maxTime is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        long n;
        using (var read = context.Storage.OpenRead())
        {
            var info = read.GetCollection(context.DatabaseName, collection);
            QuerySupport.CheckHint(command.GetValueOrDefault("hint"), info, Name, () => QuerySupport.CanonicalQueryText(context.DatabaseName + "." + collection, query, null, null));
            if (info is null)
            {
                n = 0;
            }
            else if (filter.IsMatchAll)
            {
                n = read.GetCounters(info).Count;
                n = Math.Max(0, n - skip);
            }
            else
            {
                n = QuerySupport.Matching(read, info, filter, deadline).LongCount();
                n = Math.Max(0, n - skip);
            }
        }

        if (limit > 0)
        {
            n = Math.Min(n, limit);
        }

        return ValueTask.FromResult(new BsonDocument("n", UpdateCommand.Number(n)));
    }
}
