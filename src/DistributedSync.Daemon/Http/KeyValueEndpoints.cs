using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DistributedSync.Daemon.Http;

/// <summary>
/// <c>POST /set {key, value}</c> and <c>GET /get/{key}</c>: a key-value view of the collection
/// <c>kv</c>, where each key is a document <c>{_id: key, value: value}</c>.
/// </summary>
internal static class KeyValueEndpoints
{
    /// <summary>The collection holding the keys.</summary>
    public const string Collection = "kv";

    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/set", SetAsync);
        routes.MapGet("/get/{key}", GetAsync);
    }

    private static async Task SetAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.WriteParameters);
        var writeConcern = QueryParameters.WriteConcern(context.Request.Query);
        var body = await RequestBody.ReadDocumentAsync(context, api.MaxBodyBytes).ConfigureAwait(false);
        foreach (var name in body.Names)
        {
            if (name is not ("key" or "value"))
            {
                throw ApiException.BadRequest(ApiErrors.InvalidBody, $"Unknown field '{name}' in the body; send {{\"key\": \"...\", \"value\": ...}}.");
            }
        }

        var key = body.GetValueOrDefault("key") switch
        {
            BsonString { Value.Length: > 0 and <= MaxKeyLength } s => s.Value,
            BsonString => throw ApiException.BadRequest(ApiErrors.InvalidBody, $"The field 'key' must be 1 to {MaxKeyLength} characters long."),
            null => throw ApiException.BadRequest(ApiErrors.InvalidBody, "The body has no field 'key'; send {\"key\": \"...\", \"value\": ...}."),
            var other => throw ApiException.BadRequest(ApiErrors.InvalidBody, $"The field 'key' must be a string, not {RequestBody.Describe(other)}."),
        };
        var value = body.GetValueOrDefault("value")
            ?? throw ApiException.BadRequest(ApiErrors.InvalidBody, "The body has no field 'value'.");
        var document = new BsonDocument { { "_id", key }, { "value", value } };
        DocumentRules.CheckDocument(document, "The value");
        var outcome = await api.Engine.WriteAsync([new ReplaceOperation(Collection, key, document, Upsert: true)], writeConcern, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new BsonDocument
        {
            { "key", key },
            { "value", value },
            { "position", ApiResponses.Position(outcome.Position) },
        }).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context)
    {
        var api = ApiContext.For(context);
        var key = context.Request.RouteValues["key"] as string;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength)
        {
            throw ApiException.BadRequest(ApiErrors.InvalidId, $"The key must be 1 to {MaxKeyLength} characters long.");
        }

        QueryParameters.CheckAllowed(context.Request.Query, QueryParameters.ReadParameters);
        var (mode, staleness) = QueryParameters.ReadPreference(context.Request.Query);
        var outcome = await api.Engine.ReadAsync(new ReadQuery(Collection, new BsonDocument("_id", key), 1), mode, staleness, context.RequestAborted).ConfigureAwait(false);
        ApiContext.SetServedBy(context, outcome);
        var document = outcome.Documents.FirstOrDefault()
            ?? throw new ApiException(StatusCodes.Status404NotFound, ApiErrors.NotFound, $"No value for the key '{key}'.");
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, new BsonDocument
        {
            { "key", key },
            { "value", document.GetValueOrDefault("value") ?? BsonNull.Value },
        }).ConfigureAwait(false);
    }
}
