using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Sync;

/// <summary>Binary search over an ascending list of oplog entries.</summary>
public static class OplogSearch
{
    /// <summary>The list position of the entry with oplog index <paramref name="index"/>, or -1.</summary>
    public static int FindIndex(IReadOnlyList<OplogEntry> entries, long index)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var lo = 0;
        var hi = entries.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var at = entries[mid].Position.Index;
            if (at == index)
            {
                return mid;
            }

            if (at < index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The list position of the first entry with an oplog index greater than <paramref name="index"/> (Count when none).</summary>
    public static int FirstAfter(IReadOnlyList<OplogEntry> entries, long index)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var lo = 0;
        var hi = entries.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (entries[mid].Position.Index <= index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
