using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// One incarnation of the daemon: feeds events to the pure <see cref="ClusterDecider"/> and carries
/// out its commands against the simulated nodes. A crash is modelled by dropping the object: every
/// callback checks <see cref="Alive"/>, and the next incarnation starts from a fresh view.
/// </summary>
internal sealed partial class SimHost
{
    public const long OpTimeoutMs = 100;
    public const long RetryMs = 30;
    public const long PollMs = 10;
    public const int FetchBatch = 25;

    private readonly ClusterDecider _decider;
    private readonly Dictionary<int, int> _taskGeneration = [];
    private readonly Dictionary<int, int> _writeGeneration = [];

    public SimHost(SimWorld world, ClusterOptions options, FakeTimeProvider clock, SimStats stats)
    {
        World = world;
        Stats = stats;
        Clock = clock;
        _decider = new ClusterDecider(options, clock);
        View = _decider.CreateInitialView();
    }

    public SimWorld World { get; }

    public FakeTimeProvider Clock { get; }

    public SimStats Stats { get; }

    public ClusterView View { get; private set; }

    public bool Alive { get; set; } = true;

    /// <summary>The daemon's machine is cut off from every node until then (a paused or isolated daemon).</summary>
    public long IsolatedUntilMs { get; set; }

    public OpPosition RecordedCommitPoint { get; private set; }

    private SimNetwork Net => World.Network;

    public void Dispatch(ClusterEvent e)
    {
        if (!Alive)
        {
            return;
        }

        World.Trace?.Invoke($"t={Net.NowMs} host{GetHashCode() % 1000} event {e}");
        var decision = _decider.Decide(View, e);
        var previousMaster = View.MasterId;
        View = decision.View;
        RecordCommit(View.MasterId ?? previousMaster);
        foreach (var command in decision.Commands)
        {
            World.Trace?.Invoke($"  cmd {Describe(command)}");
            Execute(command);
        }
    }

    public void Call<T>(
        int nodeId,
        Func<SimNode, T> op,
        Action<T> onReply,
        Action onTimeout,
        [System.Runtime.CompilerServices.CallerFilePath] string file = "",
        [System.Runtime.CompilerServices.CallerLineNumber] int line = 0)
    {
        var traced = op;
        if (World.Trace is { } trace)
        {
            var hostId = GetHashCode() % 1000;
            traced = n =>
            {
                var result = op(n);
                trace($"t={Net.NowMs} host{hostId} op {Path.GetFileNameWithoutExtension(file)}:{line} on node {n.Id} -> {result}");
                SimDebug.CheckNode(n, trace);
                return result;
            };
        }

        Net.Call(World.Nodes[nodeId], traced, OpTimeoutMs, () => Alive, () => Net.NowMs >= IsolatedUntilMs, onReply, onTimeout);
    }

    public void After(long delayMs, Action action) => Net.Schedule(delayMs, () =>
    {
        if (Alive)
        {
            action();
        }
    });

    public int TaskGeneration(int nodeId) => _taskGeneration.GetValueOrDefault(nodeId);

    private void Execute(ClusterCommand command)
    {
        switch (command)
        {
            case SendHeartbeat c:
                Call(c.NodeId, n => n.ReadStatus(), s => Dispatch(new HeartbeatSucceeded(c.NodeId, c.Sequence, s)), () => Dispatch(new HeartbeatFailed(c.NodeId, c.Sequence)));
                break;
            case WriteTerm c:
                Call(
                    c.NodeId,
                    n => n.CompareAndSetTerm(c.Term, c.MasterId, Clock.GetUtcNow()),
                    r => Dispatch(new TermWriteCompleted(c.NodeId, c.Term, c.MasterId, r.Succeeded, r.Stored, r.Last, r.State)),
                    () => Dispatch(new TermWriteCompleted(c.NodeId, c.Term, c.MasterId, false, null, null)));
                break;
            case CatchUpNode c:
                StartTask(c.NodeId, gen => new SimFollower(this, c.NodeId, c.SourceId, c.Term, c.TermMasterId, SyncTaskKind.CatchingUp, gen).Start());
                break;
            case StartTailing c:
                StartTask(c.NodeId, gen => new SimFollower(this, c.NodeId, c.MasterId, c.Term, c.MasterId, SyncTaskKind.Tailing, gen).Start());
                break;
            case StartRollback c:
                Stats.Rollbacks++;
                StartTask(c.NodeId, gen => new SimRollback(this, c.NodeId, c.SourceId, c.Term, c.ExpectedLast, gen).Start());
                break;
            case StartResync c:
                Stats.Resyncs++;
                StartTask(c.NodeId, gen => new SimResync(this, c.NodeId, c.SourceId, c.Term, c.ExpectedLast, gen).Start());
                break;
            case StopTailing c:
                _taskGeneration[c.NodeId] = TaskGeneration(c.NodeId) + 1;
                break;
            case PromoteNode c:
                Promote(c.NodeId, c.Term);
                break;
            case DemoteNode c:
                Stats.Takeovers += c.Reason == DemotionReason.Takeover ? 1 : 0;
                _writeGeneration[c.NodeId] = _writeGeneration.GetValueOrDefault(c.NodeId) + 1;
                break;
            case AppendBatch c:
                AppendBatch(c);
                break;
            case AcknowledgeWrites c:
                OnAcknowledged(c);
                break;
            case FailWrites c:
                if (c.MayHaveBeenApplied)
                {
                    Stats.FailedMaybeApplied += c.RequestIds.Count;
                }
                else
                {
                    Stats.FailedNotApplied += c.RequestIds.Count;
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown command {command}.");
        }
    }

    private static string Describe(ClusterCommand command) => command switch
    {
        AppendBatch c => $"AppendBatch {{ MasterId = {c.MasterId}, Term = {c.Term}, BatchId = {c.BatchId}, Requests = [{string.Join(", ", c.RequestIds)}] }}",
        AcknowledgeWrites c => $"AcknowledgeWrites {{ Majority = {c.Majority}, UpTo = {c.UpTo}, Writes = [{string.Join(", ", c.Writes.Select(w => $"{w.RequestId}@{w.Position}"))}] }}",
        FailWrites c => $"FailWrites {{ Reason = {c.Reason}, MayHaveBeenApplied = {c.MayHaveBeenApplied}, Requests = [{string.Join(", ", c.RequestIds)}] }}",
        _ => command.ToString(),
    };

    private void StartTask(int nodeId, Action<int> start)
    {
        var gen = TaskGeneration(nodeId) + 1;
        _taskGeneration[nodeId] = gen;
        start(gen);
    }

    private void RecordCommit(int? master)
    {
        if (View.CommitPoint > RecordedCommitPoint && master is not null)
        {
            RecordedCommitPoint = View.CommitPoint;
            World.Ghost.RecordCommit(master.Value, World.Nodes[master.Value].FullLog, View.CommitPoint);
        }
    }

    private void OnAcknowledged(AcknowledgeWrites c)
    {
        Stats.Acknowledged += c.Writes.Count;
        foreach (var w in c.Writes)
        {
            if (w.Position is not { } position)
            {
                continue;
            }

            if (!World.Ghost.EntrySource.TryGetValue(position, out var source) || source.RequestId != w.RequestId)
            {
                World.Ghost.Violate("acknowledged positions hold the acknowledged write", $"request {w.RequestId} acknowledged at {position}, which holds {(World.Ghost.EntrySource.TryGetValue(position, out var s) ? $"request {s.RequestId}" : "no client write")}");
            }

            if (!c.Majority)
            {
                World.Ghost.MasterAcks.Add((w.RequestId, position));
            }
            else
            {
                World.Ghost.MajorityAcks.Add((w.RequestId, position));
                if (!World.Ghost.IsCommitted(position))
                {
                    World.Ghost.Violate("majority acknowledgements are committed", $"request {w.RequestId} acknowledged at {position} beyond the committed history");
                }
            }
        }
    }
}
