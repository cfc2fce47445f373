using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DistributedSync.TestKit.Chaos;

/// <summary>What a client learned about one write.</summary>
public enum WriteResult
{
    /// <summary>201: acknowledged with the requested write concern.</summary>
    Acknowledged,

    /// <summary>Definitely not applied: a 4xx answer, or the daemon refused the connection (nothing was sent).</summary>
    Failed,

    /// <summary>May or may not be applied: a 5xx answer (no master, write concern not met), a timeout, a broken connection.</summary>
    Indeterminate,
}

/// <summary>
/// Jepsen's set workload over the HTTP API: <see cref="Clients"/> concurrent clients insert
/// <c>{_id: n}</c> for unique increasing integers n into one collection, each POST with the given
/// write concern, and record what every write's answer said.
/// </summary>
public sealed class SetWorkload
{
    private readonly Uri _baseAddress;
    private readonly ConcurrentDictionary<long, WriteResult> _results = new();
    private long _next;

    /// <summary>Creates a workload against the daemon at <paramref name="baseAddress"/>.</summary>
    public SetWorkload(Uri baseAddress, string writeConcern, string collection = "set", int clients = 8)
    {
        _baseAddress = baseAddress;
        WriteConcern = writeConcern;
        Collection = collection;
        Clients = clients;
    }

    /// <summary><c>majority</c> or <c>1</c>.</summary>
    public string WriteConcern { get; }

    /// <summary>The collection written to.</summary>
    public string Collection { get; }

    /// <summary>How many clients write concurrently.</summary>
    public int Clients { get; }

    /// <summary>wtimeoutMS of every write.</summary>
    public int WTimeoutMs { get; init; } = 1_000;

    /// <summary>How long a client waits for an answer before calling the write indeterminate.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Every attempted value and its result.</summary>
    public IReadOnlyDictionary<long, WriteResult> Results => _results;

    /// <summary>Runs every client until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5), ConnectTimeout = TimeSpan.FromSeconds(1) };
        using var http = new HttpClient(handler) { BaseAddress = _baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => ClientAsync(http, cancellationToken))).ConfigureAwait(false);
    }

    private async Task ClientAsync(HttpClient http, CancellationToken stop)
    {
        var path = new Uri($"/collections/{Collection}/documents?w={WriteConcern}&wtimeoutMS={WTimeoutMs.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative);
        while (!stop.IsCancellationRequested)
        {
            var value = Interlocked.Increment(ref _next);
            var result = await WriteAsync(http, path, value).ConfigureAwait(false);
            _results[value] = result;
            if (result != WriteResult.Acknowledged)
            {
                // Pacing: do not spin while the cluster has no master.
                try
                {
                    await Task.Delay(50, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<WriteResult> WriteAsync(HttpClient http, Uri path, long value)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        using var content = new StringContent("{\"_id\": " + value.ToString(CultureInfo.InvariantCulture) + "}", Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.PostAsync(path, content, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status == 201 ? WriteResult.Acknowledged
                : status is >= 400 and < 500 ? WriteResult.Failed
                : WriteResult.Indeterminate;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return WriteResult.Failed;
        }
        catch (HttpRequestException)
        {
            return WriteResult.Indeterminate;
        }
        catch (OperationCanceledException)
        {
            return WriteResult.Indeterminate;
        }
        catch (IOException)
        {
            return WriteResult.Indeterminate;
        }
    }
}
