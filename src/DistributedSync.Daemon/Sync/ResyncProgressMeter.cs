using System.Collections.Concurrent;
using DistributedSync.Daemon.Engine;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// Measures one resync copy: documents copied against the estimated total, the rate since the copy
/// started and the time left at that rate. It also says when the next progress log line is due
/// (at most one per <see cref="LogInterval"/>).
/// </summary>
internal sealed class ResyncProgressMeter
{
    /// <summary>The least time between two progress log lines of one copy.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private long _lastLoggedAt;

    public ResyncProgressMeter(long total, TimeProvider time)
    {
        Total = Math.Max(0, total);
        _time = time;
        _startedAt = time.GetTimestamp();
        _lastLoggedAt = _startedAt;
    }

    /// <summary>The estimate of all documents to copy; grows when more than estimated are copied.</summary>
    public long Total { get; private set; }

    public long Copied { get; private set; }

    /// <summary>Counts <paramref name="documents"/> more copied documents.</summary>
    public void Add(long documents)
    {
        Copied += documents;
        Total = Math.Max(Total, Copied);
    }

    /// <summary>The progress now.</summary>
    public ResyncProgress Snapshot() => Compute(Copied, Total, _time.GetElapsedTime(_startedAt));

    /// <summary>True (and the clock restarts) when a log line is due.</summary>
    public bool LogDue()
    {
        if (_time.GetElapsedTime(_lastLoggedAt) < LogInterval)
        {
            return false;
        }

        _lastLoggedAt = _time.GetTimestamp();
        return true;
    }

    /// <summary>Rate = copied / elapsed; ETA = (total - copied) / rate, unknown while nothing is copied yet.</summary>
    public static ResyncProgress Compute(long copied, long total, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var rate = seconds > 0 ? copied / seconds : 0;
        double? eta = rate > 0 ? Math.Max(0, total - copied) / rate : null;
        return new ResyncProgress(copied, Math.Max(total, copied), rate, eta);
    }
}

/// <summary>The progress of the resyncs running now, by node id (written by the tasks, read by <c>/status</c>).</summary>
internal sealed class ResyncProgressBoard
{
    private readonly ConcurrentDictionary<int, ResyncProgress> _progress = new();

    public void Report(int nodeId, ResyncProgress progress) => _progress[nodeId] = progress;

    public void Clear(int nodeId) => _progress.TryRemove(nodeId, out _);

    public ResyncProgress? Get(int nodeId) => _progress.TryGetValue(nodeId, out var p) ? p : null;
}
