using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>The named invariants, checked after every step (<see cref="AfterStep"/>) and after healing (<see cref="AfterConvergence"/>).</summary>
internal sealed class InvariantChecker(SimWorld world)
{
    private readonly Dictionary<int, long> _lastTerm = [];

    private Ghost Ghost => world.Ghost;

    public void AfterStep()
    {
        foreach (var node in world.Nodes.Values)
        {
            var before = _lastTerm.GetValueOrDefault(node.Id);
            if (node.Term.Term < before)
            {
                Ghost.Violate("terms never decrease on any node", $"node {node.Id} went from term {before} to {node.Term.Term}");
            }

            _lastTerm[node.Id] = node.Term.Term;
            CheckCommittedPrefix(node);
        }
    }

    /// <summary>
    /// "Committed prefixes agree": below the highest committed entry a node holds, every entry at a
    /// committed index has the committed term. (Above it the node may still hold uncommitted
    /// entries of a deposed master until it rolls back.)
    /// </summary>
    private void CheckCommittedPrefix(SimNode node)
    {
        var log = node.FullLog;
        var anchor = -1;
        for (var i = log.Count - 1; i >= 0; i--)
        {
            if (Ghost.IsCommitted(log[i].Position))
            {
                anchor = i;
                break;
            }
        }

        for (var i = 0; i < anchor; i++)
        {
            var p = log[i].Position;
            if (Ghost.Committed.TryGetValue(p.Index, out var term) && term != p.Term)
            {
                Ghost.Violate("committed prefixes agree", $"node {node.Id} holds {p} below its committed entry {log[anchor].Position}, but index {p.Index} was committed in term {term}");
                return;
            }
        }
    }

    public void AfterConvergence(int masterId)
    {
        var master = world.Nodes[masterId];
        if (!Survive(Ghost.MajorityAcks, "every majority-acknowledged write survives")
            || (world.Config.EveryAcknowledgedWriteSurvives && !Survive(Ghost.MasterAcks, "a daemon crash loses no acknowledged write")))
        {
            return;
        }

        foreach (var (index, term) in Ghost.Committed)
        {
            var at = OplogSearch.FindIndex(master.FullLog, index);
            if (at < 0 || master.FullLog[at].Position.Term != term)
            {
                Ghost.Violate("committed prefixes agree", $"committed ({term}, {index}) is not in the final master {masterId}'s history");
                return;
            }
        }

        foreach (var node in world.Nodes.Values)
        {
            if (!node.FullLog.Select(e => e.Position).SequenceEqual(master.FullLog.Select(e => e.Position)))
            {
                Ghost.Violate("nodes converge to one history", $"node {node.Id} ends at {node.Last} with {node.FullLog.Count} entries, master {masterId} at {master.Last} with {master.FullLog.Count}");
                return;
            }

            var replay = new Dictionary<DocumentKey, BsonDocument>();
            OplogApplier.Apply(replay, node.FullLog);
            if (!SameData(replay, node.Data))
            {
                Ghost.Violate("data matches the oplog", $"node {node.Id}'s data differs from the replay of its oplog: {Diff(replay, node.Data)}");
                return;
            }

            if (!SameData(master.Data, node.Data))
            {
                Ghost.Violate("nodes converge to the same data", $"node {node.Id}'s data differs from master {masterId}'s: {Diff(master.Data, node.Data)}");
                return;
            }
        }
    }

    private bool Survive(List<(long RequestId, OpPosition Position)> acks, string check)
    {
        foreach (var (requestId, position) in acks)
        {
            foreach (var node in world.Nodes.Values)
            {
                var at = OplogSearch.FindIndex(node.FullLog, position.Index);
                if (at < 0 || node.FullLog[at].Position != position)
                {
                    Ghost.Violate(check, $"request {requestId} acknowledged at {position} is missing on node {node.Id} (it holds {(at < 0 ? "nothing" : node.FullLog[at].Position.ToString())} at that index)");
                    return false;
                }
            }
        }

        return true;
    }

    private static bool SameData(Dictionary<DocumentKey, BsonDocument> a, Dictionary<DocumentKey, BsonDocument> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other.Equals(kv.Value));

    private static string Diff(Dictionary<DocumentKey, BsonDocument> expected, Dictionary<DocumentKey, BsonDocument> actual)
    {
        var keys = expected.Keys.Union(actual.Keys).Where(k => !(expected.TryGetValue(k, out var e) && actual.TryGetValue(k, out var a) && e.Equals(a)));
        return string.Join("; ", keys.Take(3).Select(k => $"{k}: expected {expected.GetValueOrDefault(k)?.ToString() ?? "none"}, found {actual.GetValueOrDefault(k)?.ToString() ?? "none"}"));
    }
}
