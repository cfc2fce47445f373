using System.Diagnostics;

namespace DistributedSync.SystemBench.Workload;

/// <summary>
/// A backlog written through the daemon: the last position's index, the POSTs sent again after a
/// 503 or no answer, and the retried batches refused as duplicates (applied by the first attempt,
/// possibly only in part: a benchmark counts positions or stored documents, not POSTs).
/// </summary>
internal sealed record BacklogResult(long LastIndex, long Documents, double Seconds, int Retries, int DuplicateBatches)
{
    public double Rate => Documents / Seconds;
}

/// <summary>
/// Writes a backlog through the daemon: array POSTs of many documents (w=1, no wtimeout), a few in
/// flight, with a progress line every 10 s. A POST answered 503 (noMaster, writeConcernFailed) or not
/// at all is sent again after 500 ms, for up to 5 minutes; the retries are counted. Used to put a slave behind
/// (catch-up) or past the oplog (resync).
/// </summary>
internal static class BacklogWriter
{
    /// <summary>Writes <paramref name="total"/> documents through the daemon as array POSTs of <paramref name="batchSize"/> (w=1), <paramref name="parallel"/> at a time; returns the last position's index.</summary>
    public static async Task<BacklogResult> WriteAsync(DaemonWriter writer, string collection, int firstSeq, int total, int batchSize, int parallel, CancellationToken ct)
    {
        long lastIndex = 0;
        var next = 0;
        var start = Stopwatch.GetTimestamp();
        var lastReport = start;
        var posted = 0L;
        var retries = 0;
        var duplicates = 0;
        var workers = Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var offset = Interlocked.Add(ref next, batchSize) - batchSize;
                if (offset >= total)
                {
                    return;
                }

                var count = Math.Min(batchSize, total - offset);
                var body = BenchDocuments.JsonArray(firstSeq + offset, count);
                // No wtimeout: on a loaded machine a batch of 1,000 may wait longer than the default 10 s.
                var ack = await writer.PostAsync(collection, body, "1", ct, wtimeoutMs: 0).ConfigureAwait(false);
                var deadline = Stopwatch.GetTimestamp() + (300 * Stopwatch.Frequency);
                var retried = false;
                while (!ack.Ok && Retryable(ack, retried) && Stopwatch.GetTimestamp() < deadline)
                {
                    // noMaster: not applied. writeConcernFailed / no answer: maybe applied, then the
                    // retry is refused as a duplicate, which is accepted below.
                    Interlocked.Increment(ref retries);
                    retried = true;
                    await Task.Delay(500, ct).ConfigureAwait(false);
                    ack = await writer.PostAsync(collection, body, "1", ct, wtimeoutMs: 0).ConfigureAwait(false);
                }

                if (ack.Status == 409 && retried)
                {
                    Interlocked.Increment(ref duplicates);
                    continue;
                }

                if (!ack.Ok)
                {
                    throw new InvalidOperationException($"An array POST of {count} documents failed with HTTP {ack.Status}: {ack.Error}");
                }

                InterlockedMax(ref lastIndex, ack.Index);
                var now = Interlocked.Add(ref posted, count);
                if (Stopwatch.GetElapsedTime(Interlocked.Read(ref lastReport)) > TimeSpan.FromSeconds(10))
                {
                    Interlocked.Exchange(ref lastReport, Stopwatch.GetTimestamp());
                    Console.Error.WriteLine($"    backlog: {now:N0}/{total:N0} documents posted ({now / Stopwatch.GetElapsedTime(start).TotalSeconds:N0}/s)");
                }
            }
        }, ct)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new BacklogResult(lastIndex, total, Stopwatch.GetElapsedTime(start).TotalSeconds, retries, duplicates);
    }

    private static bool Retryable(WriteAck ack, bool retried)
        => ack.Status is 0 or 503 || (ack.Status == 500 && !retried);

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
