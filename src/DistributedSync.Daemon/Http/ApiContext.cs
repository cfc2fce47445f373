using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Http;

/// <summary>What a route handler needs from a request: the engine, the body limit, the route values.</summary>
internal readonly struct ApiContext
{
    /// <summary>The response header naming the node that served a read.</summary>
    public const string ServedByHeader = "X-Served-By";

    private readonly HttpContext _context;

    private ApiContext(HttpContext context, ISyncEngine engine, long maxBodyBytes)
    {
        _context = context;
        Engine = engine;
        MaxBodyBytes = maxBodyBytes;
    }

    public ISyncEngine Engine { get; }

    public long MaxBodyBytes { get; }

    public static ApiContext For(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<DistributedSyncOptions>>().Value;
        return new ApiContext(context, services.GetRequiredService<ISyncEngine>(), options.Http.MaxRequestBodyBytes);
    }

    public static void SetServedBy(HttpContext context, ReadOutcome outcome)
        => context.Response.Headers[ServedByHeader] = outcome.NodeId.ToString(CultureInfo.InvariantCulture);

    public static ApiException NoDocument(string collection, BsonValue id)
        => new(StatusCodes.Status404NotFound, ApiErrors.NotFound, $"No document with _id {id} in collection '{collection}'.");

    /// <summary>The validated <c>{coll}</c> route value.</summary>
    public string Collection() => DocumentRules.CheckCollectionName(_context.Request.RouteValues["coll"] as string);

    /// <summary>The <c>{id}</c> route value as an <c>_id</c> (see <see cref="DocumentIds"/>).</summary>
    public BsonValue Id() => DocumentIds.Parse(_context.Request.RouteValues["id"] as string);

    /// <summary>The path of a document, for <c>Location</c> headers.</summary>
    public string DocumentLocation(string collection, BsonValue id)
        => $"/collections/{Uri.EscapeDataString(collection)}/documents/{Uri.EscapeDataString(DocumentIds.ToSegment(id))}";
}
