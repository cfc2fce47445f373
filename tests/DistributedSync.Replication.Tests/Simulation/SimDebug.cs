using DistributedSync.Bson;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Simulation;

/// <summary>Expensive checks run only while tracing a failing seed, to point at the operation that broke a node.</summary>
internal static class SimDebug
{
    public static void CheckNode(SimNode node, Action<string> trace)
    {
        if (node.Replication.State != ReplicationState.Consistent)
        {
            return;
        }

        var replay = new Dictionary<DocumentKey, BsonDocument>();
        OplogApplier.Apply(replay, node.FullLog.Where(e => e.Position.Index <= node.Replication.Applied.Index));
        var same = replay.Count == node.Data.Count && replay.All(kv => node.Data.TryGetValue(kv.Key, out var d) && d.Equals(kv.Value));
        if (!same)
        {
            trace($"  DEEP CHECK: node {node.Id} is consistent at {node.Replication.Applied} but its data differs from the replay of its history");
        }
    }
}
