using System.Globalization;

namespace DistributedSync.SystemBench.Cluster;

/// <summary>
/// Samples a process's resident set (VmRSS in /proc/&lt;pid&gt;/status) every 100 ms and keeps the
/// peak. <see cref="ResetHighWaterMark"/> resets the kernel's own peak (VmHWM) by writing 5 to
/// /proc/&lt;pid&gt;/clear_refs, so that VmHWM read at the end covers only the measured phase.
/// </summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The highest VmRSS sampled, in KiB.</summary>
    public long PeakKb { get; private set; }

    public int Samples { get; private set; }

    /// <summary>Resets VmHWM of <paramref name="pid"/>; false when the kernel refused.</summary>
    public static bool ResetHighWaterMark(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A field of /proc/&lt;pid&gt;/status in KiB (VmRSS, VmHWM), or -1.</summary>
    public static long ReadKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                var rss = ReadKb(_pid, "VmRSS");
                if (rss > 0)
                {
                    PeakKb = Math.Max(PeakKb, rss);
                    Samples++;
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
