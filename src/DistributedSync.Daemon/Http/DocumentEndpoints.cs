using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DistributedSync.Daemon.Http;

/// <summary>The document routes under <c>/collections/{coll}/documents</c>.</summary>
internal static class DocumentEndpoints
{
    private const string Documents = "/collections/{coll}/documents";
    private const string Document = "/collections/{coll}/documents/{id}";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(Documents, InsertAsync);
        routes.MapGet(Documents, ListAsync);
        routes.MapGet(Document, GetAsync);
        routes.MapPut(Document, ReplaceAsync);
        routes.MapPatch(Document, UpdateAsync);
        routes.MapDelete(Document, DeleteAsync);
    }

    // POST: a document or an array of documents -> 201 {insertedIds, position}.
    private static async Task InsertAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.WriteParameters);
        var writeConcern = QueryParameters.WriteConcern(context.Request.Query);
        var body = await RequestBody.ReadJsonAsync(context, api.MaxBodyBytes).ConfigureAwait(false);
        var documents = body switch
        {
            BsonDocument single => [single],
            BsonArray { Count: 0 } => throw ApiException.BadRequest(ApiErrors.InvalidBody, "The request body is an empty array; send at least one document."),
            BsonArray array => array.Select((item, i) => item as BsonDocument
                ?? throw ApiException.BadRequest(ApiErrors.InvalidBody, $"Element {i} of the body is {RequestBody.Describe(item)}, not a document.")).ToList(),
            _ => throw ApiException.BadRequest(ApiErrors.InvalidBody, $"The request body must be a JSON object or an array of objects, not {RequestBody.Describe(body)}."),
        };

        var ids = new HashSet<BsonValue>(BsonValueComparer.Instance);
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            var what = documents.Count == 1 ? "The document" : $"Element {i} of the body";
            DocumentRules.CheckDocument(document, what);
            if (!document.TryGetValue("_id", out var id))
            {
                id = ObjectId.GenerateNewId();
                document.Insert(0, "_id", id);
            }

            if (!ids.Add(id))
            {
                // Refused as a whole before anything is written.
                context.Items[ApiErrorMiddleware.ErrorFieldsKey] = new BsonDocument("insertedIds", new BsonArray());
                throw new ApiException(StatusCodes.Status409Conflict, ApiErrors.DuplicateKey, $"{what} repeats the _id {id} of an earlier element; nothing was inserted.");
            }
        }

        var operations = documents.Select(d => (WriteOperation)new InsertOperation(collection, d)).ToList();
        WriteOutcome outcome;
        try
        {
            outcome = await api.Engine.WriteAsync(operations, writeConcern, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SyncEngineException e) when (e.AppliedOperations is int applied)
        {
            // Ordered semantics: the documents before the refused one are inserted (and acknowledged
            // as the write concern asks); the error lists them, with the position of the last one.
            context.Items[ApiErrorMiddleware.ErrorFieldsKey] = new BsonDocument("insertedIds", new BsonArray(documents.Take(applied).Select(d => d["_id"])));
            throw;
        }

        if (documents.Count == 1)
        {
            context.Response.Headers.Location = api.DocumentLocation(collection, documents[0]["_id"]);
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, new BsonDocument
        {
            { "insertedIds", new BsonArray(documents.Select(d => d["_id"])) },
            { "position", ApiResponses.Position(outcome.Position) },
        }).ConfigureAwait(false);
    }

    // GET list: ?filter=&limit=&readPreference=&maxStalenessMs= -> 200 {documents}.
    private static async Task ListAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        var query = context.Request.Query;
        QueryParameters.CheckAllowed(query, QueryParameters.ListParameters);
        var (mode, staleness) = QueryParameters.ReadPreference(query);
        var read = new ReadQuery(collection, QueryParameters.Filter(query), QueryParameters.Limit(query));
        var outcome = await api.Engine.ReadAsync(read, mode, staleness, context.RequestAborted).ConfigureAwait(false);
        ApiContext.SetServedBy(context, outcome);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new BsonDocument("documents", new BsonArray(outcome.Documents))).ConfigureAwait(false);
    }

    // GET one: 200 with the document itself, or 404.
    private static async Task GetAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        var id = api.Id();
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.ReadParameters);
        var (mode, staleness) = QueryParameters.ReadPreference(context.Request.Query);
        var outcome = await api.Engine.ReadAsync(new ReadQuery(collection, new BsonDocument("_id", id), 1), mode, staleness, context.RequestAborted).ConfigureAwait(false);
        ApiContext.SetServedBy(context, outcome);
        var document = outcome.Documents.FirstOrDefault() ?? throw ApiContext.NoDocument(collection, id);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, document).ConfigureAwait(false);
    }

    // PUT: replace or insert -> 200 {matchedCount, modifiedCount, position} or 201 {..., upsertedId}.
    private static async Task ReplaceAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        var id = api.Id();
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.WriteParameters);
        var writeConcern = QueryParameters.WriteConcern(context.Request.Query);
        var replacement = await RequestBody.ReadDocumentAsync(context, api.MaxBodyBytes).ConfigureAwait(false);
        DocumentRules.CheckDocument(replacement, "The document");
        if (replacement.TryGetValue("_id", out var bodyId))
        {
            if (!BsonValueComparer.Instance.Equals(bodyId, id))
            {
                throw ApiException.BadRequest(ApiErrors.InvalidDocument, $"The document's _id {bodyId} differs from the id in the path, {id}.");
            }

            replacement.Remove("_id");
        }

        replacement.Insert(0, "_id", id);
        var outcome = await api.Engine.WriteAsync([new ReplaceOperation(collection, id, replacement, Upsert: true)], writeConcern, context.RequestAborted).ConfigureAwait(false);
        var body = new BsonDocument { { "matchedCount", outcome.Matched }, { "modifiedCount", outcome.Modified } };
        var status = StatusCodes.Status200OK;
        if (outcome.Upserted > 0)
        {
            body.Add("upsertedId", id);
            status = StatusCodes.Status201Created;
            context.Response.Headers.Location = api.DocumentLocation(collection, id);
        }

        body.Add("position", ApiResponses.Position(outcome.Position));
        await ApiResponses.WriteJsonAsync(context, status, body).ConfigureAwait(false);
    }

    // PATCH: update operators -> 200 {matchedCount, modifiedCount, position}, or 404.
    private static async Task UpdateAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        var id = api.Id();
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.WriteParameters);
        var writeConcern = QueryParameters.WriteConcern(context.Request.Query);
        var update = await RequestBody.ReadDocumentAsync(context, api.MaxBodyBytes).ConfigureAwait(false);
        DocumentRules.CheckUpdate(update);
        var outcome = await api.Engine.WriteAsync([new UpdateOperation(collection, id, update)], writeConcern, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Matched == 0)
        {
            throw ApiContext.NoDocument(collection, id);
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new BsonDocument
        {
            { "matchedCount", outcome.Matched },
            { "modifiedCount", outcome.Modified },
            { "position", ApiResponses.Position(outcome.Position) },
        }).ConfigureAwait(false);
    }

    // DELETE: 200 {deletedCount, position}, or 404.
    private static async Task DeleteAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var collection = api.Collection();
        var id = api.Id();
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.WriteParameters);
        var writeConcern = QueryParameters.WriteConcern(context.Request.Query);
        var outcome = await api.Engine.WriteAsync([new DeleteOperation(collection, id)], writeConcern, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Deleted == 0)
        {
            throw ApiContext.NoDocument(collection, id);
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new BsonDocument
        {
            { "deletedCount", outcome.Deleted },
            { "position", ApiResponses.Position(outcome.Position) },
        }).ConfigureAwait(false);
    }
}
