using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DistributedSync.TestKit.Faults;

namespace DistributedSync.TestKit.Chaos;

/// <summary>
/// Plays a <see cref="FaultSchedule"/> against a <see cref="ChaosCluster"/>: starts each episode
/// at its offset and undoes it at its end. Records what it actually did (an episode aimed at
/// "the master" while no master is known is skipped and says so).
/// </summary>
public sealed class FaultInjector
{
    private readonly ChaosCluster _cluster;
    private readonly List<string> _log = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SemaphoreSlim> _targets = [];

    /// <summary>Creates an injector for <paramref name="cluster"/>.</summary>
    public FaultInjector(ChaosCluster cluster) => _cluster = cluster;

    /// <summary>What was done, with offsets, in order.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Plays every episode; returns when the last one has been undone.</summary>
    public async Task RunAsync(FaultSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(schedule.Episodes.Select(e => PlayAsync(e, clock, cancellationToken))).ConfigureAwait(false);
    }

    private async Task PlayAsync(FaultEpisode episode, Stopwatch clock, CancellationToken cancellationToken)
    {
        await DelayUntil(clock, episode.Start, cancellationToken).ConfigureAwait(false);
        var node = episode.Node;
        if (node < 0 && episode.Kind != FaultKind.KillDaemon)
        {
            var master = await MasterIndexAsync(cancellationToken).ConfigureAwait(false);
            if (master is null)
            {
                Record(clock, $"skip {episode}: no master known");
                return;
            }

            node = master.Value;
        }

        // Episodes on one target never overlap in the schedule, but undoing one (a restart) takes
        // time: the next episode on that target waits until it is done.
        var target = Target(episode.Kind == FaultKind.KillDaemon ? -1 : node);
        await target.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Record(clock, $"begin {episode} (node index {node})");
            await BeginAsync(episode, node, cancellationToken).ConfigureAwait(false);
            await DelayUntil(clock, episode.End, cancellationToken).ConfigureAwait(false);
            await EndAsync(episode, node, cancellationToken).ConfigureAwait(false);
            Record(clock, $"end {episode}");
        }
        finally
        {
            target.Release();
        }
    }

    private SemaphoreSlim Target(int node)
    {
        lock (_gate)
        {
            if (!_targets.TryGetValue(node, out var semaphore))
            {
                semaphore = new SemaphoreSlim(1, 1);
                _targets[node] = semaphore;
            }

            return semaphore;
        }
    }

    private async Task BeginAsync(FaultEpisode episode, int node, CancellationToken cancellationToken)
    {
        switch (episode.Kind)
        {
            case FaultKind.KillNode:
                _cluster.Nodes[node].Kill();
                break;
            case FaultKind.PauseNode:
                await _cluster.Nodes[node].PauseAsync(cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.KillDaemon:
                _cluster.Daemon.Kill();
                break;
            default:
                _cluster.Proxies[node].SetFault(episode.ProxyFault ?? Fault.None);
                break;
        }
    }

    private async Task EndAsync(FaultEpisode episode, int node, CancellationToken cancellationToken)
    {
        switch (episode.Kind)
        {
            case FaultKind.KillNode:
                await _cluster.Nodes[node].RestartAsync(kill: false, samePort: true, cancellationToken).ConfigureAwait(false);
                _cluster.Proxies[node].UpstreamPort = _cluster.Nodes[node].Port;
                break;
            case FaultKind.PauseNode:
                await _cluster.Nodes[node].ResumeAsync(cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.KillDaemon:
                await _cluster.Daemon.RestartAsync(kill: true, cancellationToken).ConfigureAwait(false);
                break;
            default:
                _cluster.Proxies[node].Heal();
                break;
        }
    }

    private async Task<int?> MasterIndexAsync(CancellationToken cancellationToken)
    {
        if (_cluster.Daemon.HasExited)
        {
            return null;
        }

        try
        {
            using var status = await _cluster.Daemon.Http.GetFromJsonAsync<JsonDocument>(new Uri("/status", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return status?.RootElement.GetProperty("masterId") is { ValueKind: JsonValueKind.Number } id ? id.GetInt32() - 1 : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Record(Stopwatch clock, string what)
    {
        lock (_gate)
        {
            _log.Add($"{clock.Elapsed.TotalSeconds:0.00}s {what}");
        }
    }

    private static async Task DelayUntil(Stopwatch clock, TimeSpan offset, CancellationToken cancellationToken)
    {
        var wait = offset - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            // Scheduling, not synchronisation: the episode is defined by its offset.
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
