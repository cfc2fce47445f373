using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace DistributedSync.TestKit.Chaos;

/// <summary>
/// Polls the daemon's <c>GET /status</c> and remembers every (term, masterId) it reported,
/// across daemon restarts: two different masters reported for one term is a split brain.
/// </summary>
public sealed class StatusMonitor
{
    private readonly Func<HttpClient?> _http;
    private readonly ConcurrentDictionary<(long Term, int MasterId), DateTime> _masters = new();

    /// <summary>Creates a monitor; <paramref name="http"/> gives the current client (null while the daemon is down).</summary>
    public StatusMonitor(Func<HttpClient?> http) => _http = http;

    /// <summary>How many polls were answered.</summary>
    public int Answered { get; private set; }

    /// <summary>Every (term, master) pair reported, with when it was first seen.</summary>
    public IReadOnlyDictionary<(long Term, int MasterId), DateTime> Masters => _masters;

    /// <summary>Polls every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                (await PollOnceAsync(cancellationToken).ConfigureAwait(false))?.Dispose();
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the status once; returns it, or null when the daemon did not answer.</summary>
    public async Task<JsonDocument?> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (_http() is not { } http)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var status = await http.GetFromJsonAsync<JsonDocument>(new Uri("/status", UriKind.Relative), timeout.Token).ConfigureAwait(false);
            if (status is null)
            {
                return null;
            }

            Answered++;
            var root = status.RootElement;
            if (root.GetProperty("masterId") is { ValueKind: JsonValueKind.Number } master)
            {
                _masters.TryAdd((root.GetProperty("term").GetInt64(), master.GetInt32()), DateTime.UtcNow);
            }

            return status;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Terms for which more than one master was reported.</summary>
    public IReadOnlyList<long> TermsWithTwoMasters()
        => _masters.Keys.GroupBy(k => k.Term).Where(g => g.Select(k => k.MasterId).Distinct().Count() > 1).Select(g => g.Key).Order().ToList();
}
