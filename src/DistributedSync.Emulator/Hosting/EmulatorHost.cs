using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using DistributedSync.Bson;
using DistributedSync.Emulator.Server;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Hosting;

/// <summary>
/// A running emulator node: storage opened (and locked), the root user provisioned, listeners
/// accepting. Used by the emulator process and by code that embeds a node in-process (tests,
/// the sync service's embedded default). Dispose it to stop: listeners and connections close,
/// storage is flushed and its lock released.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly EmulatorServer _server;
    private int _disposed;

    private EmulatorHost(ServerState state, EmulatorServer server)
    {
        State = state;
        _server = server;
    }

    /// <summary>The node's shared state (storage, log, counters, services).</summary>
    public ServerState State { get; }

    /// <summary>The node's storage.</summary>
    public StorageEngine Storage => State.Storage;

    /// <summary>The settings in force.</summary>
    public EmulatorOptions Options => State.Options;

    /// <summary>The port listened on (the real one when started with port 0).</summary>
    public int Port => _server.Port;

    /// <summary>The addresses listened on.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _server.EndPoints;

    /// <summary>Connections open now.</summary>
    public int OpenConnections => _server.OpenConnections;

    /// <summary>
    /// <c>mongodb://host:port/</c> for the first listening address (loopback for wildcard
    /// addresses), with the root user's credentials when one was configured.
    /// </summary>
    public string ConnectionString
    {
        get
        {
            var address = EndPoints[0].Address;
            if (address.Equals(IPAddress.Any))
            {
                address = IPAddress.Loopback;
            }
            else if (address.Equals(IPAddress.IPv6Any))
            {
                address = IPAddress.IPv6Loopback;
            }

            var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
            var credentials = Options.User is { } user && Options.Password is { } password
                ? Uri.EscapeDataString(user) + ":" + Uri.EscapeDataString(password) + "@"
                : string.Empty;
            return "mongodb://" + credentials + host + ":" + Port.ToString(CultureInfo.InvariantCulture) + "/";
        }
    }

    /// <summary>
    /// Starts a node. The last log line written on success is mongod's "Waiting for connections"
    /// with the real port.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="log">The log to write to (the caller keeps ownership).</param>
    /// <param name="time">The clock, or null for the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="StorageLockedException">Another process uses the data directory.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">An address cannot be bound (e.g. the port is in use).</exception>
    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, ServerLog log, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        LogStartup(options, log);
        var storage = StorageEngine.Open(options.DbPath, new StorageOptions { SyncEveryCommit = options.SyncEveryCommit });
        ServerState? state = null;
        try
        {
            state = new ServerState(options, storage, log, time);
            await ProvisionUsersAsync(state, cancellationToken).ConfigureAwait(false);
            var server = EmulatorServer.Start(state);
            log.Info("NETWORK", 23016, "listener", "Waiting for connections", new BsonDocument { { "port", server.Port }, { "ssl", "off" } });
            return new EmulatorHost(state, server);
        }
        catch
        {
            if (state is not null)
            {
                await state.DisposeAsync().ConfigureAwait(false);
            }

            storage.Dispose();
            throw;
        }
    }

    /// <summary>Stops the node: closes listeners and connections, then storage (releasing its lock).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        await State.DisposeAsync().ConfigureAwait(false);
        State.Log.Info("STORAGE", 4784929, "SignalHandler", "Acquiring the global lock for shutdown");
        State.Storage.Dispose();
        State.Log.Info("STORAGE", 22279, "SignalHandler", "shutdown: removing fs lock...");
    }

    private static void LogStartup(EmulatorOptions options, ServerLog log)
    {
        log.Info("CONTROL", 4615611, "initandlisten", "MongoDB starting", new BsonDocument
        {
            { "pid", Environment.ProcessId },
            { "port", options.Port },
            { "dbPath", options.DbPath },
            { "architecture", Environment.Is64BitProcess ? "64-bit" : "32-bit" },
            { "host", Environment.MachineName },
        });
        log.Info("CONTROL", 23403, "initandlisten", "Build Info", new BsonDocument("buildInfo", new BsonDocument
        {
            { "version", ServerVersion.Version },
            { "gitVersion", ServerVersion.GitVersion },
            { "modules", new BsonArray() },
            { "allocator", "system" },
            { "environment", new BsonDocument { { "distmod", "distributedsync-emulator" }, { "distarch", RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() } } },
        }));
        log.Info("CONTROL", 51765, "initandlisten", "Operating System", new BsonDocument("os", new BsonDocument
        {
            { "name", RuntimeInformation.OSDescription },
            { "version", Environment.OSVersion.VersionString },
        }));
        log.Info("CONTROL", 21951, "initandlisten", "Options set by command line", new BsonDocument("options", options.Parsed));
    }

    private static async Task ProvisionUsersAsync(ServerState state, CancellationToken cancellationToken)
    {
        var options = state.Options;
        if (options.User is { } user && options.Password is { } password)
        {
            var roles = new BsonArray { new BsonDocument { { "role", "root" }, { "db", "admin" } } };
            var changed = await state.Users.EnsureUserAsync("admin", user, password, roles, cancellationToken).ConfigureAwait(false);
            state.Log.Info("ACCESS", 20323, "initandlisten", changed ? "Created or updated the root user" : "The root user is up to date", new BsonDocument
            {
                { "user", user },
                { "db", "admin" },
            });
        }

        if (!options.Auth)
        {
            state.Log.StartupWarning("CONTROL", 22120, "Access control is not enabled for the database. Read and write access to data and configuration is unrestricted", new BsonDocument("tags", new BsonArray { "startupWarnings" }));
        }
        else if (!state.Users.Any())
        {
            state.Log.StartupWarning("ACCESS", 20254, "Access control is enabled but no users exist: every command except the handshake fails until one is created", new BsonDocument("tags", new BsonArray { "startupWarnings" }));
        }
    }
}
