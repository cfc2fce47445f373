using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Mongo;

namespace DistributedSync.SystemBench.Workload;

/// <summary>
/// Watches one slave's copy of a collection with our client, straight to the slave's node, and
/// notes when each sequence number becomes visible there (the Stopwatch timestamp at which the
/// query that found it answered). It looks up the lowest sequence number neither seen nor failed
/// by its exact <c>_id</c> (the emulator answers that from its primary key; a range query such as
/// <c>{_id: {$gte: low}}</c> scans the whole collection and made the watchers, not the
/// replication, the slaves' main CPU load), moves to the next one at once when found, and pauses
/// <c>pollMs</c> when not. A document applied before a lower sequence number is therefore noted
/// only once the lower one is visible: the figure can only err towards a longer lag.
/// </summary>
internal sealed class VisibilityWatcher : IAsyncDisposable
{
    private readonly MongoCollection _collection;
    private readonly WriteLog _log;
    private readonly TimeSpan _pause;
    private readonly long[] _visibleAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _low = 1;
    private volatile bool _draining;

    public VisibilityWatcher(int nodeId, MongoClient client, string database, string collection, WriteLog log, double pollMs)
    {
        NodeId = nodeId;
        _collection = client.GetDatabase(database).GetCollection(collection);
        _log = log;
        _pause = TimeSpan.FromMilliseconds(pollMs);
        _visibleAt = new long[log.Capacity + 1];
        _loop = Task.Run(LoopAsync);
    }

    public int NodeId { get; }

    public long Polls { get; private set; }

    /// <summary>When <paramref name="seq"/> was first seen (0: not seen).</summary>
    public long VisibleAt(int seq) => Volatile.Read(ref _visibleAt[seq]);

    /// <summary>Waits until every acknowledged write has been seen (or <paramref name="timeout"/>), then stops.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        _draining = true;
        var done = await Task.WhenAny(_loop, Task.Delay(timeout)).ConfigureAwait(false) == _loop;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        var options = new FindOptions { Projection = new BsonDocument("_id", 1), Limit = 1 };
        while (!ct.IsCancellationRequested)
        {
            AdvanceLow();
            if (_draining && _low > _log.Highest && AllSettled())
            {
                return;
            }

            var found = false;
            if (_low <= _log.Highest)
            {
                try
                {
                    // An exact _id: the node answers from its primary key, whatever the collection's size.
                    var document = await _collection.FindOneAsync(new BsonDocument("_id", _low), options, ct).ConfigureAwait(false);
                    Polls++;
                    if (document is not null)
                    {
                        Volatile.Write(ref _visibleAt[_low], Stopwatch.GetTimestamp());
                        found = true;
                    }
                }
                catch (MongoException)
                {
                    // The node is restarting or busy; try again.
                }
            }

            if (!found)
            {
                await Task.Delay(_pause, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void AdvanceLow()
    {
        var highest = _log.Highest;
        while (_low <= highest && (_visibleAt[_low] != 0 || _log.State(_low) == WriteLog.Failed))
        {
            _low++;
        }
    }

    // Every write up to the highest sent has been answered (none is still in flight).
    private bool AllSettled()
    {
        for (var seq = Math.Max(1, _log.Highest - 1024); seq <= _log.Highest; seq++)
        {
            if (_log.State(seq) == WriteLog.Pending)
            {
                return false;
            }
        }

        return true;
    }
}
