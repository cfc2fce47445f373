using DistributedSync.Mongo.Connections;

namespace DistributedSync.Mongo.Pooling;

/// <summary>
/// The connections to one server (after the CMAP specification): at most
/// <see cref="PoolSettings.MaxPoolSize"/> at once, handed out first-come first-served, with a
/// bounded wait; idle ones reused most-recent first and closed after
/// <see cref="PoolSettings.MaxIdleTime"/>; a background task keeping
/// <see cref="PoolSettings.MinPoolSize"/> open. <see cref="Clear"/> starts a new generation:
/// every connection of an older one is closed instead of being reused. The pool never retries:
/// a failure is reported to the caller.
/// </summary>
internal sealed partial class ConnectionPool : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly PoolSettings _settings;
    private readonly PermitQueue _permits;
    private readonly Lock _gate = new();
    private readonly LinkedList<MongoConnection> _idle = new();
    private readonly ITimer? _maintenanceTimer;
    private readonly CancellationTokenSource _disposeCts = new();
    private int _generation;
    private int _total;
    private int _pending;
    private int _maintaining;
    private bool _disposed;

    /// <summary>Creates the pool and, when a minimum size is set, its background task.</summary>
    public ConnectionPool(ConnectionFactory factory, PoolSettings settings)
    {
        _factory = factory;
        _settings = settings;
        _permits = new PermitQueue(settings.MaxPoolSize <= 0 ? int.MaxValue : settings.MaxPoolSize);
        if (settings.MinPoolSize > 0 || settings.MaxIdleTime is { } idle && idle > TimeSpan.Zero && idle != Timeout.InfiniteTimeSpan)
        {
            _maintenanceTimer = settings.TimeProvider.CreateTimer(
                static state => ((ConnectionPool)state!).StartMaintenance(), this, TimeSpan.Zero, settings.MaintenanceInterval);
        }
    }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Endpoint => _factory.Settings.Endpoint;

    /// <summary>The current generation (incremented by <see cref="Clear"/>).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Open connections, in use or idle, plus those being opened.</summary>
    public int TotalCount => Volatile.Read(ref _total);

    /// <summary>Idle connections ready for reuse.</summary>
    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>Callers waiting for a connection.</summary>
    public int WaitQueueLength => _permits.WaitingCount;

    /// <summary>
    /// Checks out a connection: an idle one when available (stale, broken or expired ones are
    /// closed on the way), else a new one, waiting in line while the pool is full.
    /// </summary>
    /// <exception cref="MongoTimeoutException">No connection became free in time (<see cref="MongoTimeoutKind.WaitQueue"/> or <see cref="MongoTimeoutKind.ServerSelection"/>), or opening timed out.</exception>
    /// <exception cref="MongoConnectionException">A new connection could not be opened; the pool is cleared.</exception>
    /// <exception cref="ObjectDisposedException">The pool was disposed.</exception>
    public async Task<PooledConnection> CheckOutAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var (wait, kind) = EffectiveWait();

        if (!await _permits.AcquireAsync(wait, _settings.TimeProvider, cancellationToken).ConfigureAwait(false))
        {
            throw new MongoTimeoutException(
                kind,
                Endpoint,
                wait,
                $"Timed out after {wait.TotalMilliseconds:0} ms waiting for a connection to {Endpoint}: all {_settings.MaxPoolSize} pooled connections are in use.");
        }

        try
        {
            while (TakeIdle() is { } idle)
            {
                if (PerishedReason(idle) is { } reason)
                {
                    Discard(idle, reason);
                    continue;
                }

                return new PooledConnection(this, idle);
            }

            return new PooledConnection(this, await OpenAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            _permits.Release();
            throw;
        }
    }

    /// <summary>
    /// Starts a new generation and closes every idle connection; connections in use are closed
    /// when they come back. Called after a network error, since the server may have restarted.
    /// </summary>
    public void Clear()
    {
        MongoConnection[] idle;
        lock (_gate)
        {
            _generation++;
            idle = [.. _idle];
            _idle.Clear();
            _total -= idle.Length;
        }

        foreach (var connection in idle)
        {
            connection.Close("pool cleared");
        }
    }

    /// <summary>Closes idle connections now and the others as they come back; fails waiters.</summary>
    public async ValueTask DisposeAsync()
    {
        MongoConnection[] idle;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
            _total -= idle.Length;
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        if (_maintenanceTimer is not null)
        {
            await _maintenanceTimer.DisposeAsync().ConfigureAwait(false);
        }

        _permits.Close();
        foreach (var connection in idle)
        {
            connection.Close("pool disposed");
        }

        _disposeCts.Dispose();
    }

    /// <summary>Takes back a connection from a <see cref="PooledConnection"/>.</summary>
    internal void CheckIn(MongoConnection connection)
    {
        string? reason;
        lock (_gate)
        {
            reason = _disposed ? "pool disposed"
                : connection.IsClosed ? null
                : connection.Generation != _generation ? "stale generation"
                : string.Empty;
            if (reason == string.Empty)
            {
                _idle.AddFirst(connection);
            }
            else
            {
                _total--;
            }
        }

        if (reason is { Length: > 0 })
        {
            connection.Close(reason);
        }

        _permits.Release();
    }

    private async Task<MongoConnection> OpenAsync(CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            generation = _generation;
            _total++;
            _pending++;
        }

        try
        {
            var connection = await _factory.OpenAsync(generation, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _pending--;
            }

            return connection;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _pending--;
                _total--;
            }

            // The server may be down or restarted: connections opened before are suspect too.
            if (ex is MongoConnectionException or MongoTimeoutException { Kind: MongoTimeoutKind.Connect })
            {
                Clear();
            }

            throw;
        }
    }

    private (TimeSpan Wait, MongoTimeoutKind Kind) EffectiveWait()
    {
        static bool Bounded(TimeSpan t) => t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan;
        var queue = _settings.WaitQueueTimeout;
        var selection = _settings.ServerSelectionTimeout;
        if (Bounded(queue) && (!Bounded(selection) || queue <= selection))
        {
            return (queue, MongoTimeoutKind.WaitQueue);
        }

        return Bounded(selection)
            ? (selection, MongoTimeoutKind.ServerSelection)
            : (Timeout.InfiniteTimeSpan, MongoTimeoutKind.WaitQueue);
    }

    private MongoConnection? TakeIdle()
    {
        lock (_gate)
        {
            if (_idle.First is not { } first)
            {
                return null;
            }

            _idle.RemoveFirst();
            return first.Value;
        }
    }

    private void Discard(MongoConnection connection, string reason)
    {
        lock (_gate)
        {
            _total--;
        }

        connection.Close(reason);
    }

    private string? PerishedReason(MongoConnection connection)
    {
        if (connection.IsClosed)
        {
            return "broken";
        }

        if (connection.Generation != Generation)
        {
            return "stale generation";
        }

        if (connection.PeerHasClosed())
        {
            return "closed by the server while idle";
        }

        return _settings.MaxIdleTime is { } maxIdle && maxIdle > TimeSpan.Zero && maxIdle != Timeout.InfiniteTimeSpan
            && _settings.TimeProvider.GetElapsedTime(connection.LastUsedTimestamp) > maxIdle
            ? "idle too long"
            : null;
    }
}
