using Microsoft.Extensions.Logging;

namespace DistributedSync.Daemon.Logging;

/// <summary>The HTTP API: event ids 5000-5099.</summary>
public static partial class HttpLog
{
    /// <summary>The API is listening.</summary>
    [LoggerMessage(EventId = 5001, EventName = "HttpListening", Level = LogLevel.Information, Message = "HTTP API listening on {Urls}")]
    public static partial void Listening(this ILogger logger, string urls);

    /// <summary>A request was refused because of what the client sent (4xx).</summary>
    [LoggerMessage(EventId = 5002, EventName = "HttpRequestRejected", Level = LogLevel.Information, Message = "{Method} {Path} -> {StatusCode} {Error}: {Detail}")]
    public static partial void RequestRejected(this ILogger logger, string method, string path, int statusCode, string error, string detail);

    /// <summary>A request could not be served now (503: no master, write concern not met, no eligible node).</summary>
    [LoggerMessage(EventId = 5003, EventName = "HttpRequestUnavailable", Level = LogLevel.Warning, Message = "{Method} {Path} -> {StatusCode} {Error}: {Detail}")]
    public static partial void RequestUnavailable(this ILogger logger, string method, string path, int statusCode, string error, string detail);

    /// <summary>A request failed unexpectedly (500).</summary>
    [LoggerMessage(EventId = 5004, EventName = "HttpRequestFailed", Level = LogLevel.Error, Message = "{Method} {Path} -> 500: unexpected error")]
    public static partial void RequestFailed(this ILogger logger, string method, string path, Exception exception);
}
