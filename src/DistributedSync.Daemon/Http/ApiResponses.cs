using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Daemon.Engine;
using Microsoft.AspNetCore.Http;

namespace DistributedSync.Daemon.Http;

/// <summary>Writes responses: relaxed Extended JSON, UTF-8.</summary>
public static class ApiResponses
{
    /// <summary>The content type of every response body.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Writes <paramref name="body"/> with <paramref name="statusCode"/>.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, BsonValue body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        ExtendedJson.Write(body, context.Response.BodyWriter, ExtendedJsonMode.Relaxed);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes <c>{error, message}</c> (plus <paramref name="extra"/> fields) with <paramref name="statusCode"/>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string error, string message, BsonDocument? extra = null)
    {
        var body = new BsonDocument { { "error", error }, { "message", message } };
        if (extra is not null)
        {
            foreach (var element in extra)
            {
                body.Add(element.Name, element.Value);
            }
        }

        return WriteJsonAsync(context, statusCode, body);
    }

    /// <summary>An oplog position as <c>{t, i}</c>.</summary>
    public static BsonDocument Position(OplogPosition position)
        => new() { { "t", position.Term }, { "i", position.Index } };

    /// <summary>Sets <c>Retry-After</c> to whole seconds (at least 1).</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(response);
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
    }
}
