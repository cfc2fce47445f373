using System.Collections.Concurrent;
using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;
using DistributedSync.Emulator.Commands;
using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Storage;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The state one emulator node shares between all its connections: settings, storage, clock,
/// log, counters, users, and a bag of per-server services that command handlers create on first
/// use (<see cref="GetOrAdd{T}"/>, e.g. the cursor manager of the CRUD commands).
/// </summary>
public sealed class ServerState : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, Lazy<object>> _services = new();
    private readonly long _startTimestamp;
    private long _currentConnections;
    private long _totalConnections;

    /// <summary>Creates the state of a node.</summary>
    public ServerState(EmulatorOptions options, StorageEngine storage, ServerLog log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(log);
        Options = options;
        Storage = storage;
        Log = log;
        Time = time ?? TimeProvider.System;
        StartTime = Time.GetUtcNow();
        _startTimestamp = Time.GetTimestamp();
        Users = new UserStore(storage);
        Dispatcher = CommandDispatcher.CreateDefault();
        Port = options.Port;
    }

    /// <summary>The settings.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The node's storage.</summary>
    public StorageEngine Storage { get; }

    /// <summary>The node's log.</summary>
    public ServerLog Log { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>When the node started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>Time since start.</summary>
    public TimeSpan Uptime => Time.GetElapsedTime(_startTimestamp);

    /// <summary>The operation and network counters.</summary>
    public ServerCounters Counters { get; } = new();

    /// <summary>The users (admin.system.users) and their SCRAM credentials.</summary>
    public UserStore Users { get; }

    /// <summary>The registered commands.</summary>
    public CommandDispatcher Dispatcher { get; }

    /// <summary>The port listened on (the real one once listening, also with <c>--port 0</c>).</summary>
    public int Port { get; internal set; }

    /// <summary>True when access control is enforced (<c>--auth</c>).</summary>
    public bool AuthEnabled => Options.Auth;

    /// <summary><c>hostname:port</c>, as serverStatus reports <c>host</c>.</summary>
    public string HostAndPort => Environment.MachineName + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Connections open now.</summary>
    public long CurrentConnections => Interlocked.Read(ref _currentConnections);

    /// <summary>Connections accepted since start.</summary>
    public long TotalConnectionsCreated => Interlocked.Read(ref _totalConnections);

    /// <summary>
    /// Raised when a client ends or kills logical sessions (<c>endSessions</c>, <c>killSessions</c>)
    /// with their <c>lsid</c> documents, so per-session resources (cursors) can be released.
    /// </summary>
    public event Action<IReadOnlyList<BsonDocument>>? SessionsEnded;

    /// <summary>Raised when a client connection closes.</summary>
    public event Action<ConnectionState>? ConnectionClosed;

    /// <summary>
    /// The per-server service of type <typeparamref name="T"/>, created by <paramref name="factory"/>
    /// on first use (exactly once, even under concurrency). Services that are
    /// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are disposed when the server stops.
    /// </summary>
    public T GetOrAdd<T>(Func<ServerState, T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lazy = _services.GetOrAdd(typeof(T), _ => new Lazy<object>(() => factory(this), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)lazy.Value;
    }

    /// <summary>The service of type <typeparamref name="T"/> if it has been created, else null.</summary>
    public T? TryGet<T>()
        where T : class
        => _services.TryGetValue(typeof(T), out var lazy) && lazy.IsValueCreated ? (T)lazy.Value : null;

    /// <summary>Announces ended sessions to <see cref="SessionsEnded"/> subscribers.</summary>
    public void OnSessionsEnded(IReadOnlyList<BsonDocument> sessionIds) => SessionsEnded?.Invoke(sessionIds);

    /// <summary>The serverStatus <c>connections</c> section.</summary>
    public BsonDocument ConnectionsDocument()
    {
        var current = CurrentConnections;
        return new BsonDocument
        {
            { "current", (int)current },
            { "available", (int)Math.Max(0, Options.MaxIncomingConnections - current) },
            { "totalCreated", (int)Math.Min(int.MaxValue, TotalConnectionsCreated) },
            { "rejected", 0 },
            { "active", (int)current },
        };
    }

    /// <summary>Disposes the services created through <see cref="GetOrAdd{T}"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _services.Values)
        {
            if (!lazy.IsValueCreated)
            {
                continue;
            }

            switch (lazy.Value)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _services.Clear();
    }

    /// <summary>Counts a new connection; returns the current count.</summary>
    internal long ConnectionOpened()
    {
        Interlocked.Increment(ref _totalConnections);
        return Interlocked.Increment(ref _currentConnections);
    }

    /// <summary>Counts a closed connection and raises <see cref="ConnectionClosed"/>; returns the current count.</summary>
    internal long ConnectionEnded(ConnectionState connection)
    {
        var current = Interlocked.Decrement(ref _currentConnections);
        ConnectionClosed?.Invoke(connection);
        return current;
    }
}
