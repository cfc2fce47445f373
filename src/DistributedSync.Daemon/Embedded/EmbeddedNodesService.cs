using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Embedded;

/// <summary>
/// Starts one emulator child process per configured node when
/// <c>DistributedSync:Embedded:Enabled</c> is true, before the services registered after it
/// (the replication engine); stops them (SIGTERM, then kill after
/// <c>Embedded:StopGraceMs</c>) when the daemon stops. A node that dies is not restarted: kill one
/// to watch the cluster elect a new master, restart the daemon to bring it back. The nodes are
/// started with <c>--parentPid</c>, so they exit by themselves if the daemon is killed.
/// </summary>
public sealed class EmbeddedNodesService : IHostedService, IAsyncDisposable
{
    private readonly DistributedSyncOptions _options;
    private readonly ILogger<EmbeddedNodesService> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<EmbeddedNodeProcess> _nodes = [];

    /// <summary>Creates the service.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="logger">The log.</param>
    /// <param name="lifetime">The host's lifetime, or null: once the host is stopping, nodes that exit are not reported as failures.</param>
    public EmbeddedNodesService(IOptions<DistributedSyncOptions> options, ILogger<EmbeddedNodesService> logger, IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        lifetime?.ApplicationStopping.Register(() =>
        {
            foreach (var node in _nodes)
            {
                node.MarkStopping();
            }
        });
    }

    /// <summary>The running node processes (empty when embedded nodes are disabled or stopped).</summary>
    public IReadOnlyList<EmbeddedNodeProcess> Nodes => _nodes;

    /// <summary>Starts every node and waits until all accept connections.</summary>
    /// <exception cref="EmbeddedNodeException">A node could not be started; the others are stopped again.</exception>
    /// <exception cref="FileNotFoundException">The emulator is missing.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var embedded = _options.Embedded;
        if (!embedded.Enabled)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_nodes.Count > 0)
            {
                return;
            }

            var launcher = EmulatorLauncher.Locate(embedded.EmulatorPath, AppContext.BaseDirectory);
            _logger.Emulator(launcher.EmulatorPath, launcher.HostPath ?? "(executed directly)");
            var workingDirectory = Directory.GetCurrentDirectory();
            var plans = _options.Nodes.Select(n => EmbeddedNodePlan.For(n, embedded.DataDirectory, workingDirectory)).ToList();
            var timeout = TimeSpan.FromMilliseconds(embedded.StartTimeoutMs);
            var starts = plans.Select(p => EmbeddedNodeProcess.StartAsync(launcher, p, timeout, _logger, cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(starts).ConfigureAwait(false);
            }
            catch (Exception) when (starts.Any(s => s.IsFaulted || s.IsCanceled))
            {
                // Every start has finished: keep none of the nodes that did come up.
                var started = starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
                await StopAllAsync(started).ConfigureAwait(false);
                var failures = starts.Where(s => s.IsFaulted).SelectMany(s => s.Exception!.InnerExceptions).ToList();
                foreach (var failure in failures.OfType<EmbeddedNodeException>())
                {
                    _logger.NodeStartFailed(failure.NodeName, failure.Message);
                }

                cancellationToken.ThrowIfCancellationRequested();
                throw failures.Count == 1 && failures[0] is EmbeddedNodeException single
                    ? single
                    : new EmbeddedNodeException(string.Join("; ", failures.Select(f => f.Message)), new AggregateException(failures));
            }

            _nodes = [.. starts.Select(s => s.Result)];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every node.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var nodes = _nodes;
            _nodes = [];
            await StopAllAsync(nodes).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every node still running (for hosts disposed without being stopped).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task StopAllAsync(IReadOnlyList<EmbeddedNodeProcess> nodes)
    {
        var grace = TimeSpan.FromMilliseconds(_options.Embedded.StopGraceMs);
        await Task.WhenAll(nodes.Select(n => n.StopAsync(grace))).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
