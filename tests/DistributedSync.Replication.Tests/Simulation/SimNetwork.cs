using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// The simulated world's clock and message scheduler. The daemon reaches every node over its own
/// link; a request or reply can be lost, is delayed by a random time (so messages reorder), and is
/// dropped when the link is cut or the node is down at delivery. A request that reached a running
/// node runs there even if the daemon crashed meanwhile (its reply then goes nowhere).
/// </summary>
internal sealed class SimNetwork(Random random, FakeTimeProvider clock)
{
    private readonly PriorityQueue<Action, (long At, long Seq)> _queue = new();
    private readonly Dictionary<int, long> _cutUntil = [];
    private long _seq;

    public long NowMs { get; private set; }

    public double LossRate { get; set; }

    public int MinDelayMs { get; set; } = 1;

    public int MaxDelayMs { get; set; } = 15;

    /// <summary>Share of messages that take 50-300 ms instead (so replies overtake each other and views go stale).</summary>
    public double SlowRate { get; set; }

    public Random Random { get; } = random;

    public bool LinkUp(int nodeId) => !_cutUntil.TryGetValue(nodeId, out var until) || until <= NowMs;

    public void Cut(int nodeId, long untilMs) => _cutUntil[nodeId] = Math.Max(untilMs, _cutUntil.GetValueOrDefault(nodeId));

    public void HealAll() => _cutUntil.Clear();

    public void Schedule(long delayMs, Action action) => _queue.Enqueue(action, (NowMs + Math.Max(0, delayMs), _seq++));

    public long Delay() => SlowRate > 0 && Random.NextDouble() < SlowRate ? Random.Next(50, 301) : Random.Next(MinDelayMs, MaxDelayMs + 1);

    public bool Lost() => LossRate > 0 && Random.NextDouble() < LossRate;

    /// <summary>Runs every scheduled action up to <paramref name="untilMs"/>, moving the clock with them.</summary>
    public void RunUntil(long untilMs)
    {
        while (_queue.TryPeek(out _, out var key) && key.At <= untilMs)
        {
            var action = _queue.Dequeue();
            Advance(key.At);
            action();
        }

        Advance(untilMs);
    }

    /// <summary>
    /// Sends <paramref name="op"/> to <paramref name="node"/>; exactly one of <paramref name="onReply"/>
    /// and <paramref name="onTimeout"/> runs (unless <paramref name="alive"/> turns false first).
    /// Messages are dropped while <paramref name="reachable"/> (the daemon's own network) is false.
    /// </summary>
    public void Call<T>(SimNode node, Func<SimNode, T> op, long timeoutMs, Func<bool> alive, Func<bool> reachable, Action<T> onReply, Action onTimeout)
    {
        var done = false;
        Schedule(timeoutMs, () =>
        {
            if (!done)
            {
                done = true;
                if (alive())
                {
                    onTimeout();
                }
            }
        });
        if (Lost() || !LinkUp(node.Id) || !reachable())
        {
            return;
        }

        Schedule(Delay(), () =>
        {
            if (!node.Running || !LinkUp(node.Id) || !reachable())
            {
                return;
            }

            var result = op(node);
            if (Lost())
            {
                return;
            }

            Schedule(Delay(), () =>
            {
                if (done || !LinkUp(node.Id) || !reachable())
                {
                    return;
                }

                done = true;
                if (alive())
                {
                    onReply(result);
                }
            });
        });
    }

    private void Advance(long toMs)
    {
        if (toMs > NowMs)
        {
            clock.AdvanceMs(toMs - NowMs);
            NowMs = toMs;
        }
    }
}
