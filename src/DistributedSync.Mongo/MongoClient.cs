using DistributedSync.Bson;
using DistributedSync.Mongo.Configuration;
using DistributedSync.Mongo.Connections;
using DistributedSync.Mongo.Operations;
using DistributedSync.Mongo.Pooling;
using DistributedSync.Wire;

namespace DistributedSync.Mongo;

/// <summary>
/// A client for one MongoDB server (a standalone, connected to directly): a connection pool,
/// the handshake and authentication on each connection, and the CRUD and admin API through
/// <see cref="GetDatabase"/>. Thread safe; create one per server and keep it for the life of
/// the process. A connection string with several hosts is refused: each standalone node is an
/// independent server, so create one client per host with <see cref="CreatePerHost(string)"/>.
/// Nothing is sent until the first operation; nothing is retried behind the caller's back.
/// </summary>
/// <example>
/// <code>
/// await using var client = new MongoClient("mongodb://app:secret@db1:27017/?authSource=admin&amp;maxPoolSize=20");
/// var events = client.GetDatabase("sync").GetCollection("events");
/// await events.InsertOneAsync(new BsonDocument { { "kind", "start" }, { "at", DateTime.UtcNow } });
/// await foreach (var e in await events.FindAsync(new BsonDocument("kind", "start")))
/// {
///     Console.WriteLine(e);
/// }
/// </code>
/// </example>
public sealed class MongoClient : IAsyncDisposable, IDisposable
{
    private readonly OperationExecutor _executor;

    /// <summary>Parses <paramref name="connectionString"/> and creates the client (nothing is sent yet).</summary>
    /// <exception cref="MongoConnectionStringException">The connection string is invalid.</exception>
    /// <exception cref="ArgumentException">The connection string names more than one host.</exception>
    public MongoClient(string connectionString)
        : this(MongoConnectionString.Parse(connectionString))
    {
    }

    /// <summary>Creates the client for the single host of <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string names more than one host.</exception>
    /// <exception cref="NotSupportedException">A <c>mongodb+srv://</c> string or <c>loadBalanced=true</c>.</exception>
    public MongoClient(MongoConnectionString connectionString)
        : this(connectionString, SingleHost(connectionString), TimeProvider.System)
    {
    }

    internal MongoClient(MongoConnectionString connectionString, MongoHost server, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(server);
        if (connectionString.LoadBalanced)
        {
            throw new NotSupportedException("Load-balanced connections are not supported; connect to each server directly.");
        }

        Server = server;
        WriteConcern = new WriteConcern
        {
            W = connectionString.W?.Count,
            WMode = connectionString.W?.Tag,
            WTimeout = connectionString.WTimeout,
            Journal = connectionString.Journal,
        };
        ReadConcern = connectionString.ReadConcernLevel is { Length: > 0 } level ? new ReadConcern(level) : null;
        var connection = new ConnectionSettings
        {
            Server = server,
            ConnectTimeout = connectionString.ConnectTimeout,
            SocketTimeout = Bounded(connectionString.SocketTimeout),
            Tls = connectionString.Tls,
            TlsCAFile = connectionString.TlsCAFile,
            TlsAllowInvalidCertificates = connectionString.TlsAllowInvalidCertificates,
            TlsAllowInvalidHostnames = connectionString.TlsAllowInvalidHostnames,
            ApplicationName = connectionString.AppName,
            Credential = connectionString.Credential,
            TimeProvider = timeProvider,
        };
        var pool = new PoolSettings
        {
            MaxPoolSize = connectionString.MaxPoolSize,
            MinPoolSize = connectionString.MinPoolSize,
            MaxIdleTime = Bounded(connectionString.MaxIdleTime),
            WaitQueueTimeout = connectionString.WaitQueueTimeout,
            ServerSelectionTimeout = connectionString.ServerSelectionTimeout,
            TimeProvider = timeProvider,
        };
        _executor = new OperationExecutor(connection, pool);
    }

    /// <summary>The server this client talks to.</summary>
    public MongoHost Server { get; }

    /// <summary>
    /// What the server said in the latest handshake, with the current average round-trip time;
    /// null until a first connection was made (see <see cref="ConnectAsync"/>).
    /// </summary>
    public ServerDescription? ServerDescription => _executor.Description;

    /// <summary>The default write concern (from the connection string's <c>w</c>, <c>wTimeoutMS</c>, <c>journal</c>).</summary>
    public WriteConcern WriteConcern { get; }

    /// <summary>The default read concern (from <c>readConcernLevel</c>), or null.</summary>
    public ReadConcern? ReadConcern { get; }

    internal OperationExecutor Executor => _executor;

    /// <summary>Creates one independent client per host of <paramref name="connectionString"/>, sharing its options and credential.</summary>
    /// <exception cref="MongoConnectionStringException">The connection string is invalid.</exception>
    public static IReadOnlyList<MongoClient> CreatePerHost(string connectionString)
        => CreatePerHost(MongoConnectionString.Parse(connectionString));

    /// <summary>Creates one independent client per host of <paramref name="connectionString"/>, sharing its options and credential.</summary>
    public static IReadOnlyList<MongoClient> CreatePerHost(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return [.. connectionString.ResolveSeedList().Select(host => new MongoClient(connectionString, host, TimeProvider.System))];
    }

    /// <summary>A database (nothing is sent).</summary>
    public MongoDatabase GetDatabase(string name) => new(this, name, WriteConcern, ReadConcern);

    /// <summary>Runs a command against <paramref name="database"/>; see <see cref="MongoDatabase.RunCommandAsync"/>.</summary>
    /// <exception cref="MongoCommandException">The server answered <c>ok: 0</c>.</exception>
    public Task<BsonDocument> RunCommandAsync(string database, BsonDocument command, IEnumerable<DocumentSequence>? sequences = null, CancellationToken cancellationToken = default)
        => GetDatabase(database).RunCommandAsync(command, sequences, cancellationToken);

    /// <summary>
    /// Opens a pooled connection now (handshake and authentication included) and returns the
    /// server's description: a way to fail fast on a wrong address or credential.
    /// </summary>
    public async Task<ServerDescription> ConnectAsync(CancellationToken cancellationToken = default)
    {
        using (await _executor.CheckOutAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        return ServerDescription ?? throw new InvalidOperationException("A connection was opened without a server description.");
    }

    /// <summary>
    /// Sends <c>{ping: 1}</c> on a connection reserved for heartbeats (so a busy pool does not
    /// delay it) and returns the round-trip time, which also updates
    /// <see cref="Connections.ServerDescription.AverageRoundTripTime"/>.
    /// </summary>
    /// <exception cref="MongoConnectionException">The server is unreachable (the pool is cleared too).</exception>
    /// <exception cref="MongoTimeoutException">No reply within the connect or socket timeout.</exception>
    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default) => _executor.PingAsync(cancellationToken);

    /// <summary>The <c>listDatabases</c> entries (name, sizeOnDisk, empty), optionally filtered.</summary>
    public async Task<IReadOnlyList<BsonDocument>> ListDatabasesAsync(BsonDocument? filter = null, CancellationToken cancellationToken = default)
    {
        var reply = await ListDatabasesCoreAsync(filter, nameOnly: false, cancellationToken).ConfigureAwait(false);
        return reply.GetValueOrDefault("databases") is BsonArray databases ? [.. databases.OfType<BsonDocument>()] : [];
    }

    /// <summary>The names of the databases.</summary>
    public async Task<IReadOnlyList<string>> ListDatabaseNamesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ListDatabasesCoreAsync(null, nameOnly: true, cancellationToken).ConfigureAwait(false);
        return reply.GetValueOrDefault("databases") is BsonArray databases
            ? [.. databases.OfType<BsonDocument>().Select(d => d.GetValueOrDefault("name")).OfType<BsonString>().Select(s => s.Value)]
            : [];
    }

    /// <summary>Drops a database.</summary>
    public Task DropDatabaseAsync(string name, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
        => GetDatabase(name).DropAsync(writeConcern, cancellationToken);

    /// <summary>Closes every connection; operations in flight fail and later ones throw <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync() => _executor.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _executor.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The server address (never credentials).</summary>
    public override string ToString() => $"MongoClient({Server})";

    private Task<BsonDocument> ListDatabasesCoreAsync(BsonDocument? filter, bool nameOnly, CancellationToken cancellationToken)
    {
        var command = new BsonDocument("listDatabases", 1).AddIf("filter", filter);
        if (nameOnly)
        {
            command.Add("nameOnly", true);
        }

        return RunCommandAsync("admin", command, null, cancellationToken);
    }

    private static MongoHost SingleHost(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var hosts = connectionString.ResolveSeedList();
        return hosts.Count == 1
            ? hosts[0]
            : throw new ArgumentException(
                $"The connection string names {hosts.Count} hosts; a MongoClient talks to one standalone server. Use MongoClient.CreatePerHost for one client per host.",
                nameof(connectionString));
    }

    private static TimeSpan? Bounded(TimeSpan value) => value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan ? value : null;
}
