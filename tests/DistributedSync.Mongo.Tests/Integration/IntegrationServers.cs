using DistributedSync.TestKit.Processes;
using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>
/// The servers an integration test class runs against, started once per class (TestKit's
/// <see cref="TestServers"/>): every real server named by <c>DISTSYNC_TEST_MONGODB_URIS</c>
/// (whitespace- or ';'-separated <c>mongodb://</c> URIs, each one standalone mongod 6.0-8.x), or
/// else one fresh emulator process. The same tests are the contract both must pass.
/// </summary>
public class IntegrationServers : IAsyncLifetime
{
    private IReadOnlyList<ITestServer> _servers = [];

    /// <summary>The started servers.</summary>
    public IReadOnlyList<ITestServer> Servers => _servers;

    /// <summary>How an emulator process is started (a subclass may ask for <c>--auth</c>).</summary>
    protected virtual EmulatorProcessOptions? EmulatorOptions => null;

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync()
    {
        var count = TestServers.UsesExternalServers ? TestServers.ExternalUris.Count : 1;
        _servers = await TestServers.StartAsync(count, EmulatorOptions, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs <paramref name="scenario"/> against every server, each time in a fresh database dropped afterwards.</summary>
    public async Task ForEachServerAsync(Func<MongoClient, MongoDatabase, CancellationToken, Task> scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var ct = TestContext.Current.CancellationToken;
        foreach (var server in _servers)
        {
            await using var client = new MongoClient(server.ConnectionString);
            var database = client.GetDatabase("distsync_it_" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                await scenario(client, database, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var diagnostics = server.Emulator is { } emulator ? "\nemulator " + emulator.Diagnostics : string.Empty;
                throw new InvalidOperationException($"Against {client.Server}: {ex.Message}{diagnostics}", ex);
            }
            finally
            {
                await DropQuietlyAsync(client, database.Name);
            }
        }
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Drops a test database, ignoring failures (a scenario's own failure matters more).</summary>
    public static async Task DropQuietlyAsync(string connectionString, string databaseName)
    {
        await using var client = new MongoClient(connectionString);
        await DropQuietlyAsync(client, databaseName);
    }

    private static async Task DropQuietlyAsync(MongoClient client, string databaseName)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.DropDatabaseAsync(databaseName, cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (ex is MongoException or OperationCanceledException)
        {
            // The scenario's own failure matters more; the database is temporary.
        }
    }
}
