using DistributedSync.Bson;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

public sealed partial class MongoCollection
{
    /// <summary>Runs <c>find</c> and returns a cursor over the matching documents.</summary>
    /// <exception cref="MongoCommandException">The server refused the query.</exception>
    public Task<MongoCursor> FindAsync(BsonDocument filter, FindOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        options ??= new FindOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip ?? 0, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Limit ?? 0, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.BatchSize ?? 0, nameof(options));

        var command = new BsonDocument { { "find", Name }, { "filter", filter } }
            .AddIf("sort", options.Sort)
            .AddIf("projection", options.Projection)
            .AddIf("hint", options.Hint);
        if (options.Skip is > 0)
        {
            command.Add("skip", options.Skip.Value);
        }

        if (options.Limit is > 0)
        {
            command.Add("limit", options.Limit.Value);
        }

        if (options.BatchSize is { } batchSize)
        {
            command.Add("batchSize", batchSize);
        }

        if (options.SingleBatch)
        {
            command.Add("singleBatch", true);
        }

        command.AddIf("comment", options.Comment).AddMilliseconds("maxTimeMS", options.MaxTime);
        command.AddReadConcern(options.ReadConcern ?? ReadConcern);
        if (options.CursorType != CursorType.NonTailable)
        {
            command.Add("tailable", true);
        }

        if (options.CursorType == CursorType.TailableAwait)
        {
            command.Add("awaitData", true);
        }

        if (options.NoCursorTimeout)
        {
            command.Add("noCursorTimeout", true);
        }

        command.AddIf("allowDiskUse", options.AllowDiskUse).AddIf("collation", options.Collation).AddIf("let", options.Let);
        var cursorOptions = new CursorOptions(
            FullName,
            options.BatchSize,
            options.Limit ?? 0,
            options.CursorType == CursorType.TailableAwait ? options.MaxAwaitTime : null,
            options.Comment);
        return OpenCursorAsync(command, cursorOptions, cancellationToken);
    }

    /// <summary>The first document matching <paramref name="filter"/> (in <see cref="FindOptions.Sort"/> order), or null.</summary>
    public async Task<BsonDocument?> FindOneAsync(BsonDocument filter, FindOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new FindOptions()) with { Limit = 1, SingleBatch = true, CursorType = CursorType.NonTailable };
        var cursor = await FindAsync(filter, options, cancellationToken).ConfigureAwait(false);
        return await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs an aggregation pipeline and returns a cursor over its output.</summary>
    public Task<MongoCursor> AggregateAsync(IEnumerable<BsonDocument> pipeline, AggregateOptions? options = null, CancellationToken cancellationToken = default)
        => AggregateCursor.OpenAsync(Executor, Database.Name, Name, FullName, pipeline, options, ReadConcern, WriteConcern, cancellationToken);

    /// <summary>
    /// Counts the documents matching <paramref name="filter"/> exactly, with an aggregation
    /// (<c>$match</c>, <c>$skip</c>, <c>$limit</c>, <c>$group</c>), as drivers do.
    /// </summary>
    public async Task<long> CountDocumentsAsync(BsonDocument filter, CountOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var pipeline = new List<BsonDocument> { new("$match", filter) };
        if (options?.Skip is > 0)
        {
            pipeline.Add(new BsonDocument("$skip", options.Skip.Value));
        }

        if (options?.Limit is > 0)
        {
            pipeline.Add(new BsonDocument("$limit", options.Limit.Value));
        }

        pipeline.Add(new BsonDocument("$group", new BsonDocument { { "_id", 1 }, { "n", new BsonDocument("$sum", 1) } }));
        var aggregateOptions = new AggregateOptions
        {
            Hint = options?.Hint,
            MaxTime = options?.MaxTime,
            Collation = options?.Collation,
            Comment = options?.Comment,
            ReadConcern = options?.ReadConcern,
        };
        var cursor = await AggregateAsync(pipeline, aggregateOptions, cancellationToken).ConfigureAwait(false);
        var result = await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return result?.GetValueOrDefault("n") is { IsNumeric: true } n ? n.ToInt64() : 0;
    }

    /// <summary>The collection's document count from its metadata (the <c>count</c> command without a filter): fast, possibly inexact.</summary>
    public async Task<long> EstimatedDocumentCountAsync(DistinctOptions? options = null, CancellationToken cancellationToken = default)
    {
        var command = new BsonDocument("count", Name)
            .AddMilliseconds("maxTimeMS", options?.MaxTime)
            .AddReadConcern(options?.ReadConcern ?? ReadConcern)
            .AddIf("comment", options?.Comment);
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        return reply.GetValueOrDefault("n") is { IsNumeric: true } n ? n.ToInt64() : 0;
    }

    /// <summary>The distinct values of <paramref name="field"/> among the documents matching <paramref name="filter"/>.</summary>
    public async Task<IReadOnlyList<BsonValue>> DistinctAsync(string field, BsonDocument? filter = null, DistinctOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        var command = new BsonDocument { { "distinct", Name }, { "key", field } }
            .AddIf("query", filter)
            .AddMilliseconds("maxTimeMS", options?.MaxTime)
            .AddReadConcern(options?.ReadConcern ?? ReadConcern)
            .AddIf("collation", options?.Collation)
            .AddIf("comment", options?.Comment);
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        return reply.GetValueOrDefault("values") is BsonArray values ? [.. values] : [];
    }
}
