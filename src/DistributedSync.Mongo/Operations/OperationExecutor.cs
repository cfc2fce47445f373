using DistributedSync.Bson;
using DistributedSync.Mongo.Connections;
using DistributedSync.Mongo.Pooling;
using DistributedSync.Wire;

namespace DistributedSync.Mongo.Operations;

/// <summary>
/// Runs commands against one server through its pool, turns failed replies into exceptions,
/// and reacts to failures the way server monitoring does: a network error (other than a timeout)
/// or a shutdown error clears the pool, since the server may have restarted. Also keeps the
/// server's latest description and a dedicated connection for cheap heartbeats.
/// </summary>
internal sealed class OperationExecutor : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ConnectionPool _pool;
    private readonly RoundTripTimeAverage _roundTrip = new();
    private readonly SemaphoreSlim _monitorGate = new(1, 1);
    private readonly TimeProvider _time;
    private MongoConnection? _monitor;
    private ServerDescription? _description;
    private int _disposed;

    /// <summary>Creates the executor and its pool.</summary>
    public OperationExecutor(ConnectionSettings connectionSettings, PoolSettings poolSettings)
    {
        _time = connectionSettings.TimeProvider;
        _factory = new ConnectionFactory(connectionSettings, _roundTrip, d => Volatile.Write(ref _description, d));
        _pool = new ConnectionPool(_factory, poolSettings with { TimeProvider = connectionSettings.TimeProvider });
    }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint => _factory.Settings.Endpoint;

    /// <summary>The pool (exposed for diagnostics and tests).</summary>
    public ConnectionPool Pool => _pool;

    /// <summary>The latest handshake's description with the current average round trip; null before the first connection.</summary>
    public ServerDescription? Description
        => Volatile.Read(ref _description) is { } d ? d with { AverageRoundTripTime = _roundTrip.Average } : null;

    /// <summary>Checks out a connection (dispose the lease to check it back in).</summary>
    public Task<PooledConnection> CheckOutAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _pool.CheckOutAsync(cancellationToken);
    }

    /// <summary>Runs one command on a pooled connection and returns its reply when <c>ok</c> is 1.</summary>
    /// <exception cref="MongoCommandException">The server answered <c>ok: 0</c>.</exception>
    public async Task<BsonDocument> RunCommandAsync(
        string database,
        BsonDocument command,
        IReadOnlyList<DocumentSequence>? sequences,
        CancellationToken cancellationToken)
    {
        using var lease = await CheckOutAsync(cancellationToken).ConfigureAwait(false);
        return await RunCommandAsync(lease.Connection, database, command, sequences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one command on a given (checked-out) connection; <paramref name="timeout"/> overrides the socket timeout.</summary>
    /// <exception cref="MongoCommandException">The server answered <c>ok: 0</c>.</exception>
    public async Task<BsonDocument> RunCommandAsync(
        MongoConnection connection,
        string database,
        BsonDocument command,
        IReadOnlyList<DocumentSequence>? sequences,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var reply = await ExchangeAsync(connection, database, command, sequences, cancellationToken, timeout).ConfigureAwait(false);
        if (CommandReplies.IsOk(reply))
        {
            return reply;
        }

        var error = MongoCommandException.FromReply(command[0].Name, reply);
        if (CommandReplies.IsShutdownError(error.Code))
        {
            _pool.Clear();
        }

        throw error;
    }

    /// <summary>Sends a command and returns the reply whatever its <c>ok</c>; network errors clear the pool.</summary>
    public async Task<BsonDocument> ExchangeAsync(
        MongoConnection connection,
        string database,
        BsonDocument command,
        IReadOnlyList<DocumentSequence>? sequences,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("A command needs at least its name field.", nameof(command));
        }

        OpMsgMessage message;
        try
        {
            message = CommandMessage.Create(database, command, sequences);
        }
        catch (ArgumentException ex)
        {
            throw new MongoClientException($"The {command[0].Name} command cannot be sent: {ex.Message}", ex);
        }

        try
        {
            return await connection.ExchangeAsync(message, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MongoConnectionException)
        {
            _pool.Clear();
            throw;
        }
    }

    /// <summary>
    /// Sends <c>{ping: 1}</c> on a connection reserved for heartbeats (opened on first use, and
    /// again after it broke), so that a busy pool does not delay it. The reply must come within
    /// the connect timeout, as for server monitoring. Returns the measured round trip, which also
    /// feeds the server's average. A failure (network error or timeout) clears the pool and
    /// forgets the average, since the server may be down or restarting.
    /// </summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _monitorGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var monitor = _monitor;
            if (monitor is null || monitor.IsClosed)
            {
                monitor = _monitor = await _factory.OpenAsync(_pool.Generation, cancellationToken).ConfigureAwait(false);
            }

            var limit = _factory.Settings.ConnectTimeout;
            var started = _time.GetTimestamp();
            await RunCommandAsync(
                monitor,
                "admin",
                new BsonDocument("ping", 1),
                null,
                cancellationToken,
                limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan ? limit : null).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            _roundTrip.AddSample(elapsed);
            return elapsed;
        }
        catch (Exception ex) when (ex is MongoConnectionException or MongoTimeoutException)
        {
            _monitor?.Close("heartbeat failed");
            _pool.Clear();
            _roundTrip.Reset();
            throw;
        }
        finally
        {
            _monitorGate.Release();
        }
    }

    /// <summary>Clears the pool (for callers that learned the server restarted).</summary>
    public void ClearPool() => _pool.Clear();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _monitor?.Close("client disposed");
        await _pool.DisposeAsync().ConfigureAwait(false);
    }
}
