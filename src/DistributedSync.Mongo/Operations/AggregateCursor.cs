using DistributedSync.Bson;

namespace DistributedSync.Mongo.Operations;

/// <summary>Builds and runs <c>aggregate</c> commands for collections and databases.</summary>
internal static class AggregateCursor
{
    /// <summary>Runs <c>aggregate</c>; <paramref name="collection"/> null means a database-level pipeline (<c>aggregate: 1</c>).</summary>
    public static async Task<MongoCursor> OpenAsync(
        OperationExecutor executor,
        string database,
        string? collection,
        string fallbackNamespace,
        IEnumerable<BsonDocument> pipeline,
        AggregateOptions? options,
        ReadConcern? defaultReadConcern,
        WriteConcern defaultWriteConcern,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        options ??= new AggregateOptions();
        var stages = new BsonArray();
        foreach (var stage in pipeline)
        {
            stages.Add(stage ?? throw new ArgumentException("A pipeline stage is null.", nameof(pipeline)));
        }

        var writes = stages.Count > 0 && stages[^1] is BsonDocument last && (last.Contains("$out") || last.Contains("$merge"));
        var cursor = new BsonDocument();
        if (options.BatchSize is { } batchSize)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(batchSize, nameof(options));
            cursor.Add("batchSize", batchSize);
        }

        var command = new BsonDocument
        {
            { "aggregate", collection is null ? BsonInt32.Create(1) : new BsonString(collection) },
            { "pipeline", stages },
            { "cursor", cursor },
        };
        command.AddIf("allowDiskUse", options.AllowDiskUse)
            .AddIf("hint", options.Hint)
            .AddIf("let", options.Let)
            .AddIf("bypassDocumentValidation", options.BypassDocumentValidation)
            .AddIf("collation", options.Collation)
            .AddIf("comment", options.Comment)
            .AddMilliseconds("maxTimeMS", options.MaxTime)
            .AddReadConcern(options.ReadConcern ?? defaultReadConcern);
        if (writes)
        {
            command.AddWriteConcern(options.WriteConcern ?? defaultWriteConcern);
        }

        var reply = await executor.RunCommandAsync(database, command, null, cancellationToken).ConfigureAwait(false);
        return new MongoCursor(executor, reply, new CursorOptions(fallbackNamespace, options.BatchSize, 0, null, options.Comment));
    }
}
