namespace DistributedSync.Daemon.Configuration;

/// <summary>The HTTP API (<c>DistributedSync:Http</c>).</summary>
public sealed class HttpOptions
{
    /// <summary>The default of <see cref="Urls"/>.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The default of <see cref="MaxRequestBodyBytes"/>: 16 MiB, MongoDB's document size limit.</summary>
    public const long DefaultMaxRequestBodyBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The addresses to listen on (<c>:Urls</c>, default <c>http://127.0.0.1:5080</c>), separated by
    /// <c>;</c>; each an absolute <c>http://</c> or <c>https://</c> URL. Port 0 picks a free port.
    /// </summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>The largest request body accepted, in bytes (<c>:MaxRequestBodyBytes</c>, default 16777216); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The URLs of <see cref="Urls"/>, trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> UrlList()
        => [.. (Urls ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
