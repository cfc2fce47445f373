using DistributedSync.Bson;
using DistributedSync.Emulator.Cursors;
using DistributedSync.Emulator.Query.Filter;
using DistributedSync.Emulator.Query.Projection;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Commands.Crud;

/// <summary>
/// <c>find</c>: returns <c>{cursor: {firstBatch, id, ns}}</c>. Unsorted queries stream in natural
/// order through a <see cref="ScanCursor"/> that resumes after the last record it examined;
/// sorted queries (and exact <c>_id</c> lookups) are computed up front. The first batch holds
/// <c>batchSize</c> documents (101 by default), at most 16 MiB; the cursor id is 0 when nothing
/// is left (or with <c>singleBatch</c>). Tailable cursors need a capped collection and stay open
/// at the end of the data; like mongod, a tailable find on an empty (or missing) collection
/// returns a dead cursor.
/// </summary>
public sealed class FindCommand : ICommandHandler
{
    /// <inheritdoc />
    public string Name => "find";

    /// <inheritdoc />
    public string Help => "query for documents";

    /// <inheritdoc />
    public ValueTask<BsonDocument> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = FindRequest.Parse(context);
        var ns = context.DatabaseName + "." + request.Collection;
        var filter = FilterMatcher.Compile(request.Filter);
        var projection = request.Projection is { Count: > 0 } p ? ProjectionSpec.Compile(p) : null;
        var sort = SortPlan.Parse(request.Sort);
        var owner = Owner(context);
        var limit = OperationDeadline.After(context.Time, request.MaxTimeMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);

        ServerCursor cursor;
        using (var read = context.Storage.OpenRead())
        {
            var info = read.GetCollection(context.DatabaseName, request.Collection);
            QuerySupport.CheckHint(request.Hint, info, Name, () => QuerySupport.CanonicalQueryText(ns, request.Filter, request.Sort, request.Projection));
            if (info is null)
            {
                return ValueTask.FromResult(CursorReply.First([], 0, ns));
            }

            if (request.Tailable)
            {
                if (!info.Options.Capped)
                {
                    throw new ServerErrorException(ErrorCodes.BadValue,
                        "error processing query: " + QuerySupport.CanonicalQueryText(ns, request.Filter, request.Sort, request.Projection) + " tailable cursor requested on non capped collection");
                }

                if (read.GetCounters(info).Count == 0)
                {
                    return ValueTask.FromResult(CursorReply.First([], 0, ns));
                }
            }

            cursor = sort.IsNatural && (filter.ExactId is null || request.Tailable)
                ? new ScanCursor(info, owner, filter, projection, request.Skip, request.Limit)
                {
                    Tailable = request.Tailable,
                    AwaitData = request.AwaitData,
                    NoCursorTimeout = request.NoCursorTimeout,
                }
                : Materialize(read, info, request, filter, projection, sort, owner, limit);
        }

        var (batch, exhausted) = FirstBatch(context.Storage, cursor, request, limit);
        var id = 0L;
        if (!exhausted && !request.SingleBatch)
        {
            cursor.TimeBudget = limit.HasLimit && !cursor.AwaitData ? limit.Remaining : null;
            id = CursorManager.For(context.Server).Register(cursor);
        }

        return ValueTask.FromResult(CursorReply.First(batch, id, ns));
    }

    /// <summary>The owner of a cursor opened by <paramref name="context"/> (session and user).</summary>
    internal static CursorOwner Owner(CommandContext context)
        => new(context.SessionId?.GetValueOrDefault("id"), context.Connection.User?.ToString());

    /// <summary>Runs the first batch of a new cursor, turning execution errors into mongod's find errors.</summary>
    internal static (List<BsonDocument> Batch, bool Exhausted) FirstBatch(StorageEngine storage, ServerCursor cursor, FindRequest request, OperationDeadline deadline)
    {
        if (request.BatchSize == 0)
        {
            return ([], false);
        }

        var size = (int)Math.Min(request.BatchSize ?? FindRequest.DefaultFirstBatchSize, int.MaxValue);
        try
        {
            var batch = cursor.NextBatch(storage, size, deadline);
            return (batch.Documents, batch.Exhausted);
        }
        catch (ServerErrorException ex)
        {
            throw new ServerErrorException(ex.Code, "Executor error during find command :: caused by :: " + ex.Message, ex.Extra);
        }
    }

    private static BufferedCursor Materialize(
        ReadContext read, CollectionInfo info, FindRequest request, FilterMatcher filter, ProjectionSpec? projection, SortPlan sort, CursorOwner owner, OperationDeadline deadline)
    {
        List<BsonDocument> ordered;
        try
        {
            var matching = QuerySupport.Matching(read, info, filter, deadline, reverse: sort.Reverse).Select(s => s.Document);
            ordered = sort.Order(matching, request.Skip, request.Limit);
        }
        catch (ServerErrorException ex)
        {
            throw new ServerErrorException(ex.Code, "Executor error during find command :: caused by :: " + ex.Message, ex.Extra);
        }

        if (projection is { IsIdentity: false })
        {
            ordered = ordered.ConvertAll(projection.Apply);
        }

        return new BufferedCursor(info.Database, info.Name, owner, ordered) { NoCursorTimeout = request.NoCursorTimeout };
    }
}
