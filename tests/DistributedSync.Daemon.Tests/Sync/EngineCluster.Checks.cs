using System.Diagnostics;
using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Mongo;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>The end-of-scenario check: every live slave's application database equals the master's, by dbHash.</summary>
internal sealed partial class EngineCluster
{
    /// <summary>How long <see cref="AssertSlavesMatchMasterAsync"/> waits for convergence by default.</summary>
    public static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <c>dbHash</c> on the application database of the master and of every live slave (as
    /// <c>/status</c> shows them) and compares the per-collection MD5s, polling until they are
    /// equal or <paramref name="timeout"/> passes (then the test fails naming the first
    /// difference). A collection present on one side only counts as equal when the other side's
    /// copy would be empty (a resync copies documents, not empty collections). At least one slave
    /// must be compared.
    /// </summary>
    public Task AssertSlavesMatchMasterAsync(TimeSpan? timeout = null) => AssertSlavesMatchMasterAsync(Engine.GetStatus, Clients, timeout);

    /// <summary>
    /// <see cref="AssertSlavesMatchMasterAsync(TimeSpan?)"/> for any engine: <paramref name="status"/>
    /// gives the master and the live nodes, <paramref name="clients"/> reach node id i at index i - 1.
    /// </summary>
    public static async Task AssertSlavesMatchMasterAsync(Func<ClusterStatus> status, IReadOnlyList<MongoClient> clients, TimeSpan? timeout = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var limit = timeout ?? ConvergenceTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var difference = await FindDifferenceAsync(status(), clients, ct);
            if (difference is null)
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"The slaves did not converge to the master within {limit}: {difference}");
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>The per-collection MD5s of a node's application database (<c>dbHash</c>'s <c>collections</c>).</summary>
    public static async Task<Dictionary<string, string>> DbHashAsync(MongoClient client, CancellationToken ct)
    {
        var reply = await client.GetDatabase(Database).RunCommandAsync(new BsonDocument("dbHash", 1), null, ct);
        return ((BsonDocument)reply["collections"]).ToDictionary(e => e.Name, e => ((BsonString)e.Value).Value, StringComparer.Ordinal);
    }

    private static async Task<string?> FindDifferenceAsync(ClusterStatus status, IReadOnlyList<MongoClient> clients, CancellationToken ct)
    {
        if (status.MasterId is not int master)
        {
            return "no master is serving";
        }

        var slaves = status.Nodes.Where(n => n.Alive && n.Id != master).Select(n => n.Id).ToList();
        if (slaves.Count == 0)
        {
            return "no live slave to compare";
        }

        try
        {
            var expected = await DbHashAsync(clients[master - 1], ct);
            foreach (var slave in slaves)
            {
                var actual = await DbHashAsync(clients[slave - 1], ct);
                foreach (var name in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
                {
                    var want = expected.GetValueOrDefault(name);
                    var have = actual.GetValueOrDefault(name);
                    if (want == have
                        || (want is null && await CountAsync(clients[slave - 1], name, ct) == 0)
                        || (have is null && await CountAsync(clients[master - 1], name, ct) == 0))
                    {
                        continue;
                    }

                    return $"collection '{name}': master {master} has md5 {want ?? "(no collection)"}, slave {slave} has {have ?? "(no collection)"}";
                }
            }
        }
        catch (MongoException e)
        {
            return $"dbHash failed: {e.Message}";
        }

        return null;
    }

    private static Task<long> CountAsync(MongoClient client, string collection, CancellationToken ct)
        => client.GetDatabase(Database).GetCollection(collection).CountDocumentsAsync(new BsonDocument(), null, ct);
}
