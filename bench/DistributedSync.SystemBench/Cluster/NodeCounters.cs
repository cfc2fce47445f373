using DistributedSync.Bson;
using DistributedSync.Mongo;

namespace DistributedSync.SystemBench.Cluster;

/// <summary>
/// A node's request and operation counters from <c>serverStatus</c> (network.numRequests and
/// opcounters), to tell how many round trips the daemon makes per written document.
/// </summary>
internal sealed record NodeCounters(long Requests, long Insert, long Query, long Update, long Delete, long GetMore, long Command)
{
    public static async Task<NodeCounters> ReadAsync(MongoClient client, CancellationToken ct)
    {
        var status = await client.RunCommandAsync("admin", new BsonDocument { { "serverStatus", 1 }, { "network", 1 }, { "opcounters", 1 } }, null, ct).ConfigureAwait(false);
        var ops = status["opcounters"].AsDocument;
        return new NodeCounters(
            status["network"].AsDocument["numRequests"].ToInt64(),
            ops["insert"].ToInt64(),
            ops["query"].ToInt64(),
            ops["update"].ToInt64(),
            ops["delete"].ToInt64(),
            ops["getmore"].ToInt64(),
            ops["command"].ToInt64());
    }

    /// <summary>Reads the counters of the nodes <paramref name="ids"/> (by node id).</summary>
    public static async Task<Dictionary<int, NodeCounters>> ReadAllAsync(BenchCluster cluster, IEnumerable<int> ids, CancellationToken ct)
    {
        var result = new Dictionary<int, NodeCounters>();
        foreach (var id in ids)
        {
            await using var client = cluster.Direct(id, 1);
            result[id] = await ReadAsync(client, ct).ConfigureAwait(false);
        }

        return result;
    }

    public static NodeCounters operator -(NodeCounters a, NodeCounters b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Requests - b.Requests, a.Insert - b.Insert, a.Query - b.Query, a.Update - b.Update, a.Delete - b.Delete, a.GetMore - b.GetMore, a.Command - b.Command);
    }

    /// <summary>"2.01 requests (find 1.00, update 1.00, insert 1.00 docs, ...)" per document.</summary>
    public string PerDocument(long documents)
    {
        double Per(long n) => (double)n / Math.Max(1, documents);
        return System.FormattableString.Invariant(
            $"{Per(Requests):F2} requests/doc (find {Per(Query):F2}, update stmts {Per(Update):F2}, inserted docs {Per(Insert):F2}, getMore {Per(GetMore):F2}, other commands {Per(Command):F2})");
    }

    public NodeCounters Subtract(NodeCounters other) => this - other;
}
