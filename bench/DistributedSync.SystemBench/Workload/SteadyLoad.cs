using System.Diagnostics;

namespace DistributedSync.SystemBench.Workload;

/// <summary>
/// A steady open-loop write load that runs until stopped: single-document POSTs (w=1) at a fixed
/// rate, each sent at its planned time whatever happened to the earlier ones (at most 2,048 in
/// flight; a write that finds no free slot is skipped and counted). Every acknowledgement is handed
/// to <c>onAck</c>, for the failover probe.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private const int MaxInFlight = 2_048;
    private readonly DaemonWriter _writer;
    private readonly string _collection;
    private readonly double _rate;
    private readonly Action<WriteAck> _onAck;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _inFlight = [];
    private readonly Task _loop;
    private int _inFlightCount;
    private long _acknowledged;
    private long _failed;
    private long _skipped;

    public SteadyLoad(DaemonWriter writer, string collection, double rate, Action<WriteAck> onAck)
    {
        _writer = writer;
        _collection = collection;
        _rate = rate;
        _onAck = onAck;
        _loop = Task.Run(LoopAsync);
    }

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Failed => Interlocked.Read(ref _failed);

    public long Skipped => Interlocked.Read(ref _skipped);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] pending;
        lock (_inFlight)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var start = Stopwatch.GetTimestamp();
        var seq = 0;
        while (!_stop.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * _rate);
            while (seq < due)
            {
                seq++;
                if (Volatile.Read(ref _inFlightCount) >= MaxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                Interlocked.Increment(ref _inFlightCount);
                var task = SendAsync(seq);
                lock (_inFlight)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted);
                    _inFlight.Add(task);
                }
            }

            try
            {
                await Task.Delay(2, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(int seq)
    {
        try
        {
            var ack = await _writer.PostAsync(_collection, BenchDocuments.Json(seq), "1", CancellationToken.None).ConfigureAwait(false);
            if (ack.Ok)
            {
                Interlocked.Increment(ref _acknowledged);
                _onAck(ack);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightCount);
        }
    }
}
