using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Server;

namespace DistributedSync.Emulator.Tests.Server;

/// <summary>An emulator node hosted in the test process on a free port and a temporary data directory.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly string _dbPath;

    private InProcessServer(string dbPath, EmulatorHost host, ServerLog log)
    {
        _dbPath = dbPath;
        Host = host;
        Log = log;
    }

    public EmulatorHost Host { get; }

    /// <summary>The node's log (kept in memory).</summary>
    public ServerLog Log { get; }

    public int Port => Host.Port;

    public static async Task<InProcessServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var dbPath = Path.Combine(Path.GetTempPath(), "distsync-server-" + Guid.NewGuid().ToString("N"));
        options = (options ?? new EmulatorOptions()) with { Port = 0, DbPath = dbPath };
        var log = new ServerLog(null, quiet: options.Quiet);
        var host = await EmulatorHost.StartAsync(options, log, cancellationToken: cancellationToken);
        return new InProcessServer(dbPath, host, log);
    }

    public Task<WireTestClient> ConnectAsync(CancellationToken cancellationToken) => WireTestClient.ConnectAsync(Port, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Log.Dispose();
        try
        {
            Directory.Delete(_dbPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
