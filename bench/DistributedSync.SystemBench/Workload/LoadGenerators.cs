using System.Diagnostics;
using DistributedSync.SystemBench.Reporting;

namespace DistributedSync.SystemBench.Workload;

/// <summary>What a load run did: writes sent, how long it took, and (open loop) how late the sends were.</summary>
internal sealed record LoadResult(int Sent, double Seconds, Percentiles SendDelayMs)
{
    public double Rate => Sent / Seconds;
}

/// <summary>
/// The two ways the benchmarks load the daemon. <see cref="OpenLoopAsync"/> sends write k at
/// start + k/rate whether or not earlier writes have been answered (at most
/// <c>maxInFlight</c> outstanding; a send that has to wait for a slot is late, and the lateness is
/// reported). <see cref="ClosedLoopAsync"/> runs N clients that each send the next write as soon as
/// the previous one is answered.
/// </summary>
internal static class LoadGenerators
{
    /// <summary>Sends <paramref name="count"/> writes with sequence numbers first.. at <paramref name="rate"/> per second.</summary>
    public static async Task<LoadResult> OpenLoopAsync(int first, int count, double rate, int maxInFlight, Func<int, Task> send, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(maxInFlight);
        var inFlight = new List<Task>(count);
        var delays = new double[count];
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < count)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var due = Math.Min(count, (int)(elapsed * rate) + 1);
            while (next < due)
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                var planned = start + (long)(next / rate * Stopwatch.Frequency);
                delays[next] = Math.Max(0, Percentiles.Between(planned, Stopwatch.GetTimestamp()));
                var seq = first + next;
                inFlight.Add(SendAsync(seq));
                next++;
            }

            if (next < count)
            {
                var wait = ((next / rate) - Stopwatch.GetElapsedTime(start).TotalSeconds) * 1000;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(wait, 0.5, 50)), ct).ConfigureAwait(false);
            }
        }

        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return new LoadResult(count, Math.Max(sendSeconds, count / rate), new Percentiles(delays));

        async Task SendAsync(int seq)
        {
            try
            {
                await send(seq).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// <paramref name="clients"/> clients send writes (sequence numbers from <paramref name="first"/>,
    /// at most up to <paramref name="lastAllowed"/>) back to back for <paramref name="duration"/>.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(int first, int lastAllowed, int clients, TimeSpan duration, Func<int, Task> send, CancellationToken ct)
    {
        var nextSeq = first - 1;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var sent = 0;
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && !ct.IsCancellationRequested)
            {
                var seq = Interlocked.Increment(ref nextSeq);
                if (seq > lastAllowed)
                {
                    return;
                }

                Interlocked.Increment(ref sent);
                await send(seq).ConfigureAwait(false);
            }
        }, ct)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new LoadResult(sent, Stopwatch.GetElapsedTime(start).TotalSeconds, new Percentiles([]));
    }
}
