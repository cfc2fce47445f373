using DistributedSync.Mongo.Connections;

namespace DistributedSync.Mongo.Pooling;

/// <summary>
/// A connection checked out of a pool. Disposing it checks the connection back in (or closes it
/// when it broke, or when the pool was cleared or disposed meanwhile). Dispose exactly once.
/// </summary>
internal sealed class PooledConnection : IDisposable
{
    private readonly ConnectionPool _pool;
    private int _returned;

    /// <summary>Wraps a checked-out connection.</summary>
    public PooledConnection(ConnectionPool pool, MongoConnection connection)
    {
        _pool = pool;
        Connection = connection;
    }

    /// <summary>The connection.</summary>
    public MongoConnection Connection { get; }

    /// <summary>The pool the connection belongs to.</summary>
    public ConnectionPool Pool => _pool;

    /// <summary>Checks the connection back in.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _returned, 1) == 0)
        {
            _pool.CheckIn(Connection);
        }
    }
}
