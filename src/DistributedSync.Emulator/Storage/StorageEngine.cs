using System.Collections.Immutable;
using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using Microsoft.Data.Sqlite;

namespace DistributedSync.Emulator.Storage;

/// <summary>
/// One node's durable storage: a single SQLite database in WAL mode under <c>--dbpath</c>,
/// guarded by an exclusive lock file so that two processes never share a dbpath. Writes are
/// serialised through one writer connection with group commit (<see cref="WriteAsync{T}"/>);
/// reads run on their own connections against a consistent snapshot (<see cref="OpenRead"/>).
/// </summary>
public sealed partial class StorageEngine : IDisposable
{
    private const string DatabaseFileName = "emulator.sqlite";
    private const string LockFileName = "mongod.lock";

    private readonly FileStream _lockFile;
    private readonly string _connectionString;
    private readonly object _publishLock = new();
    private readonly WriteQueue _writes;
    private StorageState _state;
    private TaskCompletionSource _commitSignal = NewSignal();

    private StorageEngine(string dbPath, FileStream lockFile, StorageOptions options)
    {
        DbPath = dbPath;
        Options = options;
        _lockFile = lockFile;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dbPath, DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        using (var setup = OpenConnection())
        {
            Execute(setup, "PRAGMA journal_mode=WAL;");
            Execute(setup, "CREATE TABLE IF NOT EXISTS _catalog (ns TEXT PRIMARY KEY, db TEXT NOT NULL, coll TEXT NOT NULL, tid INTEGER NOT NULL UNIQUE, uuid BLOB NOT NULL, options BLOB NOT NULL, indexes BLOB NOT NULL);");
            _state = LoadState(setup);
        }

        _writes = new WriteQueue(this, OpenConnection(), options);
    }

    /// <summary>The data directory.</summary>
    public string DbPath { get; }

    /// <summary>The settings in force.</summary>
    public StorageOptions Options { get; }

    /// <summary>
    /// Opens (creating if needed) the storage under <paramref name="dbPath"/>. Throws
    /// <see cref="StorageLockedException"/> when another process holds the dbpath.
    /// </summary>
    public static StorageEngine Open(string dbPath, StorageOptions? options = null)
    {
        Directory.CreateDirectory(dbPath);
        var lockPath = Path.Combine(dbPath, LockFileName);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StorageLockedException(
                $"Unable to lock the data directory '{Path.GetFullPath(dbPath)}': another emulator process is already using it ({ex.Message}).", ex);
        }

        try
        {
            lockFile.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            lockFile.Write(pid);
            lockFile.Flush(flushToDisk: true);
            return new StorageEngine(dbPath, lockFile, options ?? new StorageOptions());
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The collection, or null when it does not exist.</summary>
    public CollectionInfo? GetCollection(string database, string collection)
        => Volatile.Read(ref _state).Collections.TryGetValue(database + "." + collection, out var s) ? s.Info : null;

    /// <summary>Document count and total BSON size of a collection (0, 0 when absent).</summary>
    public (long Count, long Bytes) GetCounters(string database, string collection)
        => Volatile.Read(ref _state).Collections.TryGetValue(database + "." + collection, out var s) ? (s.Count, s.Bytes) : (0, 0);

    /// <summary>The collections of a database, ordered by name.</summary>
    public IReadOnlyList<CollectionInfo> ListCollections(string database)
        => [.. Volatile.Read(ref _state).Collections.Values.Where(s => s.Info.Database == database).Select(s => s.Info).OrderBy(i => i.Name, StringComparer.Ordinal)];

    /// <summary>The names of the databases that have at least one collection, ordered.</summary>
    public IReadOnlyList<string> ListDatabases()
        => [.. Volatile.Read(ref _state).Collections.Values.Select(s => s.Info.Database).Distinct().OrderBy(d => d, StringComparer.Ordinal)];

    /// <summary>
    /// Runs <paramref name="work"/> on the writer inside its own savepoint, grouped with other
    /// concurrent writes into one SQLite transaction (a write alone in its group needs no savepoint). The returned task completes only after the
    /// transaction has committed (so an acknowledged write is in the WAL); if <paramref name="work"/>
    /// throws, only its own changes are undone and the exception is rethrown to this caller.
    /// With <paramref name="durable"/> the commit is fsynced (<c>j: true</c>).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<WriteContext, T> work, bool durable = false, CancellationToken cancellationToken = default)
        => _writes.Enqueue(work, durable, cancellationToken);

    /// <summary>Opens a read snapshot: the catalog and the data as of one committed state.</summary>
    public ReadContext OpenRead()
    {
        var connection = OpenConnection();
        try
        {
            lock (_publishLock)
            {
                Execute(connection, "BEGIN;");
                Execute(connection, "SELECT count(*) FROM _catalog;");
                return new ReadContext(connection, _state);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A task that completes at the next commit (used by awaitData cursors).</summary>
    public Task NextCommit => Volatile.Read(ref _commitSignal).Task;

    /// <inheritdoc />
    public void Dispose()
    {
        _writes.Dispose();
        SqliteConnection.ClearAllPools();
        _lockFile.Dispose();
    }

    internal StorageState State => Volatile.Read(ref _state);

    /// <summary>Runs the writer's COMMIT while readers cannot start a snapshot.</summary>
    internal void CommitAndPublish(SqliteConnection writer, StorageState state)
    {
        lock (_publishLock)
        {
            Execute(writer, "COMMIT;");
            _state = state;
        }

        Interlocked.Exchange(ref _commitSignal, NewSignal()).TrySetResult();
    }

    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // temp_store=MEMORY keeps the savepoint sub-journals of group commit off temp files (measured:
        // ~7 pwrite calls per inserted document become ~1). They hold only undo data for the open
        // transaction; durability still comes from the WAL.
        Execute(connection, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;");
        return connection;
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static StorageState LoadState(SqliteConnection connection)
    {
        var collections = ImmutableDictionary.CreateBuilder<string, CollectionState>(StringComparer.Ordinal);
        long maxTable = 0;
        var infos = new List<CollectionInfo>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT db, coll, tid, uuid, options, indexes FROM _catalog;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var info = CatalogCodec.Read(
                    reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                    (byte[])reader[3], (byte[])reader[4], (byte[])reader[5]);
                infos.Add(info);
                maxTable = Math.Max(maxTable, info.TableId);
            }
        }

        foreach (var info in infos)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*), coalesce(sum(size), 0) FROM {info.DocumentTable};";
            using var reader = command.ExecuteReader();
            reader.Read();
            collections[info.Namespace] = new CollectionState(info, reader.GetInt64(0), reader.GetInt64(1));
        }

        return new StorageState(collections.ToImmutable(), maxTable + 1);
    }
}

/// <summary>Raised when the data directory is locked by another process.</summary>
public sealed class StorageLockedException(string message, Exception inner) : IOException(message, inner);

/// <summary>The committed catalog: immutable, swapped atomically on commit.</summary>
internal sealed record StorageState(ImmutableDictionary<string, CollectionState> Collections, long NextTableId);
