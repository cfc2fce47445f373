using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DistributedSync.SystemBench.Workload;

/// <summary>The outcome of one HTTP write: status, the position it was given, and when it was sent and answered.</summary>
/// <param name="Status">The HTTP status, or 0 when no answer came (connection error, timeout).</param>
/// <param name="Term">position.t of a 201, else -1.</param>
/// <param name="Index">position.i of a 201, else -1.</param>
/// <param name="SentAt">Stopwatch timestamp when the request was started.</param>
/// <param name="AckAt">Stopwatch timestamp when the answer (headers and body) had arrived.</param>
internal readonly record struct WriteAck(int Status, long Term, long Index, long SentAt, long AckAt)
{
    public bool Ok => Status == 201;

    /// <summary>The body of an error answer (for messages), else null.</summary>
    public string? Error { get; init; }
}

/// <summary>
/// POSTs documents to <c>/collections/{coll}/documents?w=...</c> over one pooled HTTP/1.1 client
/// (up to 512 connections, so open-loop writers are never queued by the client itself; 120 s
/// timeout unless told otherwise).
/// </summary>
internal sealed class DaemonWriter : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public DaemonWriter(Uri baseAddress, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(120) };
    }

    /// <summary>One document (JSON text).</summary>
    public Task<WriteAck> PostAsync(string collection, string documentJson, string w, CancellationToken ct)
        => PostAsync(collection, Encoding.UTF8.GetBytes(documentJson), w, ct);

    /// <summary>A body that is one document or an array of documents (UTF-8 JSON); <paramref name="wtimeoutMs"/> null for the daemon's default (10 s), 0 for no limit.</summary>
    public async Task<WriteAck> PostAsync(string collection, byte[] body, string w, CancellationToken ct, int? wtimeoutMs = null)
    {
        var query = wtimeoutMs is { } t ? $"w={w}&wtimeoutMS={t.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "w=" + w;
        var sent = Stopwatch.GetTimestamp();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _http.PostAsync(new Uri($"/collections/{collection}/documents?{query}", UriKind.Relative), content, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var acked = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return new WriteAck((int)response.StatusCode, -1, -1, sent, acked) { Error = Encoding.UTF8.GetString(bytes) };
            }

            var (term, index) = ReadPosition(bytes);
            return new WriteAck(201, term, index, sent, acked);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new WriteAck(0, -1, -1, sent, Stopwatch.GetTimestamp());
        }
    }

    public void Dispose() => _http.Dispose();

    private static (long Term, long Index) ReadPosition(byte[] body)
    {
        // The body ends with "position": {"t": T, "i": I}; read it without building a DOM of the ids.
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("position"))
            {
                long term = -1, index = -1;
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var isTerm = reader.ValueTextEquals("t");
                    reader.Read();
                    if (isTerm)
                    {
                        term = reader.GetInt64();
                    }
                    else
                    {
                        index = reader.GetInt64();
                    }
                }

                return (term, index);
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return (-1, -1);
    }
}
