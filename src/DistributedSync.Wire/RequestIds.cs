namespace DistributedSync.Wire;

/// <summary>
/// A process-wide, thread-safe source of message request ids: positive, increasing, and
/// wrapping back to 1 after <see cref="int.MaxValue"/> (0 is never returned, since 0 in
/// <c>responseTo</c> means "not a reply").
/// </summary>
public static class RequestIds
{
    private static int _last;

    /// <summary>The next request id.</summary>
    public static int Next()
    {
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Successor(last);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>The id after <paramref name="last"/>: one more, wrapping from the maximum to 1.</summary>
    internal static int Successor(int last) => last is int.MaxValue or < 0 ? 1 : last + 1;
}
