using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Query.Aggregation;
using DistributedSync.Emulator.Query.Filter;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>aggregate</c>: runs <c>pipeline</c> (the query engine's stages) over the collection in
/// natural order and returns the results through the cursor machinery,
/// <c>{cursor: {firstBatch, id, ns}}</c> with <c>cursor.batchSize</c> (101 by default). The
/// <c>cursor</c> option is required; <c>explain</c> and collection-less aggregation
/// (<c>aggregate: 1</c>) are not supported. A missing collection aggregates no documents.
/// </summary>
public sealed class AggregateCommand : ICommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "pipeline", "explain", "allowDiskUse", "cursor", "hint", "needsMerge", "fromMongos", "bypassDocumentValidation",
        "collation", "let", "runtimeConstants", "exchange", "isMapReduceCommand", "collectionUUID", "passthroughToShard",
    };

    /// <inheritdoc />
    public string Name => "aggregate";

    /// <inheritdoc />
    public string Help => "Runs the aggregation command. See http://dochub.mongodb.org/core/aggregation for more details.";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        if (context.CommandValue is { IsNumeric: true })
        {
            throw new ServerErrorException(ErrorCodes.NotImplemented, "The emulator does not support collection-less aggregation ({aggregate: 1}).");
        }

        var collection = CommandArgs.CollectionName(context);
        CommandArgs.RejectUnknown(command, Name, Known);
        var stages = CommandArgs.Array(command, Name, "pipeline") ?? throw CommandArgs.Missing(Name, "pipeline");
        if (CommandArgs.Bool(command, Name, "explain") == true)
        {
            throw new ServerErrorException(ErrorCodes.NotImplemented, "The emulator does not support explain.");
        }

        var cursorOptions = CommandArgs.Document(command, Name, "cursor")
            ?? throw new ServerErrorException(ErrorCodes.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
        var batchSize = CommandArgs.Int64AtLeast(cursorOptions, "aggregate.cursor", "batchSize", 0);
        CommandArgs.Bool(command, Name, "allowDiskUse");
        CommandArgs.RequireSimpleCollation(command, Name);
        var maxTime = CommandArgs.MaxTimeMs(command, Name);
        var pipeline = Pipeline.Compile(stages);
        var ns = context.DatabaseName + "." + collection;
        var deadline = OperationDeadline.After(context.Time, maxTime is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        List<BsonDocument> results;
        using (var read = context.Storage.OpenRead())
        {
            var info = read.GetCollection(context.DatabaseName, collection);
            QuerySupport.CheckHint(command.GetValueOrDefault("hint"), info, Name, () => QuerySupport.CanonicalQueryText(ns, null, null, null));
            var input = info is null
                ? []
                : QuerySupport.Matching(read, info, FilterMatcher.MatchAll, deadline).Select(s => s.Document);
            try
            {
                results = [.. pipeline.Run(input)];
            }
            catch (ServerErrorException ex) when (ex.Code == ErrorCodes.MaxTimeMSExpired)
            {
                throw new ServerErrorException(ex.Code, "Executor error during aggregate command :: caused by :: " + ex.Message);
            }
        }

        var cursor = new BufferedCursor(context.DatabaseName, collection, FindCommand.Owner(context), results);
        var first = batchSize == 0 ? [] : cursor.NextBatch(context.Storage, (int)Math.Min(batchSize ?? FindRequest.DefaultFirstBatchSize, int.MaxValue), deadline).Documents;
        var id = 0L;
        if (cursor.Remaining > 0 || batchSize == 0)
        {
            cursor.TimeBudget = deadline.HasLimit ? deadline.Remaining : null;
            id = CursorManager.For(context.Server).Register(cursor);
        }

        return ValueTask.FromResult(CursorReply.First(first, id, ns));
    }
}
