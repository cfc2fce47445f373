using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>getMore</c>: the next batch of a cursor, <c>{cursor: {nextBatch, id, ns}}</c>, with id 0
/// once it is exhausted. <c>batchSize</c> 0 or absent means as many as fit in 16 MiB. On a
/// tailable <c>awaitData</c> cursor at the end of the data it waits, up to <c>maxTimeMS</c>
/// (1 second by default), for a commit to bring new documents, and returns as soon as any
/// arrive; <c>maxTimeMS</c> on any other cursor is mongod's BadValue. A failing getMore
/// (e.g. CappedPositionLost) closes the cursor.
/// </summary>
public sealed class GetMoreCommand : ICommandHandler
{
    /// <summary>How long an awaitData getMore waits when it gives no <c>maxTimeMS</c>.</summary>
    public static readonly TimeSpan DefaultAwaitDataTimeout = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "collection", "batchSize", "term", "lastKnownCommittedOpTime", "includeQueryStatsMetrics",
    };

    /// <inheritdoc />
    public string Name => "getMore";

    /// <inheritdoc />
    public string Help => "retrieve more results from an existing cursor";

    /// <inheritdoc />
    public async ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        if (context.CommandValue is not BsonInt64 idValue)
        {
            throw CommandArgs.WrongType(Name, Name, context.CommandValue, "type 'long'");
        }

        var collection = CommandArgs.String(command, Name, "collection") ?? throw CommandArgs.Missing(Name, "collection");
        if (collection.Length == 0)
        {
            throw new ServerErrorException(ErrorCodes.InvalidNamespace, "Collection names cannot be empty");
        }

        CommandArgs.RejectUnknown(command, Name, Known);
        var batchSize = CommandArgs.Int64AtLeast(command, Name, "batchSize", 0);
        var maxTimeMs = CommandArgs.MaxTimeMs(command, Name);
        var ns = context.DatabaseName + "." + collection;
        var manager = CursorManager.For(context.Server);
        var cursor = manager.Acquire(idValue.Value, ns, FindCommand.Owner(context));
        var close = true;
        try
        {
            if (maxTimeMs is not null && !cursor.AwaitData)
            {
                close = false;
                throw new ServerErrorException(ErrorCodes.BadValue, "cannot set maxTimeMS on getMore command for a non-awaitData cursor");
            }

            var size = batchSize is null or 0 ? (int?)null : (int)Math.Min(batchSize.Value, int.MaxValue);
            var batch = cursor.AwaitData
                ? await AwaitBatchAsync(context, cursor, size, maxTimeMs, cancellationToken).ConfigureAwait(false)
                : RunBatch(context, cursor, size);
            close = batch.Exhausted;
            return CursorReply.Next(batch.Documents, close ? 0 : cursor.Id, ns);
        }
        finally
        {
            manager.Release(cursor, close);
        }
    }

    private static CursorBatch RunBatch(CommandContext context, ServerCursor cursor, int? size)
    {
        var deadline = OperationDeadline.After(context.Time, cursor.TimeBudget);
        var batch = Execute(() => cursor.NextBatch(context.Storage, size, deadline));
        if (deadline.HasLimit)
        {
            cursor.TimeBudget = deadline.Remaining;
        }

        return batch;
    }

    private static async Task<CursorBatch> AwaitBatchAsync(CommandContext context, ServerCursor cursor, int? size, int? maxTimeMs, CancellationToken cancellationToken)
    {
        var deadline = OperationDeadline.After(context.Time, maxTimeMs is { } ms ? TimeSpan.FromMilliseconds(ms) : DefaultAwaitDataTimeout);
        while (true)
        {
            // Take the commit signal before reading, so a commit that lands in between still wakes us.
            var commit = context.Storage.NextCommit;
            var batch = Execute(() => cursor.NextBatch(context.Storage, size, OperationDeadline.None));
            if (batch.Documents.Count > 0 || batch.Exhausted || deadline.IsExpired)
            {
                return batch;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cursor.KilledToken);
            var timeout = Task.Delay(deadline.Remaining, context.Time, wake.Token);
            await Task.WhenAny(commit, timeout).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (cursor.IsKilled)
            {
                throw new ServerErrorException(ErrorCodes.CursorKilled, "cursor killed");
            }
        }
    }

    private static CursorBatch Execute(Func<CursorBatch> next)
    {
        try
        {
            return next();
        }
        catch (ServerErrorException ex)
        {
            throw new ServerErrorException(ex.Code, "Executor error during getMore :: caused by :: " + ex.Message, ex.Extra);
        }
    }
}
