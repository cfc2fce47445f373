using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>
/// Test-only global knowledge no real component has: which node wrote as master in each term,
/// the committed history, which request each entry came from, and every acknowledgement.
/// Broken rules are collected as named violations and reported by the runner with seed and step.
/// </summary>
internal sealed class Ghost
{
    private readonly Dictionary<long, int> _masterOfTerm = [];
    private readonly Dictionary<long, long> _committed = [];

    public List<(string Check, string Message)> Violations { get; } = [];

    /// <summary>Position → (request id, value) of every client write appended by a master.</summary>
    public Dictionary<OpPosition, (long RequestId, long Value)> EntrySource { get; } = [];

    /// <summary>Every majority acknowledgement: request and position.</summary>
    public List<(long RequestId, OpPosition Position)> MajorityAcks { get; } = [];

    /// <summary>Every w=1 acknowledgement that wrote something: request and position.</summary>
    public List<(long RequestId, OpPosition Position)> MasterAcks { get; } = [];

    public long CommittedMaxIndex { get; private set; }

    public IReadOnlyDictionary<long, long> Committed => _committed;

    public void Violate(string check, string message) => Violations.Add((check, message));

    /// <summary>A node appended entries of <paramref name="term"/> as that term's master.</summary>
    public void RecordMasterWrite(long term, int nodeId)
    {
        if (_masterOfTerm.TryGetValue(term, out var other) && other != nodeId)
        {
            Violate("at most one master per term", $"nodes {other} and {nodeId} both wrote as master in term {term}");
            return;
        }

        _masterOfTerm[term] = nodeId;
    }

    /// <summary>The decider announced <paramref name="commitPoint"/> while <paramref name="masterLog"/> was its master's whole history.</summary>
    public void RecordCommit(int masterId, IReadOnlyList<OplogEntry> masterLog, OpPosition commitPoint)
    {
        var found = false;
        foreach (var entry in masterLog)
        {
            if (entry.Position.Index > commitPoint.Index)
            {
                break;
            }

            found |= entry.Position == commitPoint;
            if (_committed.TryGetValue(entry.Position.Index, out var term) && term != entry.Position.Term)
            {
                Violate("committed prefixes agree", $"index {entry.Position.Index} was committed with term {term}, master {masterId} now commits it with term {entry.Position.Term}");
            }

            _committed[entry.Position.Index] = entry.Position.Term;
        }

        if (!found)
        {
            Violate("commit point is in the master's oplog", $"commit point {commitPoint} is not in master {masterId}'s history");
        }

        CommittedMaxIndex = Math.Max(CommittedMaxIndex, commitPoint.Index);
    }

    public bool IsCommitted(OpPosition position)
        => _committed.TryGetValue(position.Index, out var term) && term == position.Term;
}
