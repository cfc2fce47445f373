using DistributedSync.Mongo;
using DistributedSync.TestKit.Processes;

namespace DistributedSync.Daemon.Tests.Support;

/// <summary>
/// The servers a daemon integration test runs its nodes on (<see cref="TestServers"/>): fresh
/// emulator processes, or the real mongod servers named by <c>DISTSYNC_TEST_MONGODB_URIS</c>.
/// Real servers are shared: one test at a time uses them (a process-wide lock held until
/// disposal), and the databases the test names are dropped first so it starts clean. Tests that
/// must kill or pause a node process call <see cref="RequireProcessControl"/> first; with real
/// servers they are skipped.
/// </summary>
internal sealed class NodeServers : IAsyncDisposable
{
    private static readonly SemaphoreSlim ExternalLock = new(1, 1);
    private bool _holdsLock;

    private NodeServers(IReadOnlyList<ITestServer> servers, bool holdsLock)
    {
        Servers = servers;
        _holdsLock = holdsLock;
    }

    public IReadOnlyList<ITestServer> Servers { get; }

    /// <summary>True when the nodes are real servers named by the environment variable.</summary>
    public static bool External => TestServers.UsesExternalServers;

    /// <summary>Skips the test when the nodes are real servers (which it cannot kill or pause).</summary>
    public static void RequireProcessControl(string what)
    {
        if (External)
        {
            Assert.Skip($"This test must {what} a node process; {TestServers.EnvironmentVariable} names external servers, which tests cannot kill or pause.");
        }
    }

    /// <summary>Starts (or takes) <paramref name="count"/> servers; with real servers drops <paramref name="databases"/> on each first.</summary>
    public static async Task<NodeServers> StartAsync(int count, IReadOnlyList<string> databases, CancellationToken ct)
    {
        if (!TestServers.CanProvide(count, out var reason))
        {
            Assert.Skip(reason ?? "Not enough servers.");
        }

        var external = External;
        if (external)
        {
            await ExternalLock.WaitAsync(ct);
        }

        try
        {
            var servers = await TestServers.StartAsync(count, null, ct);
            if (external)
            {
                foreach (var server in servers)
                {
                    await using var client = new MongoClient(server.ConnectionString);
                    foreach (var database in databases)
                    {
                        await client.DropDatabaseAsync(database, null, ct);
                    }
                }
            }

            return new NodeServers(servers, external);
        }
        catch
        {
            if (external)
            {
                ExternalLock.Release();
            }

            throw;
        }
    }

    /// <summary>The emulator process of server <paramref name="index"/> (call <see cref="RequireProcessControl"/> first).</summary>
    public EmulatorProcess Process(int index)
        => Servers[index].Emulator ?? throw new InvalidOperationException("Server " + index + " is an external server; call RequireProcessControl first.");

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        if (_holdsLock)
        {
            _holdsLock = false;
            ExternalLock.Release();
        }
    }
}
