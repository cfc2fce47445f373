using DistributedSync.Bson;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

public sealed partial class MongoCollection
{
    /// <summary>Atomically updates one document with update operators and returns it (before the update by default), or null when none matched and no upsert happened.</summary>
    /// <exception cref="MongoCommandException">The server refused the command (e.g. duplicate key on upsert).</exception>
    /// <exception cref="MongoWriteConcernException">The update happened but the write concern failed.</exception>
    public Task<BsonDocument?> FindOneAndUpdateAsync(BsonDocument filter, BsonDocument update, FindOneAndUpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidateUpdateDocument(update, nameof(update));
        return FindOneAndUpdateCoreAsync(filter, update, options, cancellationToken);
    }

    /// <summary>Atomically updates one document with an aggregation pipeline and returns it.</summary>
    /// <exception cref="MongoCommandException">The server refused the command.</exception>
    /// <exception cref="MongoWriteConcernException">The update happened but the write concern failed.</exception>
    public Task<BsonDocument?> FindOneAndUpdateAsync(BsonDocument filter, BsonArray pipeline, FindOneAndUpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidatePipeline(pipeline, nameof(pipeline));
        return FindOneAndUpdateCoreAsync(filter, pipeline, options, cancellationToken);
    }

    /// <summary>Atomically replaces one document and returns it (before the replacement by default).</summary>
    /// <exception cref="MongoCommandException">The server refused the command.</exception>
    /// <exception cref="MongoWriteConcernException">The replacement happened but the write concern failed.</exception>
    public Task<BsonDocument?> FindOneAndReplaceAsync(BsonDocument filter, BsonDocument replacement, FindOneAndReplaceOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidateReplacement(replacement, nameof(replacement));
        var command = CreateFindAndModify(filter, options)
            .Add("update", replacement)
            .Add("new", options?.ReturnDocument == ReturnDocument.After);
        if (options?.IsUpsert == true)
        {
            command.Add("upsert", true);
        }

        command.AddIf("bypassDocumentValidation", options?.BypassDocumentValidation);
        return RunFindAndModifyAsync(command, options, cancellationToken);
    }

    /// <summary>Atomically deletes one document and returns it, or null when none matched.</summary>
    /// <exception cref="MongoCommandException">The server refused the command.</exception>
    /// <exception cref="MongoWriteConcernException">The delete happened but the write concern failed.</exception>
    public Task<BsonDocument?> FindOneAndDeleteAsync(BsonDocument filter, FindOneAndDeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var command = CreateFindAndModify(filter, options).Add("remove", true);
        return RunFindAndModifyAsync(command, options, cancellationToken);
    }

    private Task<BsonDocument?> FindOneAndUpdateCoreAsync(BsonDocument filter, BsonValue update, FindOneAndUpdateOptions? options, CancellationToken cancellationToken)
    {
        var command = CreateFindAndModify(filter, options)
            .Add("update", update)
            .Add("new", options?.ReturnDocument == ReturnDocument.After);
        if (options?.IsUpsert == true)
        {
            command.Add("upsert", true);
        }

        command.AddIf("arrayFilters", options?.ArrayFilters).AddIf("bypassDocumentValidation", options?.BypassDocumentValidation);
        return RunFindAndModifyAsync(command, options, cancellationToken);
    }

    private BsonDocument CreateFindAndModify(BsonDocument filter, FindAndModifyOptionsBase? options)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new BsonDocument { { "findAndModify", Name }, { "query", filter } }
            .AddIf("sort", options?.Sort)
            .AddIf("fields", options?.Projection)
            .AddIf("hint", options?.Hint)
            .AddIf("collation", options?.Collation)
            .AddIf("let", options?.Let)
            .AddIf("comment", options?.Comment)
            .AddMilliseconds("maxTimeMS", options?.MaxTime);
    }

    private async Task<BsonDocument?> RunFindAndModifyAsync(BsonDocument command, FindAndModifyOptionsBase? options, CancellationToken cancellationToken)
    {
        command.AddWriteConcern(options?.WriteConcern ?? WriteConcern);
        var reply = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        ThrowOnWriteConcernError("findAndModify", reply);
        return reply.GetValueOrDefault("value") as BsonDocument;
    }
}
