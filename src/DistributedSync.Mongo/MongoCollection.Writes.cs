using DistributedSync.Bson;
using DistributedSync.Mongo.Operations;

namespace DistributedSync.Mongo;

public sealed partial class MongoCollection
{
    /// <summary>
    /// Inserts one document. A document without <c>_id</c> gets a new ObjectId, added as its
    /// first field (the caller's document is modified, as drivers do).
    /// </summary>
    /// <exception cref="MongoWriteException">The server refused the document (e.g. duplicate key) or the write concern failed.</exception>
    public async Task<InsertOneResult> InsertOneAsync(BsonDocument document, InsertOneOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = EnsureId(document);
        var request = new WriteCommandRunner.Request(
            Database.Name, "insert", Name, "documents", Ordered: true, options?.WriteConcern ?? WriteConcern,
            ExtraFields(options?.Comment, options?.BypassDocumentValidation));
        var result = await WriteCommandRunner.ExecuteAsync(Executor, request, [document], cancellationToken).ConfigureAwait(false);
        result.ThrowIfSingleWriteFailed(FullName);
        return new InsertOneResult(id, result.Acknowledged);
    }

    /// <summary>
    /// Inserts documents, split into as many commands as the server's batch and message size
    /// limits require. Documents without <c>_id</c> get a new ObjectId (the caller's documents
    /// are modified). Ordered (the default) stops at the first refused document.
    /// </summary>
    /// <exception cref="MongoBulkWriteException">Some documents were refused, or a write concern failed; indexes refer to <paramref name="documents"/>.</exception>
    public async Task<InsertManyResult> InsertManyAsync(IEnumerable<BsonDocument> documents, InsertManyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        BsonDocument[] list = [.. documents];
        if (list.Length == 0)
        {
            throw new ArgumentException("InsertMany needs at least one document.", nameof(documents));
        }

        var ids = new BsonValue[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            ids[i] = EnsureId(list[i] ?? throw new ArgumentException($"The document at index {i} is null.", nameof(documents)));
        }

        options ??= new InsertManyOptions();
        var request = new WriteCommandRunner.Request(
            Database.Name, "insert", Name, "documents", options.IsOrdered, options.WriteConcern ?? WriteConcern,
            ExtraFields(options.Comment, options.BypassDocumentValidation));
        var result = await WriteCommandRunner.ExecuteAsync(Executor, request, list, cancellationToken).ConfigureAwait(false);
        result.ThrowIfBulkWriteFailed(FullName);
        return new InsertManyResult(ids, result.N, result.Acknowledged);
    }

    /// <summary>Updates the first document matching <paramref name="filter"/> with update operators.</summary>
    /// <exception cref="MongoWriteException">The update was refused or the write concern failed.</exception>
    public Task<UpdateResult> UpdateOneAsync(BsonDocument filter, BsonDocument update, UpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidateUpdateDocument(update, nameof(update));
        return UpdateAsync(filter, update, multi: false, options, cancellationToken);
    }

    /// <summary>Updates the first document matching <paramref name="filter"/> with an aggregation pipeline (MongoDB 4.2+).</summary>
    /// <exception cref="MongoWriteException">The update was refused or the write concern failed.</exception>
    public Task<UpdateResult> UpdateOneAsync(BsonDocument filter, BsonArray pipeline, UpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidatePipeline(pipeline, nameof(pipeline));
        return UpdateAsync(filter, pipeline, multi: false, options, cancellationToken);
    }

    /// <summary>Updates every document matching <paramref name="filter"/> with update operators.</summary>
    /// <exception cref="MongoWriteException">The update was refused or the write concern failed.</exception>
    public Task<UpdateResult> UpdateManyAsync(BsonDocument filter, BsonDocument update, UpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidateUpdateDocument(update, nameof(update));
        return UpdateAsync(filter, update, multi: true, options, cancellationToken);
    }

    /// <summary>Updates every document matching <paramref name="filter"/> with an aggregation pipeline.</summary>
    /// <exception cref="MongoWriteException">The update was refused or the write concern failed.</exception>
    public Task<UpdateResult> UpdateManyAsync(BsonDocument filter, BsonArray pipeline, UpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidatePipeline(pipeline, nameof(pipeline));
        return UpdateAsync(filter, pipeline, multi: true, options, cancellationToken);
    }

    /// <summary>Replaces the first document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The replacement was refused or the write concern failed.</exception>
    public Task<UpdateResult> ReplaceOneAsync(BsonDocument filter, BsonDocument replacement, UpdateOptions? options = null, CancellationToken cancellationToken = default)
    {
        CommandFields.ValidateReplacement(replacement, nameof(replacement));
        return UpdateAsync(filter, replacement, multi: false, options, cancellationToken);
    }

    /// <summary>Deletes the first document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The delete was refused or the write concern failed.</exception>
    public Task<DeleteResult> DeleteOneAsync(BsonDocument filter, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => DeleteAsync(filter, limit: 1, options, cancellationToken);

    /// <summary>Deletes every document matching <paramref name="filter"/>.</summary>
    /// <exception cref="MongoWriteException">The delete was refused or the write concern failed.</exception>
    public Task<DeleteResult> DeleteManyAsync(BsonDocument filter, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => DeleteAsync(filter, limit: 0, options, cancellationToken);

    private async Task<UpdateResult> UpdateAsync(BsonDocument filter, BsonValue update, bool multi, UpdateOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter }, { "u", update } };
        if (multi)
        {
            statement.Add("multi", true);
        }

        if (options?.IsUpsert == true)
        {
            statement.Add("upsert", true);
        }

        statement.AddIf("arrayFilters", options?.ArrayFilters)
            .AddIf("hint", options?.Hint)
            .AddIf("collation", options?.Collation);
        var extra = ExtraFields(options?.Comment, options?.BypassDocumentValidation).AddIf("let", options?.Let);
        var request = new WriteCommandRunner.Request(
            Database.Name, "update", Name, "updates", Ordered: true, options?.WriteConcern ?? WriteConcern, extra);
        var result = await WriteCommandRunner.ExecuteAsync(Executor, request, [statement], cancellationToken).ConfigureAwait(false);
        result.ThrowIfSingleWriteFailed(FullName);
        var upsertedId = result.Upserted.Count > 0 ? result.Upserted[0].Id : null;
        return new UpdateResult(result.N - result.Upserted.Count, result.Modified, upsertedId, result.Acknowledged);
    }

    private async Task<DeleteResult> DeleteAsync(BsonDocument filter, int limit, DeleteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statement = new BsonDocument { { "q", filter }, { "limit", limit } }
            .AddIf("hint", options?.Hint)
            .AddIf("collation", options?.Collation);
        var extra = ExtraFields(options?.Comment, null).AddIf("let", options?.Let);
        var request = new WriteCommandRunner.Request(
            Database.Name, "delete", Name, "deletes", Ordered: true, options?.WriteConcern ?? WriteConcern, extra);
        var result = await WriteCommandRunner.ExecuteAsync(Executor, request, [statement], cancellationToken).ConfigureAwait(false);
        result.ThrowIfSingleWriteFailed(FullName);
        return new DeleteResult(result.N, result.Acknowledged);
    }

    private static BsonValue EnsureId(BsonDocument document)
    {
        if (document.TryGetValue("_id", out var id))
        {
            return id;
        }

        var generated = new BsonObjectId(ObjectId.GenerateNewId());
        document.Insert(0, "_id", generated);
        return generated;
    }

    private static BsonDocument ExtraFields(BsonValue? comment, bool? bypassDocumentValidation)
        => new BsonDocument().AddIf("bypassDocumentValidation", bypassDocumentValidation).AddIf("comment", comment);
}
